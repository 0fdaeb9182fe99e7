"""Contract snapshots of real orders (placed through Oscar's OrderCreator): the contract total
equals the order total to the fen however awkward the lines, every line's ex-VAT amount plus its
tax is its tax-inclusive amount, the parties are the buyer's company and the platform, and a
supplementary agreement lists what changed against the signed contract."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from core.money import rmb_uppercase
from plugins.contracts import snapshot
from plugins.contracts.models import Contract
from plugins.contracts.services.templates import ensure_default_templates, published_version
from tests import factories

pytestmark = pytest.mark.django_db


def D(value) -> Decimal:
    return Decimal(value)


@pytest.fixture
def buyer():
    user = factories.distributor("contractbuyer")
    company = factories.company_of(user)
    company.contact_phone = "0755-8888 0001"
    company.invoice_bank_account = "招商银行深圳分行 7559 1234 5678 901"
    company.taxpayer_type = "general"
    company.save()
    return user


AWKWARD = [
    ("AWK-1", "13.83", 7),
    ("AWK-2", "0.01", 3),
    ("AWK-3", "33.33", 3),
    ("AWK-4", "1999.99", 1),
    ("AWK-5", "0.07", 11),
]


@pytest.fixture
def order(buyer):
    items = [(factories.product(sku, f"测试品 {sku}", price), qty) for sku, price, qty in AWKWARD]
    return factories.place_order(buyer, items, secure=False)


def check_money(snap, order):
    totals = snap["totals"]
    assert D(totals["incl_vat"]) == order.total_incl_tax
    assert D(totals["ex_vat"]) + D(totals["vat"]) == D(totals["incl_vat"])
    for line in snap["lines"]:
        assert D(line["amount_ex"]) + D(line["tax"]) == D(line["amount_incl"])
        assert D(line["tax"]) == (D(line["amount_incl"]) * D("0.13") / D("1.13")).quantize(D("0.01"), "ROUND_HALF_UP")
    freight = snap["freight"]
    assert D(freight["amount_ex"]) + D(freight["tax"]) == D(freight["amount_incl"]) == order.shipping_incl_tax
    lines_incl = sum(D(line["amount_incl"]) for line in snap["lines"])
    assert lines_incl + D(freight["amount_incl"]) == order.total_incl_tax
    assert D(totals["ex_vat"]) == sum(D(line["amount_ex"]) for line in snap["lines"]) + D(freight["amount_ex"])
    assert D(totals["vat"]) == sum(D(line["tax"]) for line in snap["lines"]) + D(freight["tax"])
    assert snap["total_uppercase"] == rmb_uppercase(order.total_incl_tax)
    assert D(snap["stamp_duty"]) == (D(totals["ex_vat"]) * D("0.0003")).quantize(D("0.01"), "ROUND_HALF_UP")


def test_sales_snapshot_totals_to_the_fen(order, buyer):
    snap = snapshot.sales_snapshot(order, number="HT-20261129-000001")
    check_money(snap, order)
    assert [(line["sku"], line["quantity"]) for line in snap["lines"]] == [(s, q) for s, _, q in AWKWARD]
    by_sku = {line["sku"]: line for line in snap["lines"]}
    assert by_sku["AWK-1"]["amount_incl"] == "96.81"
    assert by_sku["AWK-1"]["unit_price_incl"] == "13.83"
    assert by_sku["AWK-2"]["amount_incl"] == "0.03"
    assert by_sku["AWK-2"]["tax"] == "0.00" and by_sku["AWK-2"]["amount_ex"] == "0.03"
    assert by_sku["AWK-1"]["vat_rate"] == snap["vat_rate"] == "13%"
    assert snap["contract"]["number"] == "HT-20261129-000001"
    assert snap["contract"]["signing_place"] == settings.CONTRACTS_SIGNING_PLACE


def test_snapshot_parties_delivery_settlement(order, buyer):
    snap = snapshot.sales_snapshot(order)
    company = factories.company_of(buyer)
    assert snap["buyer"]["legal_name"] == company.legal_name
    assert snap["buyer"]["uscc"] == company.uscc
    assert snap["buyer"]["representative"] == "张三"
    assert snap["buyer"]["address"] == "广东省深圳市南山区科技园路1号"
    assert snap["buyer"]["phone"] == "0755-8888 0001"
    assert snap["buyer"]["bank_account"] == "招商银行深圳分行 7559 1234 5678 901"
    assert snap["settlement"]["invoice_type"] == "电子发票（增值税专用发票）"
    assert snap["seller"]["legal_name"] == settings.PLATFORM_LEGAL["legal_name"]
    assert snap["seller"]["uscc"] == settings.PLATFORM_LEGAL["uscc"]
    assert snap["seller"]["account"] == settings.PLATFORM_LEGAL["account"]
    assert "科技园路1号" in snap["delivery"]["address"] and snap["delivery"]["address"].startswith("广东省")
    assert snap["delivery"]["recipient"] == "张三"
    assert snap["settlement"]["method_code"] == "bank-transfer" or snap["settlement"]["method_code"] == "on-account"
    assert snap["order"]["number"] == order.number


def test_small_taxpayer_gets_an_ordinary_invoice(order, buyer):
    company = factories.company_of(buyer)
    company.taxpayer_type = "small"
    company.save()
    order.refresh_from_db()
    assert snapshot.sales_snapshot(order)["settlement"]["invoice_type"] == "电子发票（普通发票）"


def test_freight_is_part_of_the_price(order):
    """Freight (here set on the order as checkout would with a freight template) is taxed like the
    goods (混合销售) and counted in the total; who pays it is stated."""
    free = snapshot.sales_snapshot(order)
    assert free["delivery"]["freight_payer"] == snapshot.FREIGHT_FREE
    order.shipping_incl_tax = order.shipping_excl_tax = D("23.45")
    order.total_incl_tax += D("23.45")
    order.save()
    snap = snapshot.sales_snapshot(order)
    check_money(snap, order)
    assert snap["freight"] == {"amount_incl": "23.45", "amount_ex": "20.75", "tax": "2.70"}
    assert snap["delivery"]["freight_payer"] == snapshot.FREIGHT_PAYER
    assert snap["totals"]["incl_vat"] == str(D(free["totals"]["incl_vat"]) + D("23.45"))


def test_an_order_level_discount_is_allocated_over_the_lines(order):
    """Lines that do not add up to the goods total (an order-level discount): the difference is
    spread over the lines and the contract total is still the order's, to the fen."""
    order.total_incl_tax = order.total_incl_tax - D("10.01")
    order.save()
    snap = snapshot.sales_snapshot(order)
    check_money(snap, order)


