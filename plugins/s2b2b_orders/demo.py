"""Demo data for supplier orders: a profile per demo supplier (each forwarding channel), product
listings approved (plus a few proposals waiting in the review queue), and the historical orders'
supplier orders brought to the state their parent order implies, with shipments and audit rows.

Idempotent: profiles are updated in place, supplier orders already moved are left alone.
Deterministic: every choice comes from a seeded random generator keyed by the order number.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from companies.uscc import generate
from core.money import fen
from core.orders import payments
from core.orders import status as order_status
from core.shipments import shipments
from plugins.s2b2b_orders.models import (
    Channel,
    Escalation,
    LegalStatus,
    ProductChange,
    ReviewStatus,
    State,
    SupplierLegalProfile,
    SupplierOrder,
    SupplierOrderEvent,
    SupplierOrderLine,
    SupplierProfile,
)
from plugins.s2b2b_orders.services import escalation, legal, review
from plugins.s2b2b_orders.services.lifecycle import state_label, sync_parent
from plugins.s2b2b_orders.services.split import split_order

Order = get_model("order", "Order")
PaymentEvent = get_model("order", "PaymentEvent")
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

#: a local address nothing listens on: webhook deliveries fail fast and wait in the outbox
DEMO_WEBHOOK_URL = "http://127.0.0.1:9/s2b2b/webhook"

PROFILES = {
    # code: channel, acceptance hours, backup code, auto re-route, commission, contact
    "jg": (Channel.WEBHOOK, 24, "bf", False, "0.0500", "沈建国", "0512-6588 1200"),
    "df": (Channel.EMAIL, 24, "jg", True, "0.0600", "王海燕", "0574-8766 3300"),
    "hn": (Channel.PORTAL, 48, None, False, "0.0450", "陈志强", "020-3862 5500"),
    "bf": (Channel.PORTAL, 12, "hn", False, "0.0550", "刘素梅", "022-2358 7700"),
}
#: parent statuses whose supplier orders are shown in every open state
OPEN = (order_status.CONFIRMED, order_status.PROCESSING)
CARRIERS = [("sf", "SF{:013d}"), ("zto", "75{:010d}"), ("yto", "YT{:013d}"), ("ems", "EA{:09d}CN")]


def seed(report, *, now, seed):
    settings.S2B2B_WEBHOOK_TIMEOUT = min(float(getattr(settings, "S2B2B_WEBHOOK_TIMEOUT", 5.0)), 2.0)
    partners = {p.code: p for p in Partner.objects.filter(code__in=PROFILES)}
    for code, (channel, hours, backup, auto, rate, contact, phone) in PROFILES.items():
        partner = partners.get(code)
        if partner is None:
            continue
        SupplierProfile.objects.update_or_create(
            partner=partner,
            defaults={
                "legal_name": partner.name,
                "contact_name": contact,
                "contact_phone": phone,
                "contact_email": f"orders-{code}@demo.s2b2b.cn",
                "channel": channel,
                "webhook_url": DEMO_WEBHOOK_URL if channel == Channel.WEBHOOK else "",
                "webhook_secret": f"demo-secret-{code}" if channel == Channel.WEBHOOK else "",
                "acceptance_hours": hours,
                "backup_partner": partners.get(backup) if backup else None,
                "auto_reroute": auto,
                "commission_rate": Decimal(rate),
            },
        )
    _seed_listings(partners)
    legal_pending = _seed_legal(partners, now)
    _seed_history(now, seed)
    states = dict(SupplierOrder.objects.values_list("state").annotate(n=Count("id")))
    summary = ", ".join(f"{state_label(s)} {n}" for s, n in sorted(states.items()))
    report.notes.append(
        _("Suppliers' legal details: %(approved)d approved, %(pending)d waiting for review.")
        % {
            "approved": SupplierLegalProfile.objects.filter(status=LegalStatus.APPROVED).count(),
            "pending": legal_pending,
        }
    )
    report.notes.append(
        _(
            "Supplier orders: %(profiles)d supplier profiles (webhook, e-mail, portal); %(orders)d supplier "
            "orders (%(summary)s); %(escalations)d escalations; %(proposals)d product proposals to review."
        )
        % {
            "profiles": len(partners),
            "orders": sum(states.values()),
            "summary": summary,
            "escalations": Escalation.objects.count(),
            "proposals": ProductChange.objects.filter(status=ReviewStatus.PENDING).count(),
        }
    )


#: per demo supplier: USCC serial, representative, bank, account number, taxpayer type
LEGAL = {
    "jg": (3201, "沈建国", "中国工商银行苏州工业园区支行", "1102020109000123456", "general"),
    "df": (3302, "王海燕", "中国建设银行宁波江北支行", "33150198360100001234", "general"),
    "hn": (4401, "陈志强", "招商银行广州天河支行", "120908765410201", "general"),
    "bf": (1201, "刘素梅", "中国银行天津河西支行", "275680012345", "small"),
}
#: the demo supplier whose change of registered address waits for review
LEGAL_PENDING = ("hn", "黄埔区开创大道 2188 号 3 栋")


def _licence_png(name: str) -> bytes:
    """A plain placeholder image standing for a scanned business licence."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (420, 300), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, 411, 291), outline=(180, 30, 30), width=6)
    draw.text((30, 40), f"BUSINESS LICENCE (demo) {name}", fill=(120, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _seed_legal(partners, now) -> int:
    """Approved legal details for each demo supplier (a valid USCC generated with its province's
    division code); one supplier's change of address waiting for review. Idempotent."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.demo import data
    from core.regions import get_province

    places = {s.code.lower(): s for s in data.SUPPLIERS}
    for code, (serial, representative, bank, account, taxpayer) in LEGAL.items():
        partner, place = partners.get(code), places.get(code)
        if partner is None or place is None:
            continue
        legal.seed_approved(
            partner=partner,
            data={
                "legal_name": place.legal_name,
                "uscc": generate(get_province(place.province).code, serial),
                "province": place.province,
                "city": place.city,
                "address": f"{place.city}经济技术开发区创业路 {serial % 100} 号",
                "representative": representative,
                "bank_name": bank,
                "bank_account": account,
                "taxpayer_type": taxpayer,
            },
            licence_name=f"{code}-licence.png",
            licence_bytes=_licence_png(code.upper()),
            now=now,
        )
    code, address = LEGAL_PENDING
    partner = partners.get(code)
    if partner is not None and SupplierLegalProfile.objects.filter(partner=partner).count() == 1:
        approved = SupplierLegalProfile.objects.get(partner=partner)
        legal.submit(
            partner=partner,
            user=partner.users.first(),
            data={**{name: getattr(approved, name) for name in legal.FIELDS}, "address": address},
            licence=SimpleUploadedFile(f"{code}-licence-2026.png", _licence_png(code.upper() + " 2026")),
        )
    return SupplierLegalProfile.objects.filter(status=LegalStatus.PENDING).count()


def _seed_listings(partners):
    products = list(Product.objects.prefetch_related("stockrecords"))

    def partner_of(product):
        records = list(product.stockrecords.all())
        return records[0].partner if records else None

    review.mark_approved(products, partner_of)
    staff = {code: p.users.first() for code, p in partners.items()}
    if "jg" in partners and not ProductChange.objects.filter(partner=partners["jg"]).exists():
        record = StockRecord.objects.filter(partner=partners["jg"]).select_related("product").order_by("id").first()
        if record:
            review.propose_change(
                product=record.product,
                partner=partners["jg"],
                user=staff["jg"],
                title=record.product.title,
                description=record.product.description,
                price=fen(record.price * Decimal("1.08")),
            )
    if "hn" in partners and not ProductChange.objects.filter(partner=partners["hn"]).exists():
        review.create_product(
            partner=partners["hn"],
            user=staff["hn"],
            sku="HN-DEMO-NEW-1",
            title="工业除锈剂 500ml（新品）",
            description="快速渗透除锈，适用于螺栓、轴承等金属部件。",
            price="26.80",
            stock=300,
            cost="18.50",
            categories=list(
                Product.objects.filter(stockrecords__partner=partners["hn"]).order_by("id").first().categories.all()
            ),
        )


def _forward_secured_history() -> int:
    """Past orders whose payment was secured (the order-history demo records those events without
    replaying them) are split and forwarded as if at that moment."""
    secured = PaymentEvent.objects.filter(event_type__code=payments.SECURED)
    orders = (
        Order.objects.filter(payment_events__in=secured, supplier_orders__isnull=True)
        .exclude(status=order_status.CANCELLED)
        .distinct()
        .order_by("date_placed", "id")
    )
    count = 0
    for order in orders:
        secured_at = secured.filter(order=order).values_list("date_created", flat=True).first()
        parts = split_order(order, now=secured_at)
        SupplierOrder.objects.filter(pk__in=[p.pk for p in parts]).update(created_at=secured_at)
        SupplierOrderEvent.objects.filter(supplier_order__in=parts).update(created_at=secured_at)
        count += 1
    return count


def _seed_history(now, seed) -> int:
    """Forward the past orders whose payment was secured, then bring their supplier orders to the
    state their parent order implies; a recent (confirmed) order then follows its parts."""
    _forward_secured_history()
    moved = 0
    followers = set()
    waiting = (
        SupplierOrder.objects.filter(state=State.FORWARDED, replaces__isnull=True)
        .annotate(n=Count("events"))
        .filter(n=1)
        .select_related("order", "partner")
        .order_by("id")
    )
    open_ids = list(
        SupplierOrder.objects.filter(order__status__in=OPEN, replaces__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)
    )
    kept_in_transit = False
    for so in waiting:
        rng = random.Random(f"{seed}-{so.number}")
        placed = so.created_at  # forwarded when the payment was secured
        status = so.order.status
        staff = so.partner.users.first()
        steps: list[tuple[str, object, str]] = []
        accepted = placed + timedelta(hours=rng.choice([1, 2, 3, 5, 8, 20, 30]))
        shipped = accepted + timedelta(hours=rng.choice([6, 20, 30, 48, 70, 100]))
        if status in OPEN:
            followers.add(so.order_id)
            # recent orders: show every state a supplier order can be in while it is open
            slot = open_ids.index(so.pk) % 6 if so.pk in open_ids else 0
            if slot == 0:  # just forwarded, within its deadline
                if so.deadline_at < now:
                    hours = getattr(getattr(so.partner, "supplier_profile", None), "acceptance_hours", 24)
                    SupplierOrder.objects.filter(pk=so.pk).update(deadline_at=now + timedelta(hours=hours))
                continue
            if slot == 1:
                reason = rng.choice(["库存不足，预计两周后到货", "该型号已停产"])
                steps = [(State.REJECTED, placed + timedelta(hours=4), reason)]
            elif slot == 2:  # late: escalated to the operators (re-routed where the policy says so)
                if not Escalation.objects.filter(supplier_order=so).exists():
                    escalation.escalate(so, reason="deadline", now=min(now, so.deadline_at + timedelta(minutes=5)))
                    moved += 1
                continue
            elif slot == 4:
                accepted = min(accepted, now - timedelta(minutes=30))
                shipped = max(min(shipped, now - timedelta(minutes=10)), accepted + timedelta(minutes=5))
                steps = [(State.ACCEPTED, accepted, ""), (State.PARTIALLY_SHIPPED, shipped, "ship")]
            else:
                steps = [(State.ACCEPTED, min(accepted, now), "")]
        elif status == order_status.SHIPPED:
            steps = [(State.ACCEPTED, accepted, ""), (State.SHIPPED, shipped, "ship")]
            # the first stays in transit, so the demo always shows a shipped supplier order (the draw
            # depends on the order numbers, which depend on the database's sequences)
            if kept_in_transit and shipped + timedelta(days=3) < now and rng.random() < 0.5:
                steps.append((State.DELIVERED, shipped + timedelta(days=3), ""))
            kept_in_transit = True
        elif status == order_status.COMPLETE:
            steps = [
                (State.ACCEPTED, accepted, ""),
                (State.SHIPPED, shipped, "ship"),
                (State.DELIVERED, shipped + timedelta(days=3), ""),
                (State.COMPLETED, shipped + timedelta(days=10), ""),
            ]
        previous = so.state
        for state, when, reason in steps:
            if reason == "ship":
                carrier, pattern = CARRIERS[rng.randrange(len(CARRIERS))]
                number = pattern.format(so.pk * 1000 + len(steps))
                shipment = shipments().record(
                    order=so.order,
                    partner=so.partner,
                    reference=so.number,
                    carrier_code=carrier,
                    tracking_numbers=[number],
                    shipped_by=staff,
                )
                if getattr(shipment, "pk", None):  # a stored shipment (logistics): dated when it left
                    type(shipment).objects.filter(pk=shipment.pk).update(shipped_at=when)
                reason = f"{shipment.carrier.name}: {number}"
            event = SupplierOrderEvent.objects.create(
                supplier_order=so,
                from_state=previous,
                to_state=state,
                actor=None if state == State.CANCELLED else staff,
                via="portal" if state != State.CANCELLED else "back office",
                reason=reason,
            )
            SupplierOrderEvent.objects.filter(pk=event.pk).update(created_at=when)
            fields = {"state": state}
            stamp = {
                State.ACCEPTED: "accepted_at",
                State.REJECTED: "rejected_at",
                State.SHIPPED: "shipped_at",
                State.PARTIALLY_SHIPPED: "shipped_at",
                State.DELIVERED: "delivered_at",
                State.COMPLETED: "completed_at",
                State.CANCELLED: "cancelled_at",
            }[state]
            fields[stamp] = when
            if state == State.REJECTED:
                fields["rejection_reason"] = reason
            SupplierOrder.objects.filter(pk=so.pk).update(**fields)
            previous = state
        if any(state in (State.SHIPPED, State.DELIVERED, State.COMPLETED) for state, _when, _reason in steps):
            # a part shipped in full has shipped every line (the parcels carry no line detail here)
            SupplierOrderLine.objects.filter(supplier_order_id=so.pk).update(shipped_quantity=F("quantity"))
        if steps and steps[-1][0] == State.REJECTED:
            escalation.escalate(SupplierOrder.objects.get(pk=so.pk), reason="rejected", now=steps[0][1])
        if steps:
            moved += 1
    for order in Order.objects.filter(pk__in=followers).order_by("id"):
        sync_parent(order)  # through Oscar's pipeline: e.g. Confirmed → Processing once a part is accepted
    return moved
