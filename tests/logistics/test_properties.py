"""Property-based tests of the freight calculator (hypothesis)."""

from decimal import Decimal as D

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from core.regions import PROVINCES
from plugins.logistics.calculator import FreeRule, Item, Rule, TemplateSpec, quote, quote_basket

NAMES = [p.name for p in PROVINCES]
units = st.decimals(min_value=D("0.001"), max_value=D("100"), places=3)
prices = st.decimals(min_value=D("0"), max_value=D("200"), places=2)
amounts = st.decimals(min_value=D("0"), max_value=D("100000"), places=2)
province = st.sampled_from(NAMES)


@st.composite
def rules(draw, label="default"):
    return Rule(draw(units), draw(prices), draw(units), draw(prices), label)


@st.composite
def templates(draw, with_free=True):
    provinces = draw(st.lists(province, unique=True, max_size=12))
    split = draw(st.integers(0, len(provinces)))
    region_rules = []
    if split:
        region_rules.append((frozenset(provinces[:split]), draw(rules("region:0"))))
    if provinces[split:]:
        region_rules.append((frozenset(provinces[split:]), draw(rules("region:1"))))
    free = ()
    if with_free and draw(st.booleans()):
        free = (
            FreeRule(
                frozenset(draw(st.lists(province, unique=True, max_size=5))),
                draw(st.none() | st.decimals(min_value=D("1"), max_value=D("5000"), places=2)),
                draw(st.none() | st.integers(1, 200)),
            ),
        )
        assume(free[0].min_amount is not None or free[0].min_quantity is not None)
    return TemplateSpec(
        1,
        "t",
        draw(st.sampled_from(["piece", "weight", "volume"])),
        draw(rules()),
        tuple(region_rules),
        free,
    )


measure = st.decimals(min_value=D("0"), max_value=D("1000"), places=3)


@settings(max_examples=300)
@given(templates(), province, measure, amounts, st.integers(0, 10_000))
def test_freight_is_never_negative_and_to_the_fen(template, where, u, amount, quantity):
    q = quote(template, where, u, amount, quantity)
    assert q.amount >= 0
    assert q.amount == q.amount.quantize(D("0.01"))


@settings(max_examples=300)
@given(templates(with_free=False), province, measure, measure, amounts, st.integers(0, 1000))
def test_freight_never_decreases_when_units_grow_without_free_shipping(template, where, a, b, amount, quantity):
    low, high = sorted((a, b))
    assert quote(template, where, low, amount, quantity).amount <= quote(template, where, high, amount, quantity).amount


@settings(max_examples=300)
@given(templates(), province, measure, measure, amounts, st.integers(0, 1000))
def test_growing_units_only_lowers_freight_when_free_shipping_is_reached(template, where, a, b, amount, quantity):
    low, high = sorted((a, b))
    q_low = quote(template, where, low, amount, quantity)
    q_high = quote(template, where, high, amount, quantity)
    assert q_high.amount >= q_low.amount or q_high.rule.startswith("free:")


@settings(max_examples=200)
@given(templates(with_free=False), province, st.integers(1, 100), st.integers(1, 100))
def test_quantity_growth_with_piece_mode_is_monotonic(template, where, q1, q2):
    template.mode = "piece"
    low, high = sorted((q1, q2))
    assert quote(template, where, D(low), D(1), low).amount <= quote(template, where, D(high), D(1), high).amount


@settings(max_examples=200)
@given(
    province,
    st.decimals(min_value=D("1"), max_value=D("5000"), places=2),
    st.integers(1, 500),
    rules(),
    measure,
)
def test_free_shipping_exactly_at_the_threshold(where, threshold, min_quantity, rule, u):
    t = TemplateSpec(1, "t", "weight", rule, free_rules=(FreeRule(frozenset(), threshold, None),))
    assert quote(t, where, u, threshold, 1).amount == 0
    assert (
        quote(t, where, u, threshold - D("0.01"), 1).amount
        == quote(TemplateSpec(1, "t", "weight", rule), where, u, threshold, 1).amount
    )
    tq = TemplateSpec(1, "t", "piece", rule, free_rules=(FreeRule(frozenset(), None, min_quantity),))
    assert quote(tq, where, D(min_quantity), D(0), min_quantity).amount == 0
    if min_quantity > 1:
        assert quote(tq, where, D(min_quantity - 1), D(0), min_quantity - 1).rule != "free:0"


@st.composite
def baskets(draw):
    specs = draw(st.lists(templates(), min_size=1, max_size=4))
    items = []
    for key in range(draw(st.integers(1, 25))):
        items.append(
            Item(
                key=key,
                partner_id=draw(st.integers(1, 5)),
                template=draw(st.sampled_from(specs + [None])),
                quantity=draw(st.integers(1, 50)),
                line_total=draw(st.decimals(min_value=D("0"), max_value=D("9999"), places=2)),
                unit_weight=draw(st.decimals(min_value=D("0"), max_value=D("30"), places=3)),
                unit_volume=draw(st.decimals(min_value=D("0"), max_value=D("1"), places=4)),
            )
        )
    return items


@settings(max_examples=200)
@given(baskets(), province)
def test_basket_total_is_the_sum_of_supplier_parts_and_shares_sum_to_parts(items, where):
    result = quote_basket(items, where)
    assert result.total == sum((p.amount for p in result.parts.values()), D("0"))
    for part in result.parts.values():
        assert part.amount >= 0
        assert sum(part.shares.values(), D("0")) == part.amount
        assert all(s >= 0 for s in part.shares.values())
        # a part is the sum of its template groups, each quoted once
        assert part.amount == sum((g.quote.amount for g in part.groups if g.quote), D("0"))
    # each supplier's part does not depend on the other suppliers' lines
    for partner_id, part in result.parts.items():
        alone = quote_basket([i for i in items if i.partner_id == partner_id], where)
        assert alone.parts[partner_id].amount == part.amount
