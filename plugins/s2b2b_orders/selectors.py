"""Read side, scoped by who asks: a supplier's staff see only their supplier's rows,
operators see everything, a distributor only the parts of their own orders."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import F, Prefetch, Q, QuerySet
from oscar.core.loading import get_model

from core import access
from core.shipments import shipments
from plugins.s2b2b_orders.models import (
    Escalation,
    LegalStatus,
    ProductChange,
    State,
    SupplierLegalProfile,
    SupplierOrder,
    SupplierOrderLine,
    SupplierProfile,
)

Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
Order = get_model("order", "Order")


def is_operator(user) -> bool:
    return access.is_operator(user)


def partners_of(user) -> QuerySet:
    """The suppliers a user works for (supplier staff: partner.users + dashboard access)."""
    return access.supplier_partners(user)


def is_supplier_staff(user) -> bool:
    return access.is_supplier_staff(user)


def supplier_orders_for(
    user,
    *,
    state: str = "",
    date_from: datetime | None = None,
    date_to: datetime | None = None,
    search: str = "",
    partner_id: int | None = None,
) -> QuerySet[SupplierOrder]:
    """Operators see all supplier orders; supplier staff only their suppliers'; others nothing."""
    qs = SupplierOrder.objects.select_related("order", "partner", "replaces", "escalation")
    if not is_operator(user):
        qs = qs.filter(partner_id__in=access.supplier_partner_ids(user))
    if state:
        qs = qs.filter(state=state)
    if date_from:
        qs = qs.filter(created_at__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__lt=date_to)
    if search:
        qs = qs.filter(Q(number__icontains=search) | Q(lines__sku__icontains=search)).distinct()
    if partner_id:
        qs = qs.filter(partner_id=partner_id)
    return qs.prefetch_related(Prefetch("lines", queryset=SupplierOrderLine.objects.order_by("id"))).order_by(
        "-created_at", "-id"
    )


def supplier_order_for(user, number: str) -> SupplierOrder | None:
    return supplier_orders_for(user).prefetch_related("events__actor", "outbox_messages").filter(number=number).first()


def shipments_of(so: SupplierOrder) -> list:
    return shipments().for_order(so.order, partner=so.partner, reference=so.number)


def attach_shipments(user, supplier_orders: list[SupplierOrder]) -> list[SupplierOrder]:
    """Give each supplier order its shipments as `shipment_list`, in one query for the page."""
    for so in supplier_orders:
        so.shipment_list = []
    if not supplier_orders:
        return supplier_orders
    by_number = {so.number: so for so in supplier_orders}
    found = shipments().visible_to(
        user, references=list(by_number), partner_ids={so.partner_id for so in supplier_orders}
    )
    for shipment in found:
        so = by_number.get(shipment.reference)
        if so is not None and so.partner_id == shipment.partner_id:
            so.shipment_list.append(shipment)
    return supplier_orders


def supplier_parts_of_order(order) -> list[SupplierOrder]:
    """The distributor's view of their own order (the caller already scoped `order` to them)."""
    parts = list(
        SupplierOrder.objects.filter(order=order)
        .select_related("partner", "replaces")
        .prefetch_related("lines")
        .order_by("sequence")
    )
    shipments_by_ref: dict[str, list] = {}
    if parts:
        for shipment in shipments().for_order(order):
            shipments_by_ref.setdefault(shipment.reference, []).append(shipment)
    for part in parts:
        part.shipment_list = shipments_by_ref.get(part.number, [])
    return parts


def escalations(*, open_only: bool = False) -> QuerySet[Escalation]:
    qs = Escalation.objects.select_related(
        "supplier_order__partner__supplier_profile__backup_partner", "supplier_order__order", "resolved_by"
    )
    if open_only:
        qs = qs.filter(resolution=Escalation.Resolution.OPEN)
    return qs.order_by("-created_at", "-id")


def profiles() -> QuerySet[SupplierProfile]:
    return SupplierProfile.objects.select_related("partner", "backup_partner").order_by("partner__name")


def products_of_supplier(user) -> QuerySet:
    return (
        Product.objects.filter(stockrecords__partner__in=partners_of(user))
        .select_related("s2b2b_listing")
        .prefetch_related("stockrecords", Prefetch("s2b2b_changes", queryset=ProductChange.objects.order_by("-id")))
        .distinct()
        .order_by("title", "id")
    )


