"""Who hears about a supplier order event, and how: every message goes through the outbox."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from plugins.s2b2b_orders.models import Channel, OutboxMessage, SupplierOrder, SupplierProfile
from plugins.s2b2b_orders.services.outbox import enqueue, schedule_drain

User = get_user_model()

SUPPLIER_TOPICS = {"supplier_order.forwarded", "supplier_order.cancelled"}


def supplier_order_payload(so: SupplierOrder, topic: str) -> dict:
    """The webhook body (documented in README, "Webhook payload")."""
    return {
        "event": topic,
        "supplier_order": {
            "number": so.number,
            "order_number": so.order.number,
            "state": so.state,
            "supplier_code": so.partner.code,
            "currency": so.currency,
            "placed_at": so.order.date_placed.isoformat(),
            "accept_by": so.deadline_at.isoformat(),
            "subtotal": str(so.subtotal),
            "freight": str(so.freight),
            "total": str(so.total),
            "replaces": so.replaces.number if so.replaces_id else None,
            "delivery_address": {
                "consignee": so.consignee,
                "company": so.company,
                "phone": so.phone,
                "province": so.province,
                "city": so.city,
                "district": so.district,
                "street": so.street,
                "postcode": so.postcode,
            },
            "lines": [
                {
                    "sku": line.sku,
                    "name": line.name,
                    "quantity": line.quantity,
                    "unit_price": str(line.unit_price),
                    "line_total": str(line.line_total),
                    "unit_cost": None if line.unit_cost is None else str(line.unit_cost),
                }
                for line in so.lines.all()
            ],
        },
    }


def _text(so: SupplierOrder, topic: str) -> tuple[str, str]:
    # messages are stored in the platform language (Chinese): they are read later, by someone else
    with translation.override("zh-hans"):
        subjects = {
            "supplier_order.forwarded": _("New order %(number)s to handle"),
            "supplier_order.cancelled": _("Order %(number)s was cancelled"),
            "supplier_order.accepted": _("Your order %(order)s: %(supplier)s accepted its part"),
            "supplier_order.rejected": _("Supplier %(supplier)s rejected %(number)s"),
            "supplier_order.partially_shipped": _("Your order %(order)s: part of it has shipped"),
            "supplier_order.shipped": _("Your order %(order)s: %(supplier)s shipped its part"),
            "supplier_order.delivered": _("Your order %(order)s: %(supplier)s's part was delivered"),
            "supplier_order.completed": _("Your order %(order)s: %(supplier)s's part is complete"),
            "supplier_order.escalated": _("Supplier order %(number)s was not accepted in time"),
        }
        params = {"number": so.number, "order": so.order.number, "supplier": so.partner.name}
        subject = str(subjects[topic]) % params
        lines = [subject, ""]
        lines += [f"{line.sku} {line.name} × {line.quantity}" for line in so.lines.all()]
        if so.rejection_reason:
            lines += ["", _("Reason: %(reason)s") % {"reason": so.rejection_reason}]
        if topic in SUPPLIER_TOPICS:
            lines += ["", _("Accept by %(deadline)s") % {"deadline": so.deadline_at.strftime("%Y-%m-%d %H:%M")}]
            lines += [reverse("s2b2b-portal-order", kwargs={"number": so.number})]
        return subject, "\n".join(str(x) for x in lines)


def _key(so: SupplierOrder, topic: str, channel: str, recipient: str, occurrence: str) -> str:
    return f"{so.number}:{topic}:{occurrence}:{channel}:{recipient}"[:255]


def notify(so: SupplierOrder, topic: str, occurrence: str = "") -> None:
    """Write the outbox messages for one event of a supplier order.

    `occurrence` tells apart events that may repeat (each partial shipment); the same event
    written twice (a retry) yields the same keys and so no second message."""
    subject, body = _text(so, topic)
    text = {"subject": subject, "body": body}
    recipients: list[tuple[str, str, dict]] = []
    if topic in SUPPLIER_TOPICS:
        profile = SupplierProfile.objects.filter(partner_id=so.partner_id).first()
        for user_id in so.partner.users.values_list("id", flat=True):
            recipients.append(("notification", str(user_id), text))
        if profile and profile.channel == Channel.EMAIL and profile.contact_email:
            recipients.append(("email", profile.contact_email, text))
        if profile and profile.channel == Channel.WEBHOOK and profile.webhook_url:
            recipients.append(("webhook", profile.webhook_url, supplier_order_payload(so, topic)))
    elif topic in ("supplier_order.rejected", "supplier_order.escalated"):
        for user_id in User.objects.filter(is_staff=True, is_active=True).values_list("id", flat=True):
            recipients.append(("notification", str(user_id), text))
    else:  # progress the distributor sees
        if so.order.user_id:
            recipients.append(("notification", str(so.order.user_id), text))
    for channel, recipient, payload in recipients:
        enqueue(
            dedup_key=_key(so, topic, channel, recipient, occurrence),
            topic=topic,
            channel=channel,
            recipient=recipient,
            payload=payload,
            supplier_order=so,
            partner=so.partner,
        )


def notify_operators(sos: list[SupplierOrder], topic: str) -> int:
    """``notify`` for many supplier orders at once on an operator topic (the nightly escalation
    sweep): the operators are read once and every message is written in one statement (same
    dedup keys as ``notify``, so a message already written is not written twice). The orders
    should come with ``order``, ``partner`` and ``lines`` loaded."""
    if topic not in ("supplier_order.rejected", "supplier_order.escalated"):
        raise ValueError(f"not an operator topic: {topic}")
    operators = [str(pk) for pk in User.objects.filter(is_staff=True, is_active=True).values_list("id", flat=True)]
    now = timezone.now()
    messages = []
    for so in sos:
        subject, body = _text(so, topic)
        for recipient in operators:
            messages.append(
                OutboxMessage(
                    dedup_key=_key(so, topic, "notification", recipient, ""),
                    topic=topic,
                    channel="notification",
                    recipient=recipient,
                    payload={"subject": subject, "body": body},
                    supplier_order=so,
                    partner=so.partner,
                    next_attempt_at=now,
                )
            )
    if messages:
        OutboxMessage.objects.bulk_create(messages, ignore_conflicts=True)
        schedule_drain()
    return len(messages)
