"""Escalating supplier orders nobody accepted in time (or that were rejected), and re-routing
them to the supplier's backup: a new supplier order, the original cancelled and linked."""

import logging
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from core.statemachine import StateMachine
from plugins.s2b2b_orders.models import (
    Escalation,
    State,
    SupplierOrder,
    SupplierOrderEvent,
    SupplierOrderLine,
    SupplierProfile,
)
from plugins.s2b2b_orders.services import lifecycle
from plugins.s2b2b_orders.services.notify import notify, notify_many
from plugins.s2b2b_orders.services.split import DEFAULT_ACCEPTANCE_HOURS

StockRecord = get_model("partner", "StockRecord")

logger = logging.getLogger(__name__)

#: An escalation is resolved once: re-routed to the backup, or dismissed by an operator.
RESOLUTION = StateMachine(
    name="escalation",
    transitions={
        Escalation.Resolution.OPEN: frozenset({Escalation.Resolution.REROUTED, Escalation.Resolution.DISMISSED}),
        Escalation.Resolution.REROUTED: frozenset(),
        Escalation.Resolution.DISMISSED: frozenset(),
    },
    labels=dict(Escalation.Resolution.choices),
    subject=gettext_lazy("The escalation of %(subject)s"),
    state_field="resolution",
    timestamps={Escalation.Resolution.REROUTED: "resolved_at", Escalation.Resolution.DISMISSED: "resolved_at"},
)


def escalate(so: SupplierOrder, *, reason: str = "deadline", now: datetime | None = None) -> Escalation:
    """Open an escalation (once per supplier order), alert operators, apply the re-route policy."""
    now = now or timezone.now()
    with transaction.atomic():
        lifecycle.lock_parent(so)  # the parent order first, as every transition does
        locked = SupplierOrder.objects.select_for_update(of=("self",)).select_related("partner").get(pk=so.pk)
        escalation, created = Escalation.objects.get_or_create(supplier_order=locked, defaults={"reason": reason})
        if not created:
            return escalation
        locked.escalated_at = now
        locked.save(update_fields=["escalated_at"])
        notify(locked, "supplier_order.escalated")
        profile = SupplierProfile.objects.filter(partner_id=locked.partner_id).first()
        if profile and profile.auto_reroute and profile.backup_partner_id:
            reroute(locked, actor=None, note=_("Re-routed automatically by the supplier's policy."), now=now)
            escalation.refresh_from_db()
        return escalation


def escalate_overdue(*, now: datetime | None = None, limit: int = 500) -> int:
    """Beat task body: escalate the forwarded supplier orders past their deadline (at most
    ``limit`` a run, the most overdue first); returns how many.

    Set-based, as ``escalate`` does for one: the batch is locked (rows another transaction holds
    are left to the next run), its escalations written in one statement, its ``escalated_at``
    in another, the operators alerted in one more (``notify_many``), and the suppliers'
    re-route policies read once. Only orders whose supplier re-routes automatically cost
    queries of their own (a re-route writes a new supplier order)."""
    now = now or timezone.now()
    with transaction.atomic():
        batch = list(
            SupplierOrder.objects.select_for_update(of=("self",), skip_locked=True)
            .filter(state=State.FORWARDED, deadline_at__lt=now, escalated_at__isnull=True, escalation__isnull=True)
            .select_related("order", "partner")
            .prefetch_related("lines")
            .order_by("deadline_at", "pk")[:limit]
        )
        if not batch:
            return 0
        Escalation.objects.bulk_create([Escalation(supplier_order=so, reason="deadline") for so in batch])
        SupplierOrder.objects.filter(pk__in=[so.pk for so in batch]).update(escalated_at=now)
        for so in batch:
            so.escalated_at = now
        notify_many(batch, "supplier_order.escalated")
        rerouting = set(
            SupplierProfile.objects.filter(
                partner_id__in={so.partner_id for so in batch}, auto_reroute=True, backup_partner__isnull=False
            ).values_list("partner_id", flat=True)
        )
        for so in batch:
            if so.partner_id in rerouting:
                try:
                    with transaction.atomic():
                        reroute(so, actor=None, note=_("Re-routed automatically by the supplier's policy."), now=now)
                except ValidationError as exc:  # left open for an operator, like any escalation
                    logger.warning("automatic re-route of %s failed: %s", so.number, exc)
        return len(batch)


