"""Who sees which numbers: operators see everything; a salesperson sees only the sales credited
to them (the fact's salesperson, fixed when the sale was written), whatever the filter asks."""

from __future__ import annotations

from dataclasses import replace

from django.core.exceptions import PermissionDenied

from core.access import is_operator, is_salesperson
from plugins.bigdata.backends.base import Filters


def salesperson_scope(user) -> int | None:
    """The salesperson id the user's numbers are restricted to (None: an operator, no restriction).
    Anyone else may not see analytics at all."""
    if is_operator(user):
        return None
    if is_salesperson(user):
        return user.pk
    raise PermissionDenied


def scoped(user, filters: Filters) -> Filters:
    """``filters`` narrowed to what ``user`` may see (a salesperson's choice of salesperson is
    replaced by themself, so asking for a colleague's numbers shows one's own)."""
    own = salesperson_scope(user)
    if own is None:
        return filters
    return replace(filters, salesperson_ids=(own,))
