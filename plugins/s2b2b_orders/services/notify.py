"""Who hears about a supplier order event, and how: every message goes through the kernel's
outbox (core.outbox); ``notify`` is this plugin's thin wrapper over it."""

from collections import defaultdict
from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core import access, outbox
from core.outbox.payload import money, text, when
from plugins.s2b2b_orders.models import Channel, State, SupplierOrder, SupplierProfile

Partner = get_model("partner", "Partner")

User = get_user_model()

SUPPLIER_TOPICS = {"supplier_order.forwarded", "supplier_order.cancelled"}


def supplier_order_payload(so: SupplierOrder, topic: str) -> dict:
    """The webhook body (documented in README, "Webhook payload"). Every field has one type on
    every path: numbers and codes are strings (an order fresh from Oscar's OrderCreator carries
    its number as an int), money is a string with two decimals, times are ISO 8601."""
    return {
        "event": topic,
        "supplier_order": {
            "number": text(so.number),
            "order_number": text(so.order.number),
            "state": text(so.state),
            "supplier_code": text(so.partner.code),
            "currency": so.currency,
            "placed_at": when(so.order.date_placed),
            "accept_by": when(so.deadline_at),
            "subtotal": money(so.subtotal),
            "freight": money(so.freight),
            "total": money(so.total),
            "replaces": so.replaces.number if so.replaces_id else None,
            "purchase_order_number": text(getattr(so.order, "purchase_order_number", "") or ""),
            "buyer_remark": so.buyer_remark,
            "delivery_notes": so.buyer_note,
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
                    "sku": text(line.sku),
                    "name": line.name,
                    "quantity": int(line.quantity),
                    "unit_price": money(line.unit_price),
                    "line_total": money(line.line_total),
                    "unit_cost": money(line.unit_cost),
                    "shipped_quantity": int(line.shipped_quantity),
                    "outstanding_quantity": int(line.outstanding_quantity),
                }
                for line in so.lines.all()
            ],
            "shipments": _shipments_payload(so),
        },
    }


def _shipments_payload(so: SupplierOrder) -> list[dict]:
    """Each shipment of the part with the lines it carried; a part not yet shipped has none (and
    costs no query: forwarding writes every part's payload at once)."""
    if so.state in (State.FORWARDED, State.ACCEPTED, State.REJECTED) or (
        so.state == State.CANCELLED and so.shipped_at is None
    ):
        return []
    from core.shipments import shipments

    return [
        {
            "carrier": text(s.carrier.code),
            "tracking_numbers": [text(n) for n in _tracking_numbers(s)],
            "shipped_at": when(getattr(s, "shipped_at", None)),
            "lines": [{"sku": text(item.sku), "quantity": int(item.quantity)} for item in s.line_items],
        }
        for s in shipments().for_order(so.order, partner=so.partner, reference=so.number)
    ]


def _tracking_numbers(shipment) -> list[str]:
    parcels = getattr(shipment, "parcels", None)
    if parcels is not None:
        return [p.tracking_number for p in parcels.all()]
    return list(getattr(shipment, "tracking_numbers", []))


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
        purchase_order_number = getattr(so.order, "purchase_order_number", "")
        if purchase_order_number:
            lines += ["", _("Buyer's purchase order number: %(number)s") % {"number": purchase_order_number}]
        if so.buyer_note:
            lines += ["", _("Delivery notes: %(notes)s") % {"notes": so.buyer_note}]
        if so.buyer_remark:
            lines += ["", _("Buyer's remark: %(remark)s") % {"remark": so.buyer_remark}]
        if so.rejection_reason:
            lines += ["", _("Reason: %(reason)s") % {"reason": so.rejection_reason}]
        if topic in SUPPLIER_TOPICS:
            lines += ["", _("Accept by %(deadline)s") % {"deadline": so.deadline_at.strftime("%Y-%m-%d %H:%M")}]
            lines += [reverse("s2b2b-portal-order", kwargs={"number": so.number})]
        return subject, "\n".join(str(x) for x in lines)


def _key(so: SupplierOrder, topic: str, channel: str, recipient: str, occurrence: str) -> str:
    return f"{so.number}:{topic}:{occurrence}:{channel}:{recipient}"[:255]


OPERATOR_TOPICS = {"supplier_order.rejected", "supplier_order.escalated"}


class _Audience:
    """Who hears about one topic for a batch of supplier orders, read once for the whole batch:
    the suppliers' profiles and staff (supplier topics), the operators (operator topics), or
    each order's distributor (progress)."""

    def __init__(self, sos: list[SupplierOrder], topic: str):
        self.topic = topic
        self.profiles: dict[int, SupplierProfile] = {}
        self.staff: dict[int, list[str]] = defaultdict(list)
        self.operators: list[str] = []
        if topic in SUPPLIER_TOPICS:
            partner_ids = {so.partner_id for so in sos}
            self.profiles = {p.partner_id: p for p in SupplierProfile.objects.filter(partner_id__in=partner_ids)}
            staff = Partner.users.through.objects.filter(partner_id__in=partner_ids).order_by("user_id")
            for partner_id, user_id in staff.values_list("partner_id", "user_id"):
                self.staff[partner_id].append(str(user_id))
        elif topic in OPERATOR_TOPICS:
            self.operators = [str(pk) for pk in access.operator_users().values_list("id", flat=True)]  # not salespeople

    def recipients(self, so: SupplierOrder, text_payload: dict) -> list[tuple[str, str, dict]]:
        if self.topic in OPERATOR_TOPICS:
            return [("notification", user_id, text_payload) for user_id in self.operators]
        if self.topic not in SUPPLIER_TOPICS:  # progress the distributor sees
            return [("notification", str(so.order.user_id), text_payload)] if so.order.user_id else []
        found = [("notification", user_id, text_payload) for user_id in self.staff[so.partner_id]]
        profile = self.profiles.get(so.partner_id)
        if profile and profile.channel == Channel.EMAIL and profile.contact_email:
            found.append(("email", profile.contact_email, text_payload))
        if profile and profile.channel == Channel.WEBHOOK and profile.webhook_url:
            found.append(("webhook", str(so.partner_id), supplier_order_payload(so, self.topic)))
        return found


def _messages(so: SupplierOrder, topic: str, occurrence: str, audience: _Audience) -> Iterator[outbox.Message]:
    subject, body = _text(so, topic)
    for channel, recipient, payload in audience.recipients(so, {"subject": subject, "body": body}):
        yield outbox.Message(
            dedup_key=_key(so, topic, channel, recipient, occurrence),
            topic=topic,
            channel=channel,
            recipient=recipient,
            payload=payload,
            reference=text(so.number),
            subject=so,
            partner=so.partner,
        )


def notify(so: SupplierOrder, topic: str, occurrence: str = "") -> None:
    """Write the outbox messages for one event of a supplier order (one statement).

    `occurrence` tells apart events that may repeat (each partial shipment); the same event
    written twice (a retry) yields the same keys and so no second message. A webhook's
    recipient is the supplier itself: its URL and secret are read when the message is sent."""
    outbox.enqueue_many(_messages(so, topic, occurrence, _Audience([so], topic)))


def notify_many(sos: list[SupplierOrder], topic: str) -> int:
    """``notify`` for many supplier orders on one topic (an order's split, the escalation
    sweep): who hears is read once and every message is written in one statement, whatever the
    number of orders (same dedup keys as ``notify``). The orders should come with ``order``,
    ``partner`` and ``lines`` loaded. Returns how many messages were offered."""
    audience = _Audience(sos, topic)
    return outbox.enqueue_many(message for so in sos for message in _messages(so, topic, "", audience))