def product_of_supplier(user, pk: int):
    return products_of_supplier(user).filter(pk=pk).first()


def review_queue(status: str = "pending") -> QuerySet[ProductChange]:
    qs = ProductChange.objects.select_related("product", "partner", "submitted_by", "reviewed_by").prefetch_related(
        "product__stockrecords"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("submitted_at", "id")


def hide_unapproved(qs: QuerySet) -> QuerySet:
    """Storefront visibility: a supplier's product shows only once approved."""
    return qs.exclude(s2b2b_listing__approved=False)


#: a supplier part counts as shipped on time when it left within this long of the order
SHIP_WITHIN = timedelta(hours=72)


def scorecard(date_from: datetime, date_to: datetime) -> list[dict]:
    """Per supplier, over supplier orders created in [date_from, date_to): average hours from
    order to acceptance, share shipped within SHIP_WITHIN, share rejected. One query."""
    rows = SupplierOrder.objects.filter(created_at__gte=date_from, created_at__lt=date_to).values_list(
        "partner_id", "partner__name", "state", "order__date_placed", "accepted_at", "shipped_at", "escalated_at"
    )
    stats: dict[int, dict] = {}
    for partner_id, name, state, placed, accepted_at, shipped_at, escalated_at in rows:
        s = stats.setdefault(
            partner_id,
            {
                "name": name,
                "received": 0,
                "accepted": 0,
                "rejected": 0,
                "shipped": 0,
                "on_time": 0,
                "escalated": 0,
                "accept_seconds": 0.0,
            },
        )
        s["received"] += 1
        if accepted_at:
            s["accepted"] += 1
            s["accept_seconds"] += max((accepted_at - placed).total_seconds(), 0)
        if state == State.REJECTED:
            s["rejected"] += 1
        if shipped_at:
            s["shipped"] += 1
            if shipped_at - placed <= SHIP_WITHIN:
                s["on_time"] += 1
        if escalated_at:
            s["escalated"] += 1
    result = []
    for partner_id, s in sorted(stats.items(), key=lambda item: item[1]["name"]):
        avg = None
        if s["accepted"]:
            avg = Decimal(s["accept_seconds"] / s["accepted"] / 3600).quantize(Decimal("0.1"))
        result.append(
            {
                "partner_id": partner_id,
                "name": s["name"],
                "received": s["received"],
                "accepted": s["accepted"],
                "rejected": s["rejected"],
                "shipped": s["shipped"],
                "escalated": s["escalated"],
                "avg_accept_hours": avg,
                "on_time_rate": _rate(s["on_time"], s["shipped"]),
                "rejection_rate": _rate(s["rejected"], s["received"]),
            }
        )
    return result


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


# --- suppliers' legal details -------------------------------------------------------------------


@dataclass(frozen=True)
class LegalSnapshot:
    """A supplier's approved legal details as contracts and settlements copy them."""

    version_id: int
    partner_id: int
    legal_name: str
    uscc: str
    province: str
    city: str
    address: str
    representative: str
    bank_name: str
    bank_account: str
    taxpayer_type: str  # "general" (一般纳税人) or "small" (小规模纳税人)
    approved_at: datetime | None

    @property
    def bank_text(self) -> str:
        """开户行及账号, as a fapiao or a contract writes it."""
        return f"{self.bank_name} {self.bank_account}"

    @property
    def address_text(self) -> str:
        return "".join(p for p in (self.province, self.city, self.address) if p)


def approved_legal_profile(partner) -> LegalSnapshot | None:
    """The supplier's approved legal details (never a version waiting for review), or None.
    ``partner`` is a Partner or its id."""
    partner_id = getattr(partner, "pk", partner)
    version = SupplierLegalProfile.objects.filter(partner_id=partner_id, status=LegalStatus.APPROVED).first()
    if version is None:
        return None
    return LegalSnapshot(
        version_id=version.pk,
        partner_id=version.partner_id,
        legal_name=version.legal_name,
        uscc=version.uscc,
        province=version.province,
        city=version.city,
        address=version.address,
        representative=version.representative,
        bank_name=version.bank_name,
        bank_account=version.bank_account,
        taxpayer_type=version.taxpayer_type,
        approved_at=version.reviewed_at,
    )


def legal_versions_for(user) -> QuerySet[SupplierLegalProfile]:
    """Operators: every version; supplier staff: their suppliers' versions; others: none."""
    qs = SupplierLegalProfile.objects.select_related("partner", "submitted_by", "reviewed_by")
    if is_operator(user):
        return qs
    return qs.filter(partner_id__in=access.supplier_partner_ids(user))


def legal_version_for(user, pk) -> SupplierLegalProfile | None:
    """One version the user may see, else None (another supplier's and a missing one alike)."""
    try:
        return legal_versions_for(user).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def legal_review_queue(status: str = "pending") -> QuerySet[SupplierLegalProfile]:
    qs = SupplierLegalProfile.objects.select_related("partner", "submitted_by", "reviewed_by")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("submitted_at", "id")


@dataclass(frozen=True)
class LicenceFile:
    file: object  # open for reading; the response closes it
    filename: str
    content_type: str | None


def open_licence(user, pk) -> LicenceFile | None:
    """The licence file of a version the user may see, from the private storage; else None."""
    from plugins.s2b2b_orders.services.legal import licence_content_type

    version = legal_version_for(user, pk)
    if version is None or not version.licence:
        return None
    try:
        handle = version.licence.storage.open(version.licence.name, "rb")
    except FileNotFoundError:
        return None
    head = handle.read(12)
    handle.seek(0)
    return LicenceFile(file=handle, filename=version.licence_filename, content_type=licence_content_type(head))


def licence_type(version: SupplierLegalProfile) -> str | None:
    """The content type of a version's licence by its bytes (the reviewer's preview), or None."""
    from plugins.s2b2b_orders.services.legal import licence_content_type

    if not version.licence:
        return None
    try:
        with version.licence.storage.open(version.licence.name, "rb") as handle:
            return licence_content_type(handle.read(12))
    except FileNotFoundError:
        return None


def legal_state_of(partner) -> dict:
    """What the supplier sees of its legal details: the approved version, the pending one, and
    the latest rejection when it is newer than the approval (each None if there is none)."""
    found = {"approved": None, "pending": None, "rejected": None}
    if partner is None:
        return found
    for version in SupplierLegalProfile.objects.filter(partner=partner).exclude(status=LegalStatus.SUPERSEDED):
        key = str(version.status)
        if found.get(key) is None:  # newest first
            found[key] = version
    approved, rejected = found["approved"], found["rejected"]
    if rejected is not None and approved is not None and rejected.submitted_at < approved.submitted_at:
        found["rejected"] = None
    return found


def supplier_lines_of_orders(order_ids) -> list[dict]:
    """Every supplier-order line of the given orders with its part (id, supplier, sequence, the
    part it replaces, when it was made) and the supplier's cost snapshot, in one query, oldest
    part first: which supplier holds each order line, at what cost, and the re-routings."""
    return list(
        SupplierOrderLine.objects.filter(supplier_order__order_id__in=list(order_ids))
        .order_by("supplier_order__order_id", "supplier_order__sequence", "id")
        .values(
            "order_line_id",
            "quantity",
            "unit_cost",
            order_id=F("supplier_order__order_id"),
            part_id=F("supplier_order_id"),
            part_sequence=F("supplier_order__sequence"),
            part_created_at=F("supplier_order__created_at"),
            replaces_id=F("supplier_order__replaces_id"),
            supplier_id=F("supplier_order__partner_id"),
            supplier_name=F("supplier_order__partner__name"),
        )
    )


def buyer_supplier_order(user, number: str) -> SupplierOrder | None:
    """A supplier part of an order the buyer ``user`` may see (companies.selectors.order_scope),
    or None: another company's part and a part that does not exist look the same."""
    from companies.selectors import order_scope

    return (
        SupplierOrder.objects.filter(order_scope(user, "order__"), number=number)
        .select_related("order", "partner")
        .first()
    )


def buyer_parts_of_order(user, order_number: str) -> list[SupplierOrder]:
    """The supplier parts of the buyer's own order ``order_number`` (empty for anyone else's),
    with their lines and shipments (a fixed number of queries)."""
    from companies.selectors import order_scope

    order = Order.objects.filter(order_scope(user), number=order_number).first()
    return supplier_parts_of_order(order) if order is not None else []
