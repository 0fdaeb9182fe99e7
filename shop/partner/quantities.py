"""An offer's order terms: the minimum order quantity (起订量) and the pack multiple (包装倍数).

A basket line of the offer may hold ``q`` units when ``q`` is a multiple of the pack and at
least the minimum. The smallest such quantity is the minimum rounded up to the pack (a minimum
of 10 in packs of 6 orders at least 12), and that is the minimum a buyer is told.

    >>> smallest_quantity(10, 6), smallest_quantity(10, 5), smallest_quantity(1, 1)
    (12, 10, 1)
    >>> quantity_problem(8, 10, 6)
    'The minimum order quantity is 12.'
    >>> quantity_problem(14, 10, 6)
    'The quantity must be a multiple of 6.'
    >>> quantity_problem(18, 10, 6) is None
    True
"""

from django.utils.translation import gettext as _


def smallest_quantity(minimum: int, multiple: int) -> int:
    minimum, multiple = max(int(minimum or 1), 1), max(int(multiple or 1), 1)
    return -(-minimum // multiple) * multiple


def quantity_problem(quantity: int, minimum: int, multiple: int) -> str | None:
    """Why a line of ``quantity`` units breaks the terms, or None when it keeps them."""
    multiple = max(int(multiple or 1), 1)
    least = smallest_quantity(minimum, multiple)
    if quantity < least:
        return _("The minimum order quantity is %(n)d.") % {"n": least}
    if quantity % multiple:
        return _("The quantity must be a multiple of %(n)d.") % {"n": multiple}
    return None


def terms_of(stockrecord) -> tuple[int, int]:
    """(minimum order quantity, pack multiple) of an offer; (1, 1) without one."""
    if stockrecord is None:
        return 1, 1
    return max(stockrecord.min_order_quantity or 1, 1), max(stockrecord.pack_multiple or 1, 1)
