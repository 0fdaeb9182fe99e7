"""How companies pay, for analytics (read-only; two queries whatever the number of companies or
orders, grouped in SQL — no order is loaded into Python).

- **days to pay**: for each order placed in the period and not cancelled that was paid, the calendar
  days (Asia/Shanghai) from the day it was placed to the day of its first "paid" payment event (the
  kernel's record: a receipt approved here, a bank transfer confirmed, or an on-account purchase
  repaid in full);
- **overdue**: of the orders bought on account (a member_tiers credit purchase with a due date)
  placed in the period and not cancelled, those that are *due* — paid, or past their due date
  today — and of them those paid after the due date or still unpaid past it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.apps import apps
from django.db.models import Count, DurationField, ExpressionWrapper, F, Min, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone
from oscar.core.loading import get_model

from core.orders import payments
from core.orders import status as order_status

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass
class CompanyPayments:
    #: days to pay → how many orders took that long
    days: dict[int, int] = field(default_factory=dict)
    #: on-account orders due (paid, or past their due date)
    due: int = 0
    #: of those, paid late or unpaid past their due date
    overdue: int = 0


def _orders(company_ids: Iterable[int], start: date, end: date):
    Order = get_model("order", "Order")
    PaymentEvent = get_model("order", "PaymentEvent")
    first_paid = (
        PaymentEvent.objects.filter(order=OuterRef("pk"), event_type__code=payments.PAID)
        .order_by()
        .values("order")
        .annotate(at=Min("date_created"))
        .values("at")
    )
    since = datetime.combine(start, time.min, tzinfo=SHANGHAI)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=SHANGHAI)
    return (
        Order.objects.order_by()
        .filter(company_id__in=list(company_ids), date_placed__gte=since, date_placed__lt=until)
        .exclude(status=order_status.CANCELLED)
        .annotate(paid_at=Subquery(first_paid))
        .annotate(placed_day=TruncDate("date_placed", tzinfo=SHANGHAI), paid_day=TruncDate("paid_at", tzinfo=SHANGHAI))
    )


def payment_behaviour(
    company_ids: Iterable[int], start: date, end: date, *, today: date | None = None
) -> dict[int, CompanyPayments]:
    """company id → its days to pay and overdue counts over its orders placed from ``start`` to
    ``end`` (days in Asia/Shanghai, both included); companies without such orders are absent."""
    ids = list(company_ids)
    today = today or timezone.localdate()
    result: dict[int, CompanyPayments] = {}
    waited = ExpressionWrapper(F("paid_day") - F("placed_day"), output_field=DurationField())
    paid = (
        _orders(ids, start, end)
        .filter(paid_at__isnull=False)
        .annotate(waited=waited)
        .values("company_id", "waited")
        .annotate(n=Count("id"))
    )
    for row in paid:
        result.setdefault(row["company_id"], CompanyPayments()).days[row["waited"].days] = row["n"]
    if apps.is_installed("plugins.member_tiers"):
        from plugins.member_tiers.models import CreditEntry

        due_date = CreditEntry.objects.filter(kind=CreditEntry.PURCHASED, order_number=OuterRef("number")).values(
            "due_date"
        )[:1]
        on_account = (
            _orders(ids, start, end)
            .annotate(due_on=Subquery(due_date))
            .filter(due_on__isnull=False)
            .filter(Q(paid_at__isnull=False) | Q(due_on__lt=today))
            .values("company_id")
            .annotate(
                due=Count("id"),
                overdue=Count("id", filter=Q(paid_at__isnull=True) | Q(paid_day__gt=F("due_on"))),
            )
        )
        for row in on_account:
            payments_of = result.setdefault(row["company_id"], CompanyPayments())
            payments_of.due, payments_of.overdue = row["due"], row["overdue"]
    return result
