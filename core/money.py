"""Money: one rounding rule and one way to split an amount.

Every amount the platform stores or shows is CNY ``Decimal`` quantised to the fen with
ROUND_HALF_UP (四舍五入, what Chinese invoices and bank statements use), or integer fen in
fact tables. Nothing uses floats. An amount split over parts (freight over lines, a
discount over supplier orders, a refund over lines) is split by ``allocate``: the parts
sum to the amount exactly, to the fen. ``rmb_uppercase`` writes an amount in Chinese uppercase
(人民币大写) by the PBOC bill rules, for contracts and statements.
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


def yuan(amount: Decimal | int | str) -> str:
    """An amount as the platform writes money in a sentence: ¥1,234.50 (the same as Oscar's
    currency filter for CNY, for messages built in Python)."""
    return f"¥{fen(amount):,.2f}"


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


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")
#: one more than the largest amount written (in yuan): 9999 万亿 and 9999.99 yuan
RMB_UPPERCASE_LIMIT = Decimal(10) ** 16


def _four_digits(n: int) -> str:
    """1 ≤ n ≤ 9999: 壹仟零伍, 壹拾 (never a bare 拾); a run of zeros inside is one 零, trailing
    zeros are not written."""
    out, pending_zero = [], False
    for place in (3, 2, 1, 0):
        digit = n // 10**place % 10
        if digit == 0:
            pending_zero = pending_zero or bool(out)
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        out.append(_DIGITS[digit] + _PLACES[place])
    return "".join(out)


def _integer_words(n: int) -> str:
    """n ≥ 1 in groups of four digits (万, 亿; 万亿 as the 亿 of a 万 group), with one 零 where a
    lower group starts with zeros."""
    for size, unit in ((10**8, "亿"), (10**4, "万")):
        if n >= size:
            high, low = divmod(n, size)
            words = _integer_words(high) + unit
            if low:
                words += ("零" if low < size // 10 else "") + _integer_words(low)
            return words
    return _four_digits(n)


def rmb_uppercase(amount: Decimal | int | str) -> str:
    """An amount in Chinese uppercase as bills write it (中文大写金额, PBOC rules), without the
    leading "人民币" (the caller writes it directly before the amount).

    - digits 零壹贰叁肆伍陆柒捌玖, places 拾佰仟万亿 (万亿 for 10¹²), units 元角分; never 另, 毛 or 两;
      ten is 壹拾;
    - a run of zeros inside the amount is written as one 零 (壹仟零玖元, 壹拾万零柒元);
    - 整 after 元 when there are no 角 and 分 (壹拾元整, 零元整), never after 分, not after 角;
    - 零 between 元 and the 分 when there are no 角 (陆仟零柒元零贰分 is 6,007.02);
    - with 角: a single 0 at the 元 place is not written (壹仟陆佰捌拾元叁角贰分), a run of two or
      more zeros ending at the 元 place is written as 零 before the 角 (壹拾万柒仟元零伍角叁分) —
      PBOC accepts both forms in both cases; these are the ones the platform prints;
    - an amount below one yuan starts with the 角 or 分 (伍角, 伍分).

    Refused (ValueError): negative amounts, amounts with more than two decimals, amounts of
    10¹⁶ yuan or more, and anything that is not a number.
    """
    value = Decimal(amount) if not isinstance(amount, Decimal) else amount
    if not value.is_finite():
        raise ValueError("amount must be a finite number")
    if value < 0:
        raise ValueError("a negative amount has no uppercase form")
    if value != value.quantize(FEN):
        raise ValueError("amount must be in whole fen")
    if value >= RMB_UPPERCASE_LIMIT:
        raise ValueError("amount too large")
    cents = to_fen(value)
    yuan, rest = divmod(cents, 100)
    jiao, fen_ = divmod(rest, 10)
    if yuan == 0 and rest == 0:
        return "零元整"
    words = _integer_words(yuan) + "元" if yuan else ""
    if rest == 0:
        return words + "整"
    if jiao:
        if yuan and yuan % 100 == 0:
            words += "零"
        words += _DIGITS[jiao] + "角"
    elif yuan:
        words += "零"
    if fen_:
        words += _DIGITS[fen_] + "分"
    return words
