"""What a contract states, copied when it is made (a snapshot: JSON-able dicts, money as strings).

The platform is the seller (merchant of record, 卖方, ``settings.PLATFORM_LEGAL``); the buyer is the
distributor's company (买方, ``order.company``). A later change of a product, a price, an address
or the company never rewrites a snapshot.

Money of a sales contract
    Order line prices are tax-inclusive (what the buyer pays). The goods part of the order total
    (``order.total_incl_tax − order.shipping_incl_tax``) is allocated over the lines in proportion
    to their prices (``core.money.allocate``: exact to the fen, and a no-op when the lines already
    add up, i.e. unless an order-level discount applies). Per line, at the VAT rate r (13 % unless
    told otherwise)::

        tax    = fen(incl × r / (1 + r))      ex VAT = incl − tax      (so ex + tax == incl)

    Freight is part of the sale of the goods (混合销售) and taxed at the same rate the same way.
    Totals are sums of those; ``totals.incl_vat == order.total_incl_tax`` exactly (asserted).
    The stamp duty estimate is 0.3 ‰ of the price without VAT (印花税法 2022), to the fen.

Contract numbers
    ``HT-20261129-000001`` (sales), ``KJ-…`` (framework), ``BC-…`` (supplement): the Beijing date
    and a per-kind-and-day sequence. ``contract_number`` must be called inside the transaction that
    inserts the contract: on PostgreSQL it takes a transaction-scoped advisory lock per kind and
    day, so two concurrent callers never get the same number (the second waits until the first
    commits, then sees its row); the unique constraint on ``Contract.number`` stays the backstop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import ZERO, allocate, fen, rmb_uppercase

K = TypeVar("K")
VAT_RATE = Decimal("0.13")
STAMP_DUTY_RATE = Decimal("0.0003")
PREFIXES = {"sales": "HT", "framework": "KJ", "supplement": "BC"}

#: what a contract says where the order records nothing (the template may word it otherwise)
DELIVERY_TIME = "卖方在买方付款（或信用额度占用）确认后7个工作日内发货，具体以订单页面显示的预计发货时间为准"
TRANSPORT = "公路运输（快递或物流专线），由卖方或其委托的供应商安排"
FREIGHT_PAYER = "买方（运费已列入本合同价款）"
FREIGHT_FREE = "卖方（本订单免运费）"
RISK = "货物毁损、灭失的风险自货物交付至买方指定收货地址并经收货人签收时起转移至买方"
QUALITY_STANDARD = "符合国家标准、行业标准及产品说明书所载标准"
DEFAULT_UNIT = "件"
INVOICE_TYPES = {
    "general": "电子发票（增值税专用发票）",
    "small": "电子发票（普通发票）",
}
SETTLEMENT = {
    "on-account": {
        "terms": "信用账期结算：买方在其信用额度及约定账期内付清本合同全部价款",
        "method": "银行转账（对公账户）",
    },
    "bank-transfer": {
        "terms": "款到发货：买方在下单后付清本合同全部价款，卖方确认收款后发货",
        "method": "银行转账（对公账户）",
    },
}


def money(amount: Decimal) -> str:
    return str(fen(amount))


def chinese_date(day: date | datetime) -> str:
    if isinstance(day, datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return f"{day.year}年{day.month}月{day.day}日"


def percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


@dataclass(frozen=True)
class Priced:
    """The money of a sales contract: per line key (incl VAT, ex VAT, tax), freight likewise, totals."""

    lines: dict
    freight: tuple[Decimal, Decimal, Decimal]
    ex_vat: Decimal
    vat: Decimal
    incl_vat: Decimal


def price_contract(
    total_incl: Decimal, freight_incl: Decimal, line_prices: Sequence[tuple[K, Decimal]], rate: Decimal = VAT_RATE
) -> Priced:
    """Pure core of a sales contract's money (see the module docstring): the goods part of the
    total allocated over the lines by their tax-inclusive prices, each line and the freight split
    into ex VAT + tax; ``incl_vat == total_incl`` to the fen, by construction."""
    total_incl, freight_incl = fen(total_incl), fen(freight_incl)
    shares = allocate(total_incl - freight_incl, [(key, max(fen(price), ZERO)) for key, price in line_prices])
    lines = {key: (incl, *split_vat(incl, rate)) for key, incl in shares.items()}
    freight = (freight_incl, *split_vat(freight_incl, rate))
    ex_vat = sum((ex for _, ex, _ in lines.values()), ZERO) + freight[1]
    vat = sum((tax for _, _, tax in lines.values()), ZERO) + freight[2]
    return Priced(lines=lines, freight=freight, ex_vat=ex_vat, vat=vat, incl_vat=ex_vat + vat)


def stamp_duty(amount_ex_vat: Decimal) -> Decimal:
    """印花税 estimate for a sales contract: 0.3 ‰ of the price without VAT, to the fen."""
    return fen(Decimal(amount_ex_vat) * STAMP_DUTY_RATE)


def split_vat(amount_incl: Decimal, rate: Decimal = VAT_RATE) -> tuple[Decimal, Decimal]:
    """(ex VAT, tax) of a tax-inclusive amount, to the fen, summing exactly to it."""
    amount_incl = fen(amount_incl)
    tax = fen(amount_incl * rate / (1 + rate))
    return amount_incl - tax, tax


# --- the parties ----------------------------------------------------------------------------------


def platform_party() -> dict:
    legal = settings.PLATFORM_LEGAL
    return {
        "role": "卖方",
        "legal_name": legal["legal_name"],
        "uscc": legal["uscc"],
        "representative": legal["representative"],
        "address": legal["address"],
        "phone": legal["phone"],
        "bank": legal["bank"],
        "account": legal["account"],
        "bank_account": f"{legal['bank']} {legal['account']}".strip(),
    }


def _registered_address(company) -> str:
    address = company.address or ""
    prefix = "".join(part for part in (company.province, company.city) if part and part not in address)
    return prefix + address


def company_party(company) -> dict:
    taxpayer_type = company.taxpayer_type or "small"
    return {
        "role": "买方",
        "legal_name": company.legal_name,
        "uscc": company.uscc,
        "representative": company.legal_representative,
        "address": _registered_address(company),
        "phone": company.contact_phone,
        "bank_account": company.invoice_bank_account,
        "taxpayer_type": taxpayer_type,
        "taxpayer_type_label": "增值税一般纳税人" if taxpayer_type == "general" else "小规模纳税人",
        "invoice_type": INVOICE_TYPES.get(taxpayer_type, INVOICE_TYPES["small"]),
    }


def _contract_block(number: str, now: datetime | None) -> dict:
    now = now or timezone.now()
    return {
        "number": number,
        "date": chinese_date(now),
        "date_iso": timezone.localtime(now).date().isoformat() if timezone.is_aware(now) else now.date().isoformat(),
        "signing_place": settings.CONTRACTS_SIGNING_PLACE,
    }


# --- sales contract -------------------------------------------------------------------------------


def _attribute(product, code: str) -> str:
    if product is None:
        return ""
    for value in product.attribute_values.all():
        if value.attribute.code == code:
            return str(value.value)
    return ""


def _shipping_address(order) -> dict:
    address = order.shipping_address
    if address is None:
        return {"recipient": "", "phone": "", "address": "", "postcode": ""}
    parts = (address.state, address.line4, address.line3, address.line1, address.line2)
    full = ""
    for part in parts:
        if part and part not in full:
            full += part
    return {
        "recipient": f"{address.last_name or ''}{address.first_name or ''}",
        "phone": str(address.phone_number or ""),
        "address": full,
        "postcode": address.postcode or "",
    }


def _payment_method(order) -> str:
    codes = set(order.sources.values_list("source_type__code", flat=True))
    return "on-account" if "on-account" in codes else "bank-transfer"


def sales_snapshot(order, *, number: str = "", now: datetime | None = None, vat_rate: Decimal = VAT_RATE) -> dict:
    """The sales contract (购销合同) of ``order``: parties, lines, freight, delivery, settlement
    and totals. ``number`` and ``now`` fill the contract's number and date (``contract.number``
    may also be set afterwards)."""
    company = order.company
    if company is None:
        raise ValidationError(
            _("Order %(number)s has no buying company; a contract needs one.") % {"number": order.number}
        )
    lines = list(order.lines.select_related("product").prefetch_related("product__attribute_values__attribute"))
    if not lines:
        raise ValidationError(_("Order %(number)s has no lines.") % {"number": order.number})
    total_incl = fen(order.total_incl_tax)
    freight_incl = fen(order.shipping_incl_tax or ZERO)
    goods_incl = total_incl - freight_incl
    priced = price_contract(total_incl, freight_incl, [(line.pk, line.line_price_incl_tax) for line in lines], vat_rate)

    rows = []
    for index, line in enumerate(lines, start=1):
        incl, ex, tax = priced.lines[line.pk]
        quantity = line.quantity
        rows.append(
            {
                "no": index,
                "name": line.title,
                "sku": line.partner_sku or line.upc or "",
                "model": _attribute(line.product, "model") or line.upc or line.partner_sku or "",
                "unit": _attribute(line.product, "unit") or DEFAULT_UNIT,
                "quantity": quantity,
                "quality_standard": _attribute(line.product, "quality_standard") or QUALITY_STANDARD,
                "supplier": line.partner_name,
                "unit_price_incl": _unit(incl, quantity),
                "unit_price_ex": _unit(ex, quantity),
                "vat_rate": percent(vat_rate),
                "amount_ex": money(ex),
                "tax": money(tax),
                "amount_incl": money(incl),
            }
        )
    freight_ex, freight_tax = priced.freight[1:]
    ex_total, tax_total, incl_total = priced.ex_vat, priced.vat, priced.incl_vat
    assert incl_total == total_incl, f"contract total {incl_total} != order total {total_incl}"

    buyer = company_party(company)
    method = _payment_method(order)
    shipping = _shipping_address(order)
    return {
        "kind": "sales",
        "contract": _contract_block(number, now),
        "order": {
            "number": order.number,
            "placed_at": chinese_date(order.date_placed) if order.date_placed else "",
        },
        "buyer": buyer,
        "seller": platform_party(),
        "vat_rate": percent(vat_rate),
        "lines": rows,
        "freight": {
            "amount_incl": money(freight_incl),
            "amount_ex": money(freight_ex),
            "tax": money(freight_tax),
        },
        "delivery": {
            **shipping,
            "place": shipping["address"],
            "time": DELIVERY_TIME,
            "transport": TRANSPORT,
            "freight_payer": FREIGHT_PAYER if freight_incl > 0 else FREIGHT_FREE,
            "risk": RISK,
        },
        "settlement": {
            "method_code": method,
            **SETTLEMENT[method],
            "invoice_type": buyer["invoice_type"],
        },
        "totals": {
            "goods_incl": money(goods_incl),
            "freight_incl": money(freight_incl),
            "ex_vat": money(ex_total),
            "vat": money(tax_total),
            "incl_vat": money(incl_total),
        },
        "total_uppercase": rmb_uppercase(incl_total),
        "stamp_duty": money(stamp_duty(ex_total)),
    }


def _unit(amount: Decimal, quantity: int) -> str:
    """A unit price shown on the contract: to the fen when exact, else up to six decimals
    (the line amount, not the unit price, is what the contract charges)."""
    if not quantity:
        return money(amount)
    exact = Decimal(amount) / quantity
    if exact == fen(exact):
        return money(exact)
    return f"{exact.quantize(Decimal('0.000001')).normalize():f}"


# --- framework agreement and supplement -----------------------------------------------------------


def framework_snapshot(
    company, *, valid_from: date, valid_until: date, number: str = "", now: datetime | None = None
) -> dict:
    """The framework agreement (框架协议) between ``company`` and the platform for a term."""
    buyer = company_party(company)
    return {
        "kind": "framework",
        "contract": _contract_block(number, now),
        "buyer": buyer,
        "seller": platform_party(),
        "vat_rate": percent(VAT_RATE),
        "term": {
            "valid_from": chinese_date(valid_from),
            "valid_until": chinese_date(valid_until),
            "valid_from_iso": valid_from.isoformat(),
            "valid_until_iso": valid_until.isoformat(),
        },
        "settlement": {"invoice_type": buyer["invoice_type"]},
        "delivery": {"time": DELIVERY_TIME, "transport": TRANSPORT, "risk": RISK},
    }


def _line_key(row: dict) -> tuple[str, str]:
    return (row.get("sku", ""), row.get("name", ""))


def supplement_snapshot(contract, order, *, number: str = "", now: datetime | None = None) -> dict:
    """The supplementary agreement (补充协议) to the signed ``contract``: what the order states now
    against what the contract states, line by line (added, removed, changed quantity or price),
    freight and totals. The signed contract itself is never edited."""
    before = contract.snapshot or {}
    after = sales_snapshot(order, now=now)
    old_rows = {_line_key(r): r for r in before.get("lines", [])}
    new_rows = {_line_key(r): r for r in after["lines"]}
    changes = []
    for key, new in new_rows.items():
        old = old_rows.get(key)
        if old is None:
            changes.append({"change": "新增", "name": new["name"], "sku": new["sku"], "before": None, "after": new})
        elif (old["quantity"], old["amount_incl"]) != (new["quantity"], new["amount_incl"]):
            changes.append({"change": "变更", "name": new["name"], "sku": new["sku"], "before": old, "after": new})
    for key, old in old_rows.items():
        if key not in new_rows:
            changes.append({"change": "删除", "name": old["name"], "sku": old["sku"], "before": old, "after": None})
    old_freight = (before.get("freight") or {}).get("amount_incl", "0.00")
    if old_freight != after["freight"]["amount_incl"]:
        changes.append(
            {
                "change": "运费变更",
                "name": "运费",
                "sku": "",
                "before": {"amount_incl": old_freight},
                "after": {"amount_incl": after["freight"]["amount_incl"]},
            }
        )
    old_total = Decimal((before.get("totals") or {}).get("incl_vat", str(contract.total)))
    new_total = Decimal(after["totals"]["incl_vat"])
    difference = new_total - old_total
    return {
        **after,
        "kind": "supplement",
        "contract": _contract_block(number, now),
        "original": {
            "number": contract.number,
            "date": (before.get("contract") or {}).get("date", ""),
            "totals": before.get("totals", {}),
            "total_uppercase": before.get("total_uppercase", ""),
        },
        "changes": changes,
        "difference": {
            "amount": money(abs(difference)),
            "direction": "增加" if difference > 0 else ("减少" if difference < 0 else "不变"),
            "uppercase": rmb_uppercase(abs(difference)),
        },
    }


# --- contract numbers -----------------------------------------------------------------------------


def contract_number(kind: str, now: datetime | None = None) -> str:
    """The next free number of ``kind`` for ``now``'s Beijing date, e.g. HT-20261129-000001
    (``core.numbering``: call it inside the transaction that inserts the contract)."""
    from core.numbering import next_number
    from plugins.contracts.models import Contract

    try:
        prefix = PREFIXES[kind]
    except KeyError:
        raise ValueError(f"unknown contract kind {kind!r}") from None
    return next_number(Contract, prefix, now)
