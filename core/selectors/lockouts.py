"""Failed sign-ins recorded by django-axes, for the operators' 登录锁定 page."""

from django.conf import settings
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When


def failed_sign_ins(query: str = "") -> QuerySet:
    """Attempt records (one per account and address), locked ones first, newest first; ``query``
    filters by account or address."""
    from axes.models import AccessAttempt

    rows = AccessAttempt.objects.annotate(
        locked=Case(
            When(failures_since_start__gte=settings.AXES_FAILURE_LIMIT, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )
    if query:
        rows = rows.filter(Q(username__icontains=query) | Q(ip_address__icontains=query))
    return rows.order_by("-locked", "-attempt_time")
