"""Supplier API: supplier systems list their forwarded orders and accept, reject or ship them.
Authenticated by a supplier staff user's API token; everything is scoped to that user's supplier."""

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from graphql import GraphQLError

from core.graphql.errors import FieldError, errors_from_validation, field_error, input_error, require_authenticated
from core.graphql.pagination import page
from plugins.s2b2b_orders import selectors
from plugins.s2b2b_orders.graphql import types
from plugins.s2b2b_orders.models import State, SupplierOrder
from plugins.s2b2b_orders.services import lifecycle


def _require_supplier(info):
    require_authenticated(info)
    user = info.context.user
    if not selectors.is_supplier_staff(user):
        raise GraphQLError(_("Only a supplier's staff may use the supplier API."), extensions={"code": "forbidden"})
    return user


def _own(user, number: str) -> SupplierOrder | None:
    """Mutations act only on the asking supplier's own orders (operators included: not here)."""
    return (
        SupplierOrder.objects.filter(partner__in=selectors.partners_of(user), number=number)
        .select_related("order", "partner")
        .first()
    )


class Query(graphene.ObjectType):
    supplier_orders = graphene.Field(
        types.SupplierOrderPage,
        required=True,
        first=graphene.Int(default_value=20),
        offset=graphene.Int(default_value=0),
        state=graphene.String(description="forwarded, accepted, rejected, partially_shipped, shipped, ..."),
        created_from=graphene.Date(),
        created_to=graphene.Date(description="Inclusive."),
        search=graphene.String(default_value=""),
    )
    supplier_order = graphene.Field(types.SupplierOrder, number=graphene.String(required=True))

    def resolve_supplier_orders(root, info, first, offset, state=None, created_from=None, created_to=None, search=""):
        from datetime import datetime, time, timedelta

        from django.utils import timezone

        user = _require_supplier(info)
        if state and state not in State.values:
            raise input_error("state", _("Unknown state “%(state)s”.") % {"state": state}, "invalid_choice")

        def start(d):
            return timezone.make_aware(datetime.combine(d, time.min)) if d else None

        qs = selectors.supplier_orders_for(
            user,
            state=state or "",
            date_from=start(created_from),
            date_to=start(created_to + timedelta(days=1)) if created_to else None,
            search=search.strip(),
        ).filter(partner__in=selectors.partners_of(user))
        items, total = page(qs, first, offset)
        return types.SupplierOrderPage(items=selectors.attach_shipments(user, items), total_count=total)

    def resolve_supplier_order(root, info, number):
        user = _require_supplier(info)
        return (
            selectors.supplier_orders_for(user).filter(partner__in=selectors.partners_of(user), number=number).first()
        )


class SupplierOrderPayload(graphene.ObjectType):
    supplier_order = graphene.Field(types.SupplierOrder)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


def _not_found(number):
    return SupplierOrderPayload(
        supplier_order=None,
        errors=[field_error("number", _("You have no supplier order “%(number)s”.") % {"number": number}, "not_found")],
    )


def _run(info, number, action):
    user = _require_supplier(info)
    so = _own(user, number)
    if so is None:
        return _not_found(number)
    try:
        action(so, user)
    except ValidationError as exc:
        return SupplierOrderPayload(supplier_order=None, errors=errors_from_validation(exc))
    return SupplierOrderPayload(supplier_order=_own(user, number), errors=[])


class AcceptSupplierOrder(graphene.Mutation):
    class Arguments:
        number = graphene.String(required=True)

    Output = SupplierOrderPayload

    def mutate(root, info, number):
        return _run(info, number, lambda so, user: lifecycle.accept(so, actor=user, via=lifecycle.VIA_API))


class RejectSupplierOrder(graphene.Mutation):
    class Arguments:
        number = graphene.String(required=True)
        reason = graphene.String(required=True)

    Output = SupplierOrderPayload

    def mutate(root, info, number, reason):
        return _run(
            info, number, lambda so, user: lifecycle.reject(so, reason=reason, actor=user, via=lifecycle.VIA_API)
        )


class ShipSupplierOrder(graphene.Mutation):
    class Arguments:
        number = graphene.String(required=True)
        carrier = graphene.String(required=True, description="Carrier code, e.g. sf, zto, ems")
        tracking_numbers = graphene.List(graphene.NonNull(graphene.String), required=True)
        complete = graphene.Boolean(default_value=True, description="false: more parcels will follow")

    Output = SupplierOrderPayload

    def mutate(root, info, number, carrier, tracking_numbers, complete):
        def ship(so, user):
            lifecycle.ship(
                so,
                carrier_code=carrier,
                tracking_numbers=tracking_numbers,
                complete=complete,
                actor=user,
                via=lifecycle.VIA_API,
            )

        payload = _run(info, number, ship)
        for error in payload.errors:
            if error.field == "tracking_numbers":
                error.field = "trackingNumbers"
        return payload


class Mutation(graphene.ObjectType):
    accept_supplier_order = AcceptSupplierOrder.Field()
    reject_supplier_order = RejectSupplierOrder.Field()
    ship_supplier_order = ShipSupplierOrder.Field()
