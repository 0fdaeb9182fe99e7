"""What a payload may hold: one JSON type per field on every path.

A payload is stored as JSON and sent as it is stored, so a field must not be a number on one
path and a string on another (an order number handed over fresh from Oscar's OrderCreator is an
``int``; read back from the database it is a ``str``). ``check`` refuses what JSON would turn
into a different type or lose: floats, Decimals, dates, model instances. Builders format
explicitly with the helpers below.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from core.money import fen


def money(amount: Decimal | int | str | None) -> str | None:
    """An amount as a string with two decimals, rounded by the kernel's rule: "320.00"."""
    return None if amount is None else format(fen(amount), "f")


def text(value: Any) -> str:
    """An identifier (order number, code) as a string whatever type it arrived as."""
    return str(value)


def when(value: datetime | date | None) -> str | None:
    return None if value is None else value.isoformat()


def check(value: Any, path: str = "payload") -> None:
    """Raise TypeError naming the first field whose type JSON would not keep."""
    if value is None or isinstance(value, (str, bool, int)):
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{path}: keys must be strings, not {type(key).__name__}")
            check(item, f"{path}.{key}")
        return
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            check(item, f"{path}[{i}]")
        return
    hint = " (format money with core.outbox.payload.money)" if isinstance(value, (Decimal, float)) else ""
    raise TypeError(f"{path}: {type(value).__name__} is not allowed in an outbox payload{hint}")
