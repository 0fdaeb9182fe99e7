"""Demo data of this area (called by plugins.finance.demo in area order): for every supplier with
delivered orders past their after-sales window, a closed period (a batch confirmed by the
supplier's staff and paid) and an open one (a draft of what was delivered since). Idempotent: a
supplier that has batches is left alone."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils.translation import gettext as _

from plugins.finance.models import SettlementBatch
from plugins.finance.services import settlement
from plugins.finance.services.ledger import SHANGHAI, business_date


def _finance_user():
    return get_user_model().objects.filter(is_superuser=True, is_active=True, is_staff=True).order_by("pk").first()


def seed(report, *, now, rng) -> None:
    """Add this area's demo rows; ``report.notes`` gets one line saying what was added."""
    from django.db.models import Q
    from django.utils import timezone

    from plugins.s2b2b_orders.models import State, SupplierOrder

    by = _finance_user()
    if by is None:
        return
    today = business_date(now)
    made = []
    delivered = (
        SupplierOrder.objects.filter(state__in=(State.DELIVERED, State.COMPLETED), delivered_at__isnull=False)
        .filter(settlement.cutoff(today, now))
        .exclude(partner__settlement_batches__isnull=False)
        .filter(Q(partner__supplier_profile__isnull=False))
        .values_list("partner_id")
        .annotate(first=Min("delivered_at"))
        .order_by("partner_id")
    )
    from oscar.core.loading import get_model

    Partner = get_model("partner", "Partner")
    for partner_id, first in delivered:
        partner = Partner.objects.get(pk=partner_id)
        staff = partner.users.filter(is_active=True).order_by("pk").first()
        dates = sorted(
            timezone.localtime(d, SHANGHAI).date()
            for d in SupplierOrder.objects.filter(partner=partner, state__in=(State.DELIVERED, State.COMPLETED))
            .filter(settlement.cutoff(today, now))
            .values_list("delivered_at", flat=True)
        )
        start = timezone.localtime(first, SHANGHAI).date().replace(day=1)
        split = dates[len(dates) // 2] if len(dates) > 1 else None
        try:
            with transaction.atomic():
                if split is not None and split < dates[-1] and staff is not None:
                    closed = settlement.draft_batch(partner, period_start=start, period_end=split, by=by, now=now)
                    settlement.confirm(closed, by=staff, now=now)
                    settlement.pay(closed, payout_reference=f"DEMO-{closed.number}", by=by, now=now)
                    made.append(closed)
                    start = split + timedelta(days=1)
                made.append(settlement.draft_batch(partner, period_start=start, period_end=today, by=by, now=now))
        except ValidationError:
            continue
    if made:
        paid = sum(1 for b in made if b.state == SettlementBatch.State.PAID)
        report.notes.append(
            _("Settlement: %(paid)d paid batches (closed periods) and %(open)d drafts (open periods).")
            % {"paid": paid, "open": len(made) - paid}
        )
