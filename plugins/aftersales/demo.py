"""Demo after-sales requests (run by seed_demo after the other plugins): on the newest delivered
or completed supplier parts still inside the after-sales window, a return and refund awaiting the
supplier (one unit, damaged) and an exchange the supplier approved. Idempotent: nothing is added
when requests exist already."""

from django.utils import timezone
from django.utils.translation import gettext as _

from plugins.aftersales.models import AfterSalesRequest, Kind, Reason
from plugins.aftersales.services import requests as services
from plugins.s2b2b_orders.models import SupplierOrder


def _candidates(now):
    parts = (
        SupplierOrder.objects.filter(
            state__in=services.ELIGIBLE_PARTS, replaced_by__isnull=True, order__user__isnull=False
        )
        .select_related("order", "partner")
        .prefetch_related("lines")
        .order_by("-delivered_at", "-id")
    )
    for so in parts[:50]:
        if services.eligibility_problem(so, now=now) is None and so.lines.all():
            yield so


def seed(report, *, now, seed) -> None:
    if AfterSalesRequest.objects.exists():
        return
    now = now or timezone.now()
    made = []
    for so, kind in zip(_candidates(now), (Kind.RETURN, Kind.EXCHANGE), strict=False):
        line = max(so.lines.all(), key=lambda row: (row.quantity, -row.pk))
        req = services.create_request(
            supplier_order=so,
            kind=kind,
            reason=Reason.DAMAGED if kind == Kind.RETURN else Reason.WRONG_ITEM,
            description="外箱破损，一件变形" if kind == Kind.RETURN else "规格发错，请换成订单上的规格",
            lines=[(line, 1)],
            by=so.order.user,
            now=now,
        )
        if kind == Kind.EXCHANGE:
            staff = so.partner.users.order_by("id").first()
            services.approve(req, by=staff)
        made.append(req)
    report.notes.append(
        _("After-sales: %(count)d requests (a return awaiting the supplier, an exchange approved).")
        % {"count": len(made)}
    )
