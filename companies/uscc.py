"""统一社会信用代码 (unified social credit code, GB 32100-2015): normalise, check, generate.

A code is 18 characters from a 31-character alphabet (no I, O, S, V, Z): registration
authority (1), organisation type (1), administrative division (6 digits), organisation code
(9, GB 11714, positions 9–17) and a check character. The check character is
``(31 − Σ value × 3^(i−1) mod 31) mod 31`` over the first 17 characters, mapped back through
the alphabet. The embedded organisation code has its own check character (weights
3 7 9 10 5 8 4 2; A = 10 … Z = 35; ``11 − Σ mod 11``, 10 → X, 11 → 0); some legitimately
issued codes do not satisfy it, so a mismatch there is a warning, never a refusal.

Input is normalised first: NFKC (full-width → ASCII), upper case, spaces and hyphens removed.
"""

import string
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {c: n for n, c in enumerate(ALPHABET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
ORG_VALUES = {c: n for n, c in enumerate(string.digits + string.ascii_uppercase)}  # A = 10 … Z = 35
LENGTH = 18


@dataclass(frozen=True)
class Checked:
    """A code that passed: normalised, with warnings an operator should see (never refusals)."""

    code: str
    warnings: list[str] = field(default_factory=list)


def normalise(raw: str) -> str:
    """Full-width to ASCII, upper case, no spaces or hyphens: what the check and the store use."""
    text = unicodedata.normalize("NFKC", raw or "")
    return "".join(c for c in text.upper() if not c.isspace() and c not in "-‐‑–—")


def check_character(first17: str) -> str:
    """The 18th character for 17 characters of the alphabet."""
    total = sum(VALUES[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def organisation_check_character(first8: str) -> str | None:
    """The 9th character of a GB 11714 organisation code, or None if it cannot have one."""
    if any(c not in ORG_VALUES for c in first8):
        return None
    remainder = 11 - sum(ORG_VALUES[c] * w for c, w in zip(first8, ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def check(raw: str) -> Checked:
    """The normalised code, or ``ValidationError`` saying what is wrong (code: ``length``,
    ``alphabet`` or ``check``), in the user's language."""
    code = normalise(raw)
    if len(code) != LENGTH:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d.") % {"n": len(code)},
            code="length",
        )
    wrong = sorted({c for c in code if c not in VALUES})
    if wrong:
        raise ValidationError(
            _("A unified social credit code cannot contain %(chars)s (I, O, S, V and Z are never used).")
            % {"chars": "、".join(wrong)},
            code="alphabet",
        )
    if check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("The last character of this unified social credit code does not match: check the code for a typo."),
            code="check",
        )
    warnings = []
    org = code[8:17]
    if organisation_check_character(org[:8]) != org[8]:
        warnings.append(
            _("The organisation code inside it (%(org)s) does not pass its own check; verify it against the licence.")
            % {"org": org}
        )
    return Checked(code, warnings)


def is_valid(raw: str) -> bool:
    try:
        check(raw)
    except ValidationError:
        return False
    return True


def validate_uscc(value: str) -> None:
    """A model/form field validator."""
    check(value)


def generate(division: str, serial: int, *, authority: str = "9", kind: str = "1") -> str:
    """A well-formed code (both check characters right) for demo and test data: ``division`` is
    the 6-digit administrative division (e.g. "440300" 深圳市), ``serial`` numbers the
    organisation (0 ≤ serial < 31^7 … kept to digits and letters of the organisation alphabet)."""
    if len(division) != 6 or not division.isdigit():
        raise ValueError("division must be 6 digits")
    base = ""
    n = serial
    for _i in range(8):
        base = "0123456789ABCDEFGHJKLMNPQRTUWXY"[n % 31] + base
        n //= 31
    org = base + organisation_check_character(base)
    first17 = f"{authority}{kind}{division}{org}"
    return first17 + check_character(first17)
