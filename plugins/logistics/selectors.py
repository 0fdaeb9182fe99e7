"""Read side of logistics, scoped by who asks."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.core.files import File
from django.db.models import Prefetch, Q, QuerySet

from companies.selectors import order_scope
from core import access
from plugins.logistics.models import (
    Carrier,
    FreightTemplate,
    OrderFreight,
    Parcel,
    Shipment,
    ShipmentVoucher,
    TrackingEvent,
)
from plugins.logistics.services.shipments import voucher_content_type

logger = logging.getLogger(__name__)


def _shipments() -> QuerySet[Shipment]:
    return Shipment.objects.select_related("carrier", "partner", "order").prefetch_related(
        Prefetch(
            "parcels",
            queryset=Parcel.objects.select_related("carrier").prefetch_related(
                Prefetch("events", queryset=TrackingEvent.objects.order_by("-occurred_at", "-id"))
            ),
        ),
        "vouchers",
        "shipped_lines",
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
    return access.is_operator(user)


def partner_ids_of(user) -> list[int]:
    """The suppliers whose staff this user is (supplier portal users)."""
    return sorted(access.supplier_partner_ids(user))


def visible_shipments(user) -> QuerySet[Shipment]:
    """Operators: all; supplier staff: their partners' shipments; buyers: those of the orders
    they may see (their company's or their own, by role)."""
    qs = _shipments()
    if not user or not user.is_authenticated:
        return qs.none()
    if is_operator(user):
        return qs
    return qs.filter(Q(partner_id__in=partner_ids_of(user)) | order_scope(user, "order__"))


def visible_voucher(user, pk: int) -> ShipmentVoucher | None:
    """A shipment voucher if ``user`` may see its shipment (``visible_shipments``), else None:
    another party's voucher and a voucher that does not exist look the same."""
    return ShipmentVoucher.objects.filter(pk=pk, shipment__in=visible_shipments(user).values("pk")).first()


@dataclass(frozen=True)
class VoucherFile:
    file: File  # open for reading; the response closes it
    filename: str
    #: from the file's first bytes (an image or a PDF); None for anything else
    content_type: str | None


def open_voucher(user, pk: int) -> VoucherFile | None:
    """The file of a voucher ``user`` may see, opened from the private storage; None when the
    user may not see it, when there is no such voucher, or when its file is missing."""
    voucher = visible_voucher(user, pk)
    if voucher is None:
        return None
    try:
        handle = voucher.file.storage.open(voucher.file.name, "rb")
    except FileNotFoundError:
        logger.warning("Shipment voucher %s: file %s is missing", voucher.pk, voucher.file.name)
        return None
    head = handle.read(12)
    handle.seek(0)
    return VoucherFile(file=handle, filename=voucher.filename, content_type=voucher_content_type(head))


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


def all_carriers() -> QuerySet[Carrier]:
    return Carrier.objects.order_by("position", "code")


def dashboard_shipments(user, search: str = "") -> QuerySet[Shipment]:
    """Shipments in the back office: operators all, supplier staff their partners' only."""
    qs = _shipments()
    if not is_operator(user):
        qs = qs.filter(partner_id__in=partner_ids_of(user))
    if search:
        qs = qs.filter(
            Q(order__number__icontains=search)
            | Q(reference__icontains=search)
            | Q(parcels__tracking_number__icontains=search.upper())
        ).distinct()
    return qs


def products_using(template) -> QuerySet:
    """Products that name this template (instead of their supplier's default)."""
    from plugins.logistics.models import ProductFreightTemplate

    return ProductFreightTemplate.objects.filter(template=template).select_related("product").order_by("product__upc")


def manageable_product(user, sku: str):
    """The product with this SKU if the user may choose its freight template, else None."""
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    qs = Product.objects.filter(upc__iexact=(sku or "").strip())
    if not is_operator(user):
        qs = qs.filter(stockrecords__partner_id__in=partner_ids_of(user))
    return qs.distinct().first()


def line_freight_shares(order) -> dict[int, Decimal]:
    """{order line id: its share of its supplier part's freight} (for partial refunds)."""
    from plugins.logistics.models import OrderLineFreight

    return dict(OrderLineFreight.objects.filter(order_freight__order=order).values_list("line_id", "share"))
