"""Supplier API mutations: a supplier's system accepts, rejects or ships its own supplier orders
(another supplier's order is simply not found)."""

import graphene
from django.utils.translation import gettext as _

from core.access import SUPPLIER, supplier_partner_ids
from core.graphql.errors import FieldError
from core.graphql.mutations import PlatformMutation, lookup
from plugins.s2b2b_orders.graphql import types
from plugins.s2b2b_orders.models import SupplierOrder
from plugins.s2b2b_orders.services import lifecycle


def own_supplier_order(user, number: str) -> SupplierOrder:
    """The asking supplier's own supplier order (operators included: not here), or not_found."""
    own = SupplierOrder.objects.filter(partner_id__in=supplier_partner_ids(user)).select_related("order", "partner")
    message = _("You have no supplier order “%(number)s”.") % {"number": number}
    return lookup(own, "number", message, number=number)


class SupplierOrderPayload(graphene.ObjectType):
    supplier_order = graphene.Field(types.SupplierOrder)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class SupplierOrderMutation(PlatformMutation):
    """A transition of one of the asking supplier's orders, through its lifecycle."""

    class Meta:
        abstract = True

    allowed = (SUPPLIER,)
    Output = SupplierOrderPayload

    @classmethod
    def done(cls, user, number):
        return cls.success(supplier_order=own_supplier_order(user, number))


class AcceptSupplierOrder(SupplierOrderMutation):
    class Arguments:
        number = graphene.String(required=True)

    @classmethod
    def perform(cls, info, user, *, number):
        lifecycle.accept(own_supplier_order(user, number), actor=user, via=lifecycle.VIA_API)
        return cls.done(user, number)


class RejectSupplierOrder(SupplierOrderMutation):
    class Arguments:
        number = graphene.String(required=True)
        reason = graphene.String(required=True)

    @classmethod
    def perform(cls, info, user, *, number, reason):
        lifecycle.reject(own_supplier_order(user, number), reason=reason, actor=user, via=lifecycle.VIA_API)
        return cls.done(user, number)


class ShipSupplierOrder(SupplierOrderMutation):
    error_fields = {"carrier_code": "carrier"}

    class Arguments:
        number = graphene.String(required=True)
        carrier = graphene.String(required=True, description="Carrier code, e.g. sf, zto, ems")
        tracking_numbers = graphene.List(graphene.NonNull(graphene.String), required=True)
        complete = graphene.Boolean(default_value=True, description="false: more parcels will follow")

    @classmethod
    def perform(cls, info, user, *, number, carrier, tracking_numbers, complete):
        lifecycle.ship(
            own_supplier_order(user, number),
            carrier_code=carrier,
            tracking_numbers=tracking_numbers,
            complete=complete,
            actor=user,
            via=lifecycle.VIA_API,
        )
        return cls.done(user, number)


class Mutation(graphene.ObjectType):
    accept_supplier_order = AcceptSupplierOrder.Field()
    reject_supplier_order = RejectSupplierOrder.Field()
    ship_supplier_order = ShipSupplierOrder.Field()
