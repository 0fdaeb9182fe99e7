"""Tracking: Kuaidi100 subscriptions through the kernel's outbox, and applying provider pushes.

A parcel's subscription is an outbox message of channel ``kuaidi100`` (recipient: the provider;
payload: carrier code, tracking number, the consignee's phone), written with the shipment and
delivered by the outbox's workers like any other message: retried with backoff on Kuaidi100's
transient answers (500/503/601) and network errors, dead-lettered on a refusal, re-driven by an
operator (back office → outbox, or ``manage.py logistics_send_subscriptions --retry-failed``).
Without KUAIDI100_KEY / KUAIDI100_SALT / KUAIDI100_CALLBACK_URL nothing is sent: the messages
wait as pending with the reason as their last error.
"""

from __future__ import annotations

from core import outbox
from core.outbox.registry import Deliverer, Outcome
from plugins.logistics.adapters.base import PushRejected
from plugins.logistics.adapters.kuaidi100 import Kuaidi100Adapter
from plugins.logistics.models import Parcel, TrackingEvent
from plugins.logistics.services.shipments import apply_events

CHANNEL = "kuaidi100"
TOPIC = "tracking.subscribe"
NOT_CONFIGURED = "Kuaidi100 is not configured (KUAIDI100_KEY / KUAIDI100_SALT / KUAIDI100_CALLBACK_URL)"
#: kept for callers of the old subscription outbox; the kernel's budget applies
MAX_ATTEMPTS = outbox.MAX_ATTEMPTS


def adapter(session=None) -> Kuaidi100Adapter:
    return Kuaidi100Adapter(session=session)


class Kuaidi100Subscriptions(Deliverer):
    """The ``kuaidi100`` channel (LogisticsConfig.outbox_deliverers). Network only: runs in the
    worker's thread pool over the thread's kept-alive session (or the given adapter's)."""

    concurrent = True

    def __init__(self, kuaidi100: Kuaidi100Adapter | None = None):
        self.kuaidi100 = kuaidi100

    def _adapter(self, session) -> Kuaidi100Adapter:
        return self.kuaidi100 or adapter(session)

    def unavailable(self) -> str:
        return "" if self._adapter(None).configured else NOT_CONFIGURED

    def send(self, message, context, session):
        data = message.payload
        result = self._adapter(session).subscribe(data["company"], data["number"], data.get("phone", ""))
        if result.ok:
            return Outcome(ok=True, response_body=result.message[:4000])
        return Outcome.failed(result.message or "refused", retry=result.retry)


def queue_subscriptions(shipment, parcels: list[Parcel]) -> None:
    """In the shipment's transaction: one subscription message per parcel."""
    address = shipment.order.shipping_address
    phone = str(address.phone_number) if address and address.phone_number else ""
    outbox.enqueue_many(
        outbox.Message(
            dedup_key=f"{CHANNEL}:parcel:{parcel.pk}",
            topic=TOPIC,
            channel=CHANNEL,
            recipient=CHANNEL,
            payload={"company": parcel.carrier.kuaidi100_code, "number": parcel.tracking_number, "phone": phone},
            reference=parcel.tracking_number,
            subject=parcel,
            partner=shipment.partner,
        )
        for parcel in parcels
    )


def subscriptions():
    return outbox.OutboxMessage.objects.filter(channel=CHANNEL)


def subscription_of(parcel: Parcel) -> outbox.OutboxMessage | None:
    return subscriptions().filter(parcel=parcel).first()


def send_pending_subscriptions(kuaidi100: Kuaidi100Adapter | None = None) -> tuple[int, int]:
    """Send every waiting subscription now, due or not (a manual flush; the outbox's own drains
    respect the backoff). Returns (sent, still pending and worth retrying)."""
    deliverer = Kuaidi100Subscriptions(kuaidi100)
    reason = deliverer.unavailable()
    if reason:
        outbox.note_unavailable(CHANNEL, reason)
        return 0, 0
    report = outbox.run(channels=(CHANNEL,), deliverers={CHANNEL: deliverer}, due_only=False)
    return report.delivered, report.retrying


def redrive_failed() -> int:
    """Operator re-drive: dead-lettered subscriptions become pending again (sent by the next drain)."""
    return outbox.redrive_many(subscriptions().filter(status=outbox.Status.DEAD), via="command")


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


__all__ = [
    "PushRejected",
    "Kuaidi100Subscriptions",
    "queue_subscriptions",
    "receive_kuaidi100_push",
    "redrive_failed",
    "send_pending_subscriptions",
    "subscription_of",
]