def test_the_snapshot_is_json_and_stays_when_the_order_changes(order):
    import json

    snap = snapshot.sales_snapshot(order)
    frozen = json.loads(json.dumps(snap))
    assert frozen == snap
    line = order.lines.first()
    line.title = "改过的名字"
    line.save()
    assert frozen["lines"][0]["name"] == "测试品 AWK-1"


def test_an_order_without_a_company_is_refused(order):
    order.company = None
    order.save()
    with pytest.raises(ValidationError):
        snapshot.sales_snapshot(order)


def test_supplement_lists_the_changes(order, buyer):
    ensure_default_templates()
    signed = Contract.objects.create(
        number="HT-20261129-000009",
        kind="sales",
        company=order.company,
        order=order,
        template_version=published_version("sales"),
        snapshot=snapshot.sales_snapshot(order),
        total=order.total_incl_tax,
        signing_place="上海市浦东新区",
    )
    first = order.lines.get(partner_sku="AWK-1")
    first.quantity = 5
    first.line_price_incl_tax = first.line_price_excl_tax = D("69.15")
    first.save()
    order.lines.get(partner_sku="AWK-2").delete()
    order.total_incl_tax = order.total_incl_tax - D("96.81") + D("69.15") - D("0.03")
    order.save()
    supplement = snapshot.supplement_snapshot(signed, order, number="BC-20261129-000001")
    check_money(supplement, order)
    changes = {c["sku"]: c for c in supplement["changes"]}
    assert changes["AWK-1"]["change"] == "变更"
    assert changes["AWK-1"]["before"]["quantity"] == 7 and changes["AWK-1"]["after"]["quantity"] == 5
    assert changes["AWK-2"]["change"] == "删除" and changes["AWK-2"]["after"] is None
    assert set(changes) == {"AWK-1", "AWK-2"}
    assert supplement["original"]["number"] == "HT-20261129-000009"
    assert supplement["difference"] == {"amount": "27.69", "direction": "减少", "uppercase": "贰拾柒元陆角玖分"}
    signed.refresh_from_db()
    assert signed.snapshot["lines"][0]["quantity"] == 7  # the signed contract is never edited


