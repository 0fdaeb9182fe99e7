"""The pure calculator: first/additional units, partial units rounded up, regions, free shipping."""

from decimal import Decimal as D

import pytest

from core.money import allocate
from plugins.logistics.calculator import (
    FreeRule,
    FreightError,
    Item,
    NotDelivered,
    Rule,
    TemplateSpec,
    quote,
    quote_basket,
)

REMOTE = frozenset({"新疆维吾尔自治区", "西藏自治区"})


def weight_template(**kw):
    return TemplateSpec(
        id=1,
        name="标准快递",
        mode="weight",
        default=Rule(D("1"), D("8.00"), D("1"), D("2.00")),
        region_rules=((REMOTE, Rule(D("1"), D("20.00"), D("1"), D("10.00"), "region:0")),),
        free_rules=(FreeRule(frozenset({"广东省"}), min_amount=D("500.00")),),
        excluded=frozenset({"台湾省"}),
        **kw,
    )


@pytest.mark.parametrize(
    "kg, expected, additional",
    [
        ("0", "8.00", 0),  # an empty or weightless part still pays the first price
        ("0.4", "8.00", 0),
        ("1", "8.00", 0),  # exactly the first unit
        ("1.001", "10.00", 1),  # any part of an additional unit counts as a whole one (ceil)
        ("2", "10.00", 1),
        ("2.1", "12.00", 2),
        ("10", "26.00", 9),
    ],
)
def test_partial_additional_units_are_rounded_up(kg, expected, additional):
    q = quote(weight_template(), "江苏省", D(kg), D("100.00"), 1)
    assert q.amount == D(expected)
    assert q.additional_count == additional
    assert q.rule == "default"


def test_additional_unit_larger_than_one():
    t = TemplateSpec(1, "按件", "piece", Rule(D("2"), D("6.00"), D("3"), D("4.00")))
    assert [quote(t, "北京市", D(n), D("1"), n).amount for n in (1, 2, 3, 5, 6)] == [
        D("6.00"),
        D("6.00"),
        D("10.00"),
        D("10.00"),
        D("14.00"),
    ]


def test_region_rule_overrides_the_default():
    q = quote(weight_template(), "新疆维吾尔自治区", D("3"), D("100.00"), 1)
    assert (q.amount, q.rule) == (D("40.00"), "region:0")


def test_free_shipping_exactly_at_the_threshold_and_only_in_its_provinces():
    t = weight_template()
    assert quote(t, "广东省", D("3"), D("499.99"), 1).amount == D("12.00")
    assert quote(t, "广东省", D("3"), D("500.00"), 1).amount == D("0.00")
    assert quote(t, "广东省", D("3"), D("500.00"), 1).rule == "free:0"
    assert quote(t, "江苏省", D("3"), D("500.00"), 1).amount == D("12.00")


def test_free_rule_with_amount_and_quantity_needs_both():
    rule = FreeRule(frozenset(), min_amount=D("100"), min_quantity=10)
    assert rule.applies("北京市", D("100"), 10)
    assert not rule.applies("北京市", D("100"), 9)
    assert not rule.applies("北京市", D("99.99"), 10)


def test_excluded_province_is_not_delivered():
    with pytest.raises(NotDelivered):
        quote(weight_template(), "台湾省", D("1"), D("1"), 1)


def test_overlapping_region_rules_are_refused():
    with pytest.raises(FreightError) as exc:
        TemplateSpec(
            1,
            "x",
            "piece",
            Rule(D(1), D(1), D(1), D(1)),
            region_rules=(
                (frozenset({"广东省", "广西壮族自治区"}), Rule(D(1), D(1), D(1), D(1))),
                (frozenset({"广东省"}), Rule(D(1), D(2), D(1), D(1))),
            ),
        )
    assert exc.value.code == "overlap"


@pytest.mark.parametrize("unit, price", [("0", "1"), ("-1", "1"), ("1", "-0.01")])
def test_zero_or_negative_units_and_prices_are_refused(unit, price):
    with pytest.raises(FreightError):
        TemplateSpec(1, "x", "piece", Rule(D(unit), D(price), D("1"), D("1")))


def test_basket_parts_group_lines_by_supplier_and_template():
    t = weight_template()
    other = TemplateSpec(2, "按件", "piece", Rule(D("1"), D("5.00"), D("1"), D("1.00")))
    items = [
        Item(1, 10, t, 2, D("60.00"), unit_weight=D("0.5")),  # 1 kg
        Item(2, 10, t, 1, D("20.00"), unit_weight=D("1.2")),  # + 1.2 kg = 2.2 kg → 8 + 2×2 = 12
        Item(3, 10, other, 3, D("30.00")),  # 3 pieces → 5 + 2 = 7
        Item(4, 20, None, 1, D("9.00")),  # no template: included
    ]
    result = quote_basket(items, "江苏省")
    assert result.parts[10].amount == D("19.00")
    assert result.parts[20].amount == D("0.00")
    assert result.total == D("19.00")
    assert sum(result.parts[10].shares.values()) == D("19.00")
    assert result.parts[10].shares[3] == D("7.00")


def test_basket_lists_the_products_not_delivered():
    t = weight_template()
    items = [Item(1, 10, t, 1, D("1.00"), unit_weight=D("1"), title="螺栓")]
    result = quote_basket(items, "台湾省")
    assert [i.title for i in result.undeliverable] == ["螺栓"]
    assert not result.deliverable


@pytest.mark.parametrize(
    "province, quantity, total",
    [("火星", 1, "1.00"), ("广东", 1, "1.00"), ("广东省", 0, "1.00"), ("广东省", -2, "1.00"), ("广东省", 1, "-1.00")],
)
def test_bad_basket_input_is_refused(province, quantity, total):
    with pytest.raises(FreightError):
        quote_basket([Item(1, 10, weight_template(), quantity, D(total))], province)


def test_allocate_sums_exactly_and_follows_weights():
    shares = allocate(D("10.00"), [("a", D(1)), ("b", D(1)), ("c", D(1))])
    assert shares == {"a": D("3.34"), "b": D("3.33"), "c": D("3.33")}
    assert allocate(D("5.00"), [("a", D(0)), ("b", D(0))]) == {"a": D("2.50"), "b": D("2.50")}
