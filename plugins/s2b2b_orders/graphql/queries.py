"""Supplier API queries: a supplier's system lists its forwarded orders. Authenticated by a supplier
staff user's API token; everything is scoped to that user's suppliers."""

from datetime import datetime, time, timedelta

import graphene
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import DISTRIBUTOR, SUPPLIER, supplier_partner_ids
from core.graphql.access import requires
from core.graphql.errors import input_error
from core.graphql.pagination import page
from plugins.s2b2b_orders import selectors
from plugins.s2b2b_orders.graphql import types
from plugins.s2b2b_orders.models import State


def _start(day):
    return timezone.make_aware(datetime.combine(day, time.min)) if day else None


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
    my_legal_profile = graphene.Field(types.MyLegalProfile, required=True)
    order_supplier_parts = graphene.List(
        graphene.NonNull(types.BuyerSupplierOrder),
        required=True,
        order_number=graphene.String(required=True),
        description="Each supplier's part of your order: lines shipped and outstanding, shipments with their lines.",
    )

    @requires(DISTRIBUTOR)
    def resolve_order_supplier_parts(root, info, order_number):
        return selectors.buyer_parts_of_order(info.context.user, order_number)

    @requires(SUPPLIER)
    def resolve_supplier_orders(root, info, first, offset, state=None, created_from=None, created_to=None, search=""):
        user = info.context.user
        if state and state not in State.values:
            raise input_error("state", _("Unknown state “%(state)s”.") % {"state": state}, "invalid_choice")
        qs = selectors.supplier_orders_for(
            user,
            state=state or "",
            date_from=_start(created_from),
            date_to=_start(created_to + timedelta(days=1)) if created_to else None,
            search=search.strip(),
        ).filter(partner_id__in=supplier_partner_ids(user))
        items, total = page(qs, first, offset)
        return types.SupplierOrderPage(items=selectors.attach_shipments(user, items), total_count=total)

    @requires(SUPPLIER)
    def resolve_supplier_order(root, info, number):
        user = info.context.user
        own = selectors.supplier_orders_for(user).filter(partner_id__in=supplier_partner_ids(user))
        return own.filter(number=number).first()

    @requires(SUPPLIER)
    def resolve_my_legal_profile(root, info):
        partner = selectors.partners_of(info.context.user).order_by("pk").first()
        return types.MyLegalProfile(**selectors.legal_state_of(partner))