def test_framework_snapshot(buyer):
    from datetime import date

    snap = snapshot.framework_snapshot(
        factories.company_of(buyer), valid_from=date(2026, 12, 1), valid_until=date(2027, 11, 30), number="KJ-1"
    )
    assert snap["term"]["valid_from"] == "2026年12月1日" and snap["term"]["valid_until"] == "2027年11月30日"
    assert snap["buyer"]["uscc"] == factories.company_of(buyer).uscc
    assert snap["contract"]["number"] == "KJ-1"


@pytest.mark.parametrize(
    ("amount", "duty"),
    [("0.00", "0.00"), ("10000.00", "3.00"), ("1234.56", "0.37"), ("16.66", "0.00"), ("16.67", "0.01")],
)
def test_stamp_duty(amount, duty):
    assert snapshot.stamp_duty(D(amount)) == D(duty)


@given(st.integers(min_value=0, max_value=10**12))
def test_split_vat_sums_exactly(cents):
    amount = D(cents) / 100
    ex, tax = snapshot.split_vat(amount)
    assert ex + tax == amount
    assert tax >= 0 and ex >= 0


@pytest.mark.django_db(False)
def test_split_vat_pure():
    assert snapshot.split_vat(D("113.00")) == (D("100.00"), D("13.00"))
    assert snapshot.split_vat(D("96.81")) == (D("85.67"), D("11.14"))


@given(
    st.lists(st.tuples(st.integers(0, 10**9), st.integers(1, 500)), min_size=1, max_size=30),
    st.integers(0, 10**6),
    st.integers(-(10**6), 10**6),
    st.sampled_from([D("0.13"), D("0.09"), D("0.06"), D("0.03"), D("0.01")]),
)
def test_contract_money_is_exact_to_the_fen(lines, freight_cents, discount_cents, rate):
    """The pure core of sales_snapshot: whatever the line prices, freight, an order-level
    difference (discount or rounding) and the rate, the contract total is the order total and
    every part is ex VAT + tax exactly."""
    prices = [(i, D(cents * qty) / 100) for i, (cents, qty) in enumerate(lines)]
    goods = sum(p for _, p in prices)
    freight = D(freight_cents) / 100
    total = max(goods + D(discount_cents) / 100, D(0)) + freight
    priced = snapshot.price_contract(total, freight, prices, rate)
    assert priced.incl_vat == total
    assert priced.ex_vat + priced.vat == total
    assert sum(incl for incl, _, _ in priced.lines.values()) + freight == total
    for incl, ex, tax in [*priced.lines.values(), priced.freight]:
        assert ex + tax == incl
        assert tax == (incl * rate / (1 + rate)).quantize(D("0.01"), "ROUND_HALF_UP")
    if discount_cents == 0:
        assert {k: incl for k, (incl, _, _) in priced.lines.items()} == dict(prices)  # lines kept as they are
