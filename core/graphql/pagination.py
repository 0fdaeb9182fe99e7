from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.graphql.errors import input_error


def page_bounds(first: int, offset: int) -> tuple[int, int]:
    limit = settings.GRAPHQL_MAX_PAGE_SIZE
    if first < 1 or first > limit:
        raise input_error("first", _("“first” must be between 1 and %(max)d.") % {"max": limit}, "out_of_range")
    if offset < 0:
        raise input_error("offset", _("“offset” cannot be negative."), "out_of_range")
    return first, offset


def page(queryset: QuerySet, first: int, offset: int) -> tuple[list, int]:
    """One page of a queryset and the total count (two queries, whatever the page size)."""
    first, offset = page_bounds(first, offset)
    return list(queryset[offset : offset + first]), queryset.count()
