"""Shipments: recording them (carrier, parcels, vouchers) and their tracking events."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.files import NOT_IMAGE_OR_PDF, TOO_BIG, document_problem, image_or_pdf_type
from plugins.logistics.models import (
    Carrier,
    Parcel,
    Shipment,
    ShipmentLine,
    ShipmentVoucher,
    TrackingEvent,
)
from plugins.logistics.signals import shipment_delivered

logger = logging.getLogger(__name__)
MAX_VOUCHER_BYTES = 10 * 1024 * 1024
MAX_PARCELS = 50
_STATUS_RANK = {
    Shipment.SHIPPED: 0,
    Shipment.IN_TRANSIT: 1,
    Shipment.DELIVERING: 2,
    Shipment.DELIVERED: 3,
}


def normalise_tracking_number(number: str) -> str:
    return re.sub(r"\s+", "", number or "").upper()


def validate_tracking_number(carrier: Carrier, number: str) -> str:
    """The normalised number, or ValidationError with a message naming the carrier."""
    normalised = normalise_tracking_number(number)
    if not normalised:
        raise ValidationError(_("Enter a tracking number."), code="required")
    if not re.fullmatch(carrier.tracking_pattern, normalised):
        raise ValidationError(
            _("“%(number)s” is not a valid %(carrier)s tracking number.") % {"number": number, "carrier": carrier.name},
            code="malformed",
        )
    return normalised


voucher_content_type = image_or_pdf_type  # the content type a voucher download is served with


def _voucher_error(upload) -> str | None:
    name = getattr(upload, "name", "") or ""
    problem = document_problem(upload, max_bytes=MAX_VOUCHER_BYTES)
    if problem == TOO_BIG:
        return _("%(name)s is larger than 10 MB.") % {"name": name}
    if problem == NOT_IMAGE_OR_PDF:
        return _("%(name)s is not an image or a PDF.") % {"name": name}
    return None


def record_shipment(
    *,
    order,
    partner,
    reference: str,
    carrier_code: str,
    tracking_numbers: list[str],
    vouchers: Iterable = (),
    shipped_by=None,
    lines: Iterable = (),
) -> Shipment:
    """Record that ``partner`` shipped (part of) ``order``: carrier, parcels, vouchers, and the
    lines it carries (core.shipments.ShippedLine: order line, SKU, name, quantity; the caller
    checked the quantities against what is outstanding).

    Raises ValidationError keyed by "carrier", "tracking_numbers", "vouchers" or "partner";
    nothing is written when it does. Each parcel with a Kuaidi100 carrier code gets a
    subscription queued in the kernel's outbox in the same transaction (channel "kuaidi100",
    sent by the outbox's workers after commit).
    """
    errors: dict[str, list[str]] = {}
    carrier = Carrier.objects.filter(code=carrier_code, active=True).first()
    if carrier is None:
        errors["carrier"] = [_("Choose a carrier from the list.")]
    if partner is None or not order.lines.filter(partner=partner).exists():
        errors["partner"] = [_("This order has no goods from this supplier.")]
    numbers: list[str] = []
    number_errors: list[str] = []
    tracking_numbers = list(tracking_numbers or [])
    if not tracking_numbers:
        number_errors.append(_("Enter at least one tracking number."))
    elif len(tracking_numbers) > MAX_PARCELS:
        number_errors.append(_("At most %(n)d tracking numbers per shipment.") % {"n": MAX_PARCELS})
    elif carrier is not None:
        for raw in tracking_numbers:
            try:
                number = validate_tracking_number(carrier, raw)
            except ValidationError as exc:
                number_errors.extend(exc.messages)
                continue
            if number in numbers:
                number_errors.append(_("%(number)s is entered twice.") % {"number": number})
            numbers.append(number)
        taken = Parcel.objects.filter(carrier=carrier, tracking_number__in=numbers)
        used = set(taken.values_list("tracking_number", flat=True))
        for number in sorted(used):
            number_errors.append(
                _("%(carrier)s tracking number %(number)s is already used by another shipment.")
                % {"carrier": carrier.name, "number": number}
            )
    if number_errors:
        errors["tracking_numbers"] = number_errors
    vouchers = list(vouchers or [])
    voucher_errors = [e for e in (_voucher_error(v) for v in vouchers) if e]
    if voucher_errors:
        errors["vouchers"] = voucher_errors
    if errors:
        raise ValidationError(errors)

    try:
        return _create_shipment(order, partner, reference, carrier, numbers, vouchers, shipped_by, list(lines or ()))
    except IntegrityError as exc:
        # Another shipment took one of these numbers between the check and the insert.
        message = _("%(carrier)s tracking number %(number)s is already used by another shipment.") % {
            "carrier": carrier.name,
            "number": "、".join(numbers),
        }
        raise ValidationError({"tracking_numbers": [message]}) from exc


def _create_shipment(order, partner, reference, carrier, numbers, vouchers, shipped_by, lines=()) -> Shipment:
    with transaction.atomic():
        shipment = Shipment.objects.create(
            order=order,
            partner=partner,
            reference=reference or "",
            carrier=carrier,
            shipped_at=timezone.now(),
            created_by=shipped_by if getattr(shipped_by, "is_authenticated", False) else None,
        )
        parcels = [Parcel.objects.create(shipment=shipment, carrier=carrier, tracking_number=n) for n in numbers]
        ShipmentLine.objects.bulk_create(
            ShipmentLine(
                shipment=shipment,
                order_line_id=line.order_line_id,
                sku=line.sku,
                name=line.name,
                quantity=line.quantity,
            )
            for line in lines
        )
        for upload in vouchers:
            ShipmentVoucher.objects.create(
                shipment=shipment,
                file=upload,
                uploaded_by=shipped_by if getattr(shipped_by, "is_authenticated", False) else None,
            )
        if carrier.kuaidi100_code:
            from plugins.logistics.services.tracking import queue_subscriptions

            queue_subscriptions(shipment, parcels)
    return shipment


def add_voucher(*, shipment: Shipment, upload, uploaded_by=None) -> ShipmentVoucher:
    error = _voucher_error(upload)
    if error:
        raise ValidationError({"vouchers": [error]})
    return ShipmentVoucher.objects.create(shipment=shipment, file=upload, uploaded_by=uploaded_by)


def _dedup_key(occurred_at: datetime, description: str, location: str = "") -> str:
    return hashlib.sha256(f"{occurred_at.isoformat()}|{location}|{description}".encode()).hexdigest()


def _refresh_status(parcels: Iterable[Parcel]) -> None:
    """A parcel takes the status of its latest event; the shipment the least advanced of its
    parcels, except that a problem or a return shows whenever one parcel has it."""
    shipments = {}
    for parcel in parcels:
        latest = parcel.events.order_by("-occurred_at", "-id").first()
        if latest and parcel.status != latest.status:
            parcel.status = latest.status
            parcel.save(update_fields=["status"])
        shipments[parcel.shipment_id] = parcel.shipment
    for shipment in shipments.values():
        statuses = list(shipment.parcels.values_list("status", flat=True))
        if Shipment.RETURNED in statuses:
            status = Shipment.RETURNED
        elif Shipment.PROBLEM in statuses:
            status = Shipment.PROBLEM
        else:
            status = min(statuses, key=lambda s: _STATUS_RANK.get(s, 0)) if statuses else Shipment.SHIPPED
        if shipment.status != status:
            shipment.status = status
            shipment.save(update_fields=["status"])
            if status == Shipment.DELIVERED:
                shipment_delivered.send(sender=Shipment, shipment=shipment)


def add_tracking_event(
    *,
    parcel: Parcel,
    occurred_at: datetime | None,
    description: str,
    status: str,
    location: str = "",
    entered_by=None,
) -> TrackingEvent:
    """A tracking event entered by a supplier or an operator."""
    errors = {}
    description = (description or "").strip()
    if not description:
        errors["description"] = [_("Describe what happened.")]
    if status not in dict(Shipment.STATUSES):
        errors["status"] = [_("Choose a status from the list.")]
    if occurred_at is None:
        errors["occurred_at"] = [_("Enter when it happened.")]
    elif occurred_at > timezone.now() + timedelta(minutes=5):
        errors["occurred_at"] = [_("The time cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    key = _dedup_key(occurred_at, description, location)
    with transaction.atomic():
        event, created = TrackingEvent.objects.get_or_create(
            parcel=parcel,
            dedup_key=key,
            defaults={
                "occurred_at": occurred_at,
                "description": description[:500],
                "location": (location or "")[:200],
                "status": status,
                "source": TrackingEvent.MANUAL,
                "created_by": entered_by if getattr(entered_by, "is_authenticated", False) else None,
            },
        )
        _refresh_status([parcel])
    return event


def apply_events(parcel: Parcel, events: list[dict], source: str) -> int:
    """Store events from a tracking provider (each dict: occurred_at, description, location,
    status); events already stored (same time, place and text) are skipped. Returns how many
    were new."""
    with transaction.atomic():
        existing = set(parcel.events.values_list("dedup_key", flat=True))
        new = []
        for e in events:
            key = _dedup_key(e["occurred_at"], e["description"], e.get("location", ""))
            if key in existing:
                continue
            existing.add(key)
            new.append(
                TrackingEvent(
                    parcel=parcel,
                    dedup_key=key,
                    occurred_at=e["occurred_at"],
                    description=e["description"][:500],
                    location=(e.get("location") or "")[:200],
                    status=e["status"],
                    source=source,
                )
            )
        TrackingEvent.objects.bulk_create(new, ignore_conflicts=True)
        _refresh_status([parcel])
    return len(new)
