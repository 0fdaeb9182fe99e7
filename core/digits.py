"""Reading whole numbers people type: ASCII digits, and the full-width digits (０–９) a Chinese
input method produces, nothing else. ``str.isdigit`` also accepts ², ①, ٣ and 𝟓, which ``int``
then refuses or silently reads as something else."""

import re

_FULL_WIDTH = {0xFF10 + n: 0x30 + n for n in range(10)}
_ASCII_DIGITS = re.compile(r"[0-9]+")


SATURATED = 10**30


def digits(text: str) -> str | None:
    """``text`` as ASCII digits (full-width ones folded), or None when it is anything else."""
    folded = (text or "").translate(_FULL_WIDTH)
    return folded if _ASCII_DIGITS.fullmatch(folded) else None


def whole_number(text: str) -> int | None:
    """The non-negative whole number ``text`` spells in ASCII or full-width digits, else None.

    Past 30 significant digits it saturates at 10**30 (more than any count the platform takes, so
    callers answer "out of range"): Python refuses to convert a string of more than 4,300 digits."""
    found = digits(text)
    if found is None:
        return None
    significant = found.lstrip("0")
    return int(significant or "0") if len(significant) <= 30 else SATURATED
