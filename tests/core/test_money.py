"""The kernel's money: one rounding rule, one exact split."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.money import allocate, fen, from_fen, to_fen


@pytest.mark.parametrize(
    "amount, expected",
    [("0.005", "0.01"), ("0.004", "0.00"), ("-0.005", "-0.01"), ("2.675", "2.68"), ("94.4999", "94.50"), (3, "3.00")],
)
def test_fen_rounds_half_up(amount, expected):
    assert fen(Decimal(amount) if isinstance(amount, str) else amount) == Decimal(expected)


def test_integer_fen_round_trip():
    assert to_fen(Decimal("12.345")) == 1235 and from_fen(1235) == Decimal("12.35")


def test_allocate_gives_the_left_over_fen_to_the_largest_remainders_then_the_earlier_key():
    assert allocate(Decimal("10.00"), [("a", 1), ("b", 1), ("c", 1)]) == {
        "a": Decimal("3.34"),
        "b": Decimal("3.33"),
        "c": Decimal("3.33"),
    }
    assert allocate(Decimal("1.00"), [("x", 2), ("y", 1)]) == {"x": Decimal("0.67"), "y": Decimal("0.33")}
    assert allocate(Decimal("5.00"), [("x", 0), ("y", 0)]) == {"x": Decimal("2.50"), "y": Decimal("2.50")}
    assert allocate(Decimal("-1.00"), [("x", 1), ("y", 2)]) == {"x": Decimal("-0.33"), "y": Decimal("-0.67")}
    assert allocate(Decimal("1.00"), []) == {}
    with pytest.raises(ValueError):
        allocate(Decimal("1.00"), [("x", -1)])


@given(
    cents=st.integers(min_value=0, max_value=10**9),
    weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=30),
)
def test_allocate_sums_exactly_and_no_part_is_more_than_a_fen_from_its_share(cents, weights):
    amount = from_fen(cents)
    parts = allocate(amount, list(enumerate(weights)))
    assert sum(parts.values()) == amount
    total = sum(weights) or len(weights)
    for key, weight in enumerate(weights):
        exact = Decimal(cents) * Decimal(weight if sum(weights) else 1) / Decimal(total)
        assert abs(to_fen(parts[key]) - exact) < 1
