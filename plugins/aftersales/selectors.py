"""Read side of after-sales, scoped to the asker: operators see every request, a supplier's staff
their supplier's, a buyer the requests of the orders they may see (companies.selectors.order_scope);
anyone else nothing. A request outside the scope is answered like a missing one."""

from django.db.models import Prefetch, QuerySet

from companies.selectors import order_scope
from core import access
from core.statemachine import history
from plugins.aftersales.models import AfterSalesLine, AfterSalesPhoto, AfterSalesRequest, Kind, State
from plugins.aftersales.services import requests as services
from plugins.s2b2b_orders.models import SupplierOrder


def _base() -> QuerySet[AfterSalesRequest]:
    return AfterSalesRequest.objects.select_related(
        "order", "partner", "supplier_order", "created_by"
    ).prefetch_related(
        Prefetch("lines", queryset=AfterSalesLine.objects.select_related("supplier_order_line__order_line")),
        "photos",
    )


def requests_for(user, *, state: str = "", kind: str = "", search: str = "") -> QuerySet[AfterSalesRequest]:
    qs = _base()
    party = access.party_of(user)
    if party == access.OPERATOR:
        pass
    elif party == access.SUPPLIER:
        qs = qs.filter(partner_id__in=access.supplier_partner_ids(user))
    elif party == access.DISTRIBUTOR:
        qs = qs.filter(order_scope(user, prefix="order__"))
    else:
        return qs.none()
    if state in State.values:
        qs = qs.filter(state=state)
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    search = (search or "").strip()
    if search:
        from django.db.models import Q

        qs = qs.filter(
            Q(number__icontains=search)
            | Q(order__number__icontains=search)
            | Q(supplier_order__number__icontains=search)
        )
    return qs


def request_for(user, number: str) -> AfterSalesRequest | None:
    return requests_for(user).filter(number=number).first()


def timeline(req: AfterSalesRequest) -> list[dict]:
    """The request's audit rows, oldest first, with the states' labels in the user's language."""
    return [
        {
            "at": row.created_at,
            "from_state": services.MACHINE.label(row.from_state) if row.from_state else "",
            "to_state": services.MACHINE.label(row.to_state),
            "actor": row.actor,
            "via": row.via,
            "reason": row.reason,
        }
        for row in history(req).select_related("actor")
    ]


def buyer_supplier_order(user, number: str) -> SupplierOrder | None:
    """A supplier order of an order the buyer may see (the one a request is opened for)."""
    if access.party_of(user) != access.DISTRIBUTOR:
        return None
    return (
        SupplierOrder.objects.filter(order_scope(user, prefix="order__"), number=number, replaced_by__isnull=True)
        .select_related("order", "partner")
        .prefetch_related("lines__order_line")
        .first()
    )


def parts_of_order(order) -> list[SupplierOrder]:
    """The order's live supplier parts, each with ``aftersales_problem`` (why no request can be
    opened now, or None) and its requests (``aftersales_list``): for the order page."""
    parts = list(
        SupplierOrder.objects.filter(order_id=order.pk, replaced_by__isnull=True)
        .select_related("partner")
        .prefetch_related(Prefetch("aftersales_requests", queryset=AfterSalesRequest.objects.order_by("-created_at")))
        .order_by("sequence")
    )
    for so in parts:
        so.aftersales_problem = services.eligibility_problem(so)
        so.aftersales_list = list(so.aftersales_requests.all())
    return parts


def open_photo(user, pk: int):
    """The photo's file and content type for whoever may see its request; None otherwise."""
    from core.files import image_or_pdf_type

    photo = AfterSalesPhoto.objects.filter(pk=pk).select_related("request").first()
    if photo is None or not requests_for(user).filter(pk=photo.request_id).exists():
        return None
    try:
        handle = photo.file.storage.open(photo.file.name, "rb")
    except FileNotFoundError:
        return None
    head = handle.read(12)
    handle.seek(0)
    return photo, handle, image_or_pdf_type(head)


def lines_left(so: SupplierOrder) -> list[dict]:
    """Each line of the part with the units still open to a request and what they were paid."""
    taken = services.taken_quantities(so)
    return [
        {
            "line": line,
            "left": max(line.quantity - taken.get(line.pk, 0), 0),
            "paid": services.paid_for(line.order_line, line.quantity),
        }
        for line in so.lines.all()
    ]