def reroute(so: SupplierOrder, *, actor=None, note: str = "", now: datetime | None = None) -> SupplierOrder:
    """Give the lines of `so` to the backup supplier as a new supplier order; cancel and link `so`."""
    now = now or timezone.now()
    with transaction.atomic():
        lifecycle.lock_parent(so)  # the parent order first, as every transition does
        locked = SupplierOrder.objects.select_for_update(of=("self",)).select_related("order", "partner").get(pk=so.pk)
        profile = SupplierProfile.objects.filter(partner_id=locked.partner_id).select_related("backup_partner").first()
        if profile is None or profile.backup_partner_id is None:
            raise ValidationError(
                {
                    "backup": ValidationError(
                        _("Supplier %(name)s has no backup supplier.") % {"name": locked.partner.name}, code="no_backup"
                    )
                }
            )
        if lifecycle.hasattr_replacement(locked):
            raise ValidationError(
                {"backup": ValidationError(_("This supplier order was already re-routed."), code="already_rerouted")}
            )
        if locked.state not in (State.FORWARDED, State.REJECTED):
            raise ValidationError(
                {
                    "state": ValidationError(
                        _("Only a forwarded or rejected supplier order can be re-routed; this one is “%(state)s”.")
                        % {"state": lifecycle.state_label(locked.state)},
                        code="invalid_transition",
                    )
                }
            )
        backup_profile = SupplierProfile.objects.filter(partner_id=profile.backup_partner_id).first()
        hours = backup_profile.acceptance_hours if backup_profile else DEFAULT_ACCEPTANCE_HOURS
        sequence = (SupplierOrder.objects.filter(order=locked.order).aggregate(m=Max("sequence"))["m"] or 0) + 1
        fields = {
            f: getattr(locked, f)
            for f in (
                "currency",
                "subtotal",
                "freight",
                "consignee",
                "company",
                "phone",
                "province",
                "city",
                "district",
                "street",
                "postcode",
                "buyer_note",
                "buyer_remark",  # the buyer's words to the supplier go to whoever takes its part over
            )
        }
        new = SupplierOrder.objects.create(
            number=f"{locked.order.number}-S{sequence}",
            order=locked.order,
            partner_id=profile.backup_partner_id,
            sequence=sequence,
            deadline_at=now + timedelta(hours=hours),
            replaces=locked,
            **fields,
        )
        lines = list(locked.lines.select_related("order_line"))
        # what the backup charges for the same products, from its own offers
        backup_costs = dict(
            StockRecord.objects.filter(
                partner_id=profile.backup_partner_id, product_id__in=[line.order_line.product_id for line in lines]
            ).values_list("product_id", "cost")
        )
        SupplierOrderLine.objects.bulk_create(
            [
                SupplierOrderLine(
                    supplier_order=new,
                    order_line_id=line.order_line_id,
                    sku=line.sku,
                    name=line.name,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    line_total=line.line_total,
                    unit_cost=backup_costs.get(line.order_line.product_id),
                )
                for line in lines
            ]
        )
        SupplierOrderEvent.objects.create(
            supplier_order=new,
            from_state="",
            to_state=State.FORWARDED,
            actor=actor,
            via=lifecycle.VIA_BACK_OFFICE if actor else lifecycle.VIA_SYSTEM,
            reason=_("Re-routed from %(number)s") % {"number": locked.number},
        )
        notify(new, "supplier_order.forwarded")
        # the replacement exists before the original is cancelled, so the order never looks
        # as if all its parts were cancelled
        if locked.state == State.FORWARDED:
            lifecycle.transition(
                locked,
                State.CANCELLED,
                actor=actor,
                via=lifecycle.VIA_BACK_OFFICE if actor else lifecycle.VIA_SYSTEM,
                reason=_("Re-routed to %(name)s") % {"name": profile.backup_partner.name},
                now=now,
            )
        escalation = Escalation.objects.filter(supplier_order=locked).first()
        if escalation is not None and escalation.resolution == Escalation.Resolution.OPEN:
            RESOLUTION.transition(
                escalation,
                Escalation.Resolution.REROUTED,
                actor=actor,
                via=lifecycle.VIA_BACK_OFFICE if actor else lifecycle.VIA_SYSTEM,
                reason=note,
                now=now,
                changes={"resolved_by": actor, "note": note},
            )
        lifecycle.sync_parent(locked.order)
        return new


def dismiss(escalation: Escalation, *, actor, note: str = "") -> Escalation:
    return RESOLUTION.transition(
        escalation,
        Escalation.Resolution.DISMISSED,
        actor=actor,
        via=lifecycle.VIA_BACK_OFFICE,
        reason=note,
        field_name="escalation",
        changes={"resolved_by": actor, "note": note},
    )
