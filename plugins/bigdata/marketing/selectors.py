"""What the marketing report reads besides the facts: the discounts orders carry (Oscar's
``OrderDiscount`` rows: an offer, optionally through a voucher, and the amount), the names of
offers, voucher sets and vouchers, and the operator's activities. Read-only; a fixed number of
queries per call (ids in chunks)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from oscar.core.loading import get_model

from core.money import to_fen
from plugins.bigdata.marketing.models import Activity

OrderDiscount = get_model("order", "OrderDiscount")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Voucher = get_model("voucher", "Voucher")
VoucherSet = get_model("voucher", "VoucherSet")

CHUNK = 5000


@dataclass(frozen=True)
class Discount:
    """One discount an order carries, as Oscar recorded it when the order was placed."""

    order_id: int
    offer_id: int | None
    voucher_id: int | None
    #: the voucher's set (None: no voucher, or a voucher outside any set)
    voucher_set_id: int | None
    #: fen (basket and shipping discounts alike)
    amount: int
    offer_name: str
    voucher_code: str


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def discounts_of_orders(order_ids: Iterable[int]) -> list[Discount]:
    """Every discount of the given orders (ordered by order, then discount)."""
    ids = sorted(set(order_ids))
    rows = []
    for chunk in _chunks(ids):
        rows += list(
            OrderDiscount.objects.filter(order_id__in=chunk)
            .exclude(offer_id__isnull=True, voucher_id__isnull=True)
            .order_by("order_id", "pk")
            .values_list("order_id", "offer_id", "voucher_id", "amount", "offer_name", "voucher_code")
        )
    voucher_ids = sorted({r[2] for r in rows if r[2]})
    sets: dict[int, int | None] = {}
    for chunk in _chunks(voucher_ids):
        sets.update(Voucher.objects.filter(pk__in=chunk).values_list("pk", "voucher_set_id"))
    return [
        Discount(order_id, offer_id, voucher_id, sets.get(voucher_id), to_fen(amount), offer_name, voucher_code)
        for order_id, offer_id, voucher_id, amount, offer_name, voucher_code in rows
    ]


def offer_names(ids: Iterable[int]) -> dict[int, str]:
    return dict(ConditionalOffer.objects.filter(pk__in=set(ids)).values_list("pk", "name"))


def voucher_set_names(ids: Iterable[int]) -> dict[int, str]:
    return dict(VoucherSet.objects.filter(pk__in=set(ids)).values_list("pk", "name"))


def voucher_codes(ids: Iterable[int]) -> dict[int, str]:
    return dict(Voucher.objects.filter(pk__in=set(ids)).values_list("pk", "code"))


def activities(start: date | None = None, end: date | None = None):
    """Activities whose period overlaps [start, end] (every one without bounds), with the ids of
    what they cover prefetched (four queries whatever their number)."""
    found = Activity.objects.all()
    if end is not None:
        found = found.filter(start__lte=end)
    if start is not None:
        found = found.filter(end__gte=start)
    return found.prefetch_related(
        Prefetch("offers", queryset=ConditionalOffer.objects.only("pk")),
        Prefetch("voucher_sets", queryset=VoucherSet.objects.only("pk")),
        Prefetch("companies", queryset=get_model("companies", "Company").objects.only("pk")),
        Prefetch("products", queryset=get_model("catalogue", "Product").objects.only("pk")),
    ).order_by("start", "pk")
