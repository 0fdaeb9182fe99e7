"""Read side of logistics, scoped by who asks."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from plugins.logistics.models import Carrier, FreightTemplate, OrderFreight, Parcel, Shipment, TrackingEvent


def _shipments() -> QuerySet[Shipment]:
    return Shipment.objects.select_related("carrier", "partner", "order").prefetch_related(
        Prefetch(
            "parcels",
            queryset=Parcel.objects.select_related("carrier").prefetch_related(
                Prefetch("events", queryset=TrackingEvent.objects.order_by("-occurred_at", "-id"))
            ),
        ),
        "vouchers",
    )


def shipments_for(order, *, partner=None, reference=None) -> QuerySet[Shipment]:
    qs = _shipments().filter(order=order)
    if partner is not None:
        qs = qs.filter(partner=partner)
    if reference is not None:
        qs = qs.filter(reference=reference)
    return qs


def active_carriers() -> QuerySet[Carrier]:
    return Carrier.objects.filter(active=True).order_by("position", "code")


def freight_for_order(order) -> dict[int, Decimal]:
    return dict(OrderFreight.objects.filter(order=order).values_list("partner_id", "amount"))


def order_freight_parts(order) -> QuerySet[OrderFreight]:
    return OrderFreight.objects.filter(order=order).select_related("partner").prefetch_related("line_shares")


def is_operator(user) -> bool:
    return bool(user and user.is_authenticated and user.is_staff)


def partner_ids_of(user) -> list[int]:
    """The suppliers whose staff this user is (supplier portal users)."""
    if not user or not user.is_authenticated:
        return []
    if not user.has_perm("partner.dashboard_access"):
        return []
    return list(user.partners.values_list("pk", flat=True))


def visible_shipments(user) -> QuerySet[Shipment]:
    """Operators: all; supplier staff: their partners' shipments; buyers: their orders'."""
    qs = _shipments()
    if not user or not user.is_authenticated:
        return qs.none()
    if is_operator(user):
        return qs
    return qs.filter(Q(partner_id__in=partner_ids_of(user)) | Q(order__user=user))


def managed_templates(user) -> QuerySet[FreightTemplate]:
    """Templates a user may edit: operators all (platform included), supplier staff their own."""
    qs = FreightTemplate.objects.select_related("partner").prefetch_related("region_rules", "free_rules")
    if is_operator(user):
        return qs
    return qs.filter(partner_id__in=partner_ids_of(user))


def can_manage_partner(user, partner_id: int | None) -> bool:
    if is_operator(user):
        return True
    return partner_id is not None and partner_id in partner_ids_of(user)
