"""Sample snapshots (no database): what the template editor previews against and what a version
must render against before it is published. Shaped exactly like snapshot.py's output."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from core.money import ZERO, rmb_uppercase
from plugins.contracts import snapshot as snap

SAMPLE_BUYER = {
    "role": "买方",
    "legal_name": "深圳市示例五金贸易有限公司",
    "uscc": "91440300MA5EXAMPL1",
    "representative": "李明",
    "address": "广东省深圳市南山区科技园路1号",
    "phone": "0755-2668 0000",
    "bank_account": "招商银行深圳科技园支行 7559 0000 0000 001",
    "taxpayer_type": "general",
    "taxpayer_type_label": "增值税一般纳税人",
    "invoice_type": snap.INVOICE_TYPES["general"],
}

SAMPLE_LINES = (
    ("外六角螺栓 M8×30", "JG-HB-M8-30", "盒", 3, Decimal("32.00")),
    ("BV铜芯电线 2.5mm²", "DF-BV-2.5", "卷", 2, Decimal("218.00")),
    ("小型断路器 1P C16", "DF-MCB-1P16", "只", 7, Decimal("13.83")),
)
SAMPLE_FREIGHT = Decimal("15.00")


def _rows(lines):
    rows = []
    for index, (name, sku, unit, quantity, price) in enumerate(lines, start=1):
        incl = price * quantity
        ex, tax = snap.split_vat(incl)
        rows.append(
            {
                "no": index,
                "name": name,
                "sku": sku,
                "model": sku,
                "unit": unit,
                "quantity": quantity,
                "quality_standard": snap.QUALITY_STANDARD,
                "supplier": "示例供应商有限公司",
                "unit_price_incl": snap.money(price),
                "unit_price_ex": snap._unit(ex, quantity),
                "vat_rate": snap.percent(snap.VAT_RATE),
                "amount_ex": snap.money(ex),
                "tax": snap.money(tax),
                "amount_incl": snap.money(incl),
            }
        )
    return rows


def sample_sales(now: datetime | None = None, lines=SAMPLE_LINES) -> dict:
    now = now or timezone.now()
    rows = _rows(lines)
    freight_ex, freight_tax = snap.split_vat(SAMPLE_FREIGHT)
    ex = sum((Decimal(r["amount_ex"]) for r in rows), ZERO) + freight_ex
    tax = sum((Decimal(r["tax"]) for r in rows), ZERO) + freight_tax
    goods = sum((Decimal(r["amount_incl"]) for r in rows), ZERO)
    return {
        "kind": "sales",
        "contract": {**snap._contract_block("HT-20261129-000001", now)},
        "order": {"number": "100123", "placed_at": snap.chinese_date(now)},
        "buyer": dict(SAMPLE_BUYER),
        "seller": snap.platform_party(),
        "vat_rate": snap.percent(snap.VAT_RATE),
        "lines": rows,
        "freight": {
            "amount_incl": snap.money(SAMPLE_FREIGHT),
            "amount_ex": snap.money(freight_ex),
            "tax": snap.money(freight_tax),
        },
        "delivery": {
            "recipient": "李明",
            "phone": "13800138000",
            "address": "广东省深圳市南山区科技园路1号",
            "postcode": "518000",
            "place": "广东省深圳市南山区科技园路1号",
            "time": snap.DELIVERY_TIME,
            "transport": snap.TRANSPORT,
            "freight_payer": snap.FREIGHT_PAYER,
            "risk": snap.RISK,
        },
        "settlement": {
            "method_code": "on-account",
            **snap.SETTLEMENT["on-account"],
            "invoice_type": SAMPLE_BUYER["invoice_type"],
        },
        "totals": {
            "goods_incl": snap.money(goods),
            "freight_incl": snap.money(SAMPLE_FREIGHT),
            "ex_vat": snap.money(ex),
            "vat": snap.money(tax),
            "incl_vat": snap.money(ex + tax),
        },
        "total_uppercase": rmb_uppercase(ex + tax),
        "stamp_duty": snap.money(snap.stamp_duty(ex)),
    }


def sample_framework(now: datetime | None = None) -> dict:
    now = now or timezone.now()
    start = timezone.localtime(now).date() if timezone.is_aware(now) else now.date()
    until = date(start.year + 1, start.month, min(start.day, 28))
    return {
        "kind": "framework",
        "contract": snap._contract_block("KJ-20261129-000001", now),
        "buyer": dict(SAMPLE_BUYER),
        "seller": snap.platform_party(),
        "vat_rate": snap.percent(snap.VAT_RATE),
        "term": {
            "valid_from": snap.chinese_date(start),
            "valid_until": snap.chinese_date(until),
            "valid_from_iso": start.isoformat(),
            "valid_until_iso": until.isoformat(),
        },
        "settlement": {"invoice_type": SAMPLE_BUYER["invoice_type"]},
        "delivery": {"time": snap.DELIVERY_TIME, "transport": snap.TRANSPORT, "risk": snap.RISK},
    }


def sample_supplement(now: datetime | None = None) -> dict:
    """The sample contract signed with 10 breakers, the order now with 7."""
    now = now or timezone.now()
    sales = sample_sales(now)
    signed_lines = (*SAMPLE_LINES[:2], (*SAMPLE_LINES[2][:3], 10, SAMPLE_LINES[2][4]))
    before = sample_sales(now, lines=signed_lines)
    old, changed = before["lines"][2], sales["lines"][2]
    difference = Decimal(sales["totals"]["incl_vat"]) - Decimal(before["totals"]["incl_vat"])
    return {
        **sales,
        "kind": "supplement",
        "contract": snap._contract_block("BC-20261129-000001", now),
        "original": {
            "number": "HT-20261120-000007",
            "date": "2026年11月20日",
            "totals": before["totals"],
            "total_uppercase": before["total_uppercase"],
        },
        "changes": [
            {"change": "变更", "name": changed["name"], "sku": changed["sku"], "before": old, "after": changed}
        ],
        "difference": {
            "amount": snap.money(abs(difference)),
            "direction": "增加" if difference > 0 else ("减少" if difference < 0 else "不变"),
            "uppercase": rmb_uppercase(abs(difference)),
        },
    }


def sample_snapshot(kind: str, now: datetime | None = None) -> dict:
    return {"sales": sample_sales, "framework": sample_framework, "supplement": sample_supplement}[kind](now)
