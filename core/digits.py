"""Reading whole numbers people type: ASCII digits, and the full-width digits (０–９) a Chinese
input method produces, nothing else. ``str.isdigit`` also accepts ², ①, ٣ and 𝟓, which ``int``
then refuses or silently reads as something else."""

import re

_FULL_WIDTH = {0xFF10 + n: 0x30 + n for n in range(10)}
_ASCII_DIGITS = re.compile(r"[0-9]+")


def digits(text: str) -> str | None:
    """``text`` as ASCII digits (full-width ones folded), or None when it is anything else."""
    folded = (text or "").translate(_FULL_WIDTH)
    return folded if _ASCII_DIGITS.fullmatch(folded) else None


def whole_number(text: str) -> int | None:
    """The non-negative whole number ``text`` spells in ASCII or full-width digits, else None."""
    found = digits(text)
    return int(found) if found is not None else None
