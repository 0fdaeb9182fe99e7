"""Money: one rounding rule and one way to split an amount.

Every amount the platform stores or shows is CNY ``Decimal`` quantised to the fen with
ROUND_HALF_UP (四舍五入, what Chinese invoices and bank statements use), or integer fen in
fact tables. Nothing uses floats. An amount split over parts (freight over lines, a
discount over supplier orders, a refund over lines) is split by ``allocate``: the parts
sum to the amount exactly, to the fen.
"""

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

FEN = Decimal("0.01")
ZERO = Decimal("0.00")

K = TypeVar("K")


def fen(amount: Decimal | int | str) -> Decimal:
    """``amount`` rounded to the fen, half up (0.005 → 0.01, -0.005 → -0.01)."""
    return Decimal(amount).quantize(FEN, rounding=ROUND_HALF_UP)


def to_fen(amount: Decimal | int | str) -> int:
    """Integer fen, for fact tables and arithmetic that must not round twice."""
    return int((fen(amount) / FEN).to_integral_value())


def from_fen(cents: int) -> Decimal:
    return (Decimal(cents) * FEN).quantize(FEN)


def money_sum(amounts: Iterable[Decimal]) -> Decimal:
    return fen(sum(amounts, ZERO))


def allocate(amount: Decimal, weights: Sequence[tuple[K, Decimal | int]]) -> dict[K, Decimal]:
    """Split ``amount`` over keys in proportion to their weights, to the fen, summing exactly.

    Largest remainder: every key gets the floor of its exact share in fen, and the fen left
    over go one each to the keys with the largest remainders (ties to the earlier key). When
    every weight is zero the amount is split evenly. Negative amounts split symmetrically.

    >>> allocate(Decimal("10.00"), [("a", 1), ("b", 1), ("c", 1)])
    {'a': Decimal('3.34'), 'b': Decimal('3.33'), 'c': Decimal('3.33')}
    """
    if not weights:
        return {}
    if any(Decimal(w) < 0 for _, w in weights):
        raise ValueError("weights must not be negative")
    if Decimal(amount) < 0:
        return {k: -v for k, v in allocate(-Decimal(amount), weights).items()}
    total_weight = sum((Decimal(w) for _, w in weights), Decimal(0))
    if total_weight == 0:
        weights = [(k, Decimal(1)) for k, _ in weights]
        total_weight = Decimal(len(weights))
    cents = to_fen(amount)
    exact = [Decimal(cents) * Decimal(w) / total_weight for _, w in weights]
    floors = [int(e) for e in exact]
    left = cents - sum(floors)
    by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in by_remainder[:left]:
        floors[i] += 1
    return {key: from_fen(c) for (key, _), c in zip(weights, floors, strict=True)}
