"""Tracking: the subscription outbox and applying provider pushes."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from plugins.logistics.adapters.base import PushRejected
from plugins.logistics.adapters.kuaidi100 import Kuaidi100Adapter
from plugins.logistics.models import Parcel, TrackingEvent, TrackingSubscription
from plugins.logistics.services.shipments import apply_events

MAX_ATTEMPTS = 8


def adapter():
    return Kuaidi100Adapter()


def send_pending_subscriptions(kuaidi100: Kuaidi100Adapter | None = None) -> tuple[int, int]:
    """Send every pending subscription once. Returns (sent, still pending and worth retrying)."""
    kuaidi100 = kuaidi100 or adapter()
    sent = retry = 0
    if not kuaidi100.configured:
        TrackingSubscription.objects.filter(state=TrackingSubscription.PENDING).update(
            last_error="Kuaidi100 is not configured (KUAIDI100_KEY / KUAIDI100_SALT / KUAIDI100_CALLBACK_URL)"
        )
        return 0, 0
    ids = list(TrackingSubscription.objects.filter(state=TrackingSubscription.PENDING).values_list("pk", flat=True))
    for pk in ids:
        with transaction.atomic():
            sub = (
                TrackingSubscription.objects.select_for_update(skip_locked=True)
                .select_related("parcel__carrier", "parcel__shipment__order__shipping_address")
                .filter(pk=pk, state=TrackingSubscription.PENDING)
                .first()
            )
            if sub is None:
                continue
            parcel = sub.parcel
            address = parcel.shipment.order.shipping_address
            phone = str(address.phone_number) if address and address.phone_number else ""
            result = kuaidi100.subscribe(parcel.carrier.kuaidi100_code, parcel.tracking_number, phone)
            sub.attempts += 1
            if result.ok:
                sub.state, sub.sent_at, sub.last_error = TrackingSubscription.SENT, timezone.now(), ""
                sent += 1
            else:
                sub.last_error = result.message[:2000]
                if result.retry and sub.attempts < MAX_ATTEMPTS:
                    retry += 1
                else:
                    sub.state = TrackingSubscription.FAILED
            sub.save()
    return sent, retry


def resubscribe(subscription: TrackingSubscription) -> None:
    """Operator re-drive of a failed subscription."""
    TrackingSubscription.objects.filter(pk=subscription.pk).update(state=TrackingSubscription.PENDING, attempts=0)


def receive_kuaidi100_push(data: dict, kuaidi100: Kuaidi100Adapter | None = None) -> int:
    """Apply a verified Kuaidi100 push; returns the number of new events.

    PushRejected for a bad signature or body. A push for a parcel we do not know is accepted
    and ignored (answering an error would only make Kuaidi100 push it again).
    """
    kuaidi100 = kuaidi100 or adapter()
    push = kuaidi100.parse_push(data)
    parcel = (
        Parcel.objects.select_related("shipment")
        .filter(carrier__kuaidi100_code=push.company, tracking_number=push.number.upper())
        .first()
    )
    if parcel is None:
        return 0
    return apply_events(parcel, push.events, TrackingEvent.KUAIDI100)


__all__ = ["PushRejected", "send_pending_subscriptions", "receive_kuaidi100_push", "resubscribe"]
