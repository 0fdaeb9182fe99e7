"""Logistics GraphQL queries: freight quotes for the storefront (public), templates for suppliers
and operators, shipments and tracking for the parties of each shipment."""

import graphene
from django.utils.translation import gettext as _

from core.access import DISTRIBUTOR, OPERATOR, SUPPLIER
from core.graphql.access import requires
from core.graphql.errors import input_error
from core.graphql.pagination import page
from core.regions import is_province
from plugins.logistics import selectors
from plugins.logistics.calculator import FreightError
from plugins.logistics.graphql import types
from plugins.logistics.services.freight import products_freight
from storefront.graphql.types import strategy_for
from storefront.selectors import browsable_products

MAX_QUOTE_LINES = 200


class Query(graphene.ObjectType):
    freight_quote = graphene.Field(
        types.FreightQuote,
        required=True,
        lines=graphene.List(graphene.NonNull(types.FreightLineInput), required=True),
        province=graphene.String(required=True, description="Province name as stored, e.g. 广东省"),
    )
    carriers = graphene.List(graphene.NonNull(types.Carrier), required=True)
    freight_templates = graphene.Field(
        types.FreightTemplatePage,
        required=True,
        first=graphene.Int(default_value=20),
        offset=graphene.Int(default_value=0),
    )
    shipments = graphene.Field(
        types.ShipmentPage,
        required=True,
        order_number=graphene.String(),
        first=graphene.Int(default_value=20),
        offset=graphene.Int(default_value=0),
    )

    def resolve_freight_quote(root, info, lines, province):
        if not is_province(province):
            raise input_error("province", _("Unknown province: %(names)s.") % {"names": province}, "unknown_province")
        if not lines or len(lines) > MAX_QUOTE_LINES:
            raise input_error("lines", _("Give between 1 and %(n)d lines.") % {"n": MAX_QUOTE_LINES}, "out_of_range")
        for line in lines:
            if line.quantity < 1:
                raise input_error("lines", _("Quantities must be at least 1."), "out_of_range")
        skus = [line.sku.strip().upper() for line in lines]
        products = {p.upc.upper(): p for p in browsable_products().filter(upc__in={s for s in skus})}
        if len(products) < len(set(skus)):
            unknown = sorted(set(skus) - set(products))
            raise input_error(
                "lines", _("No product has the SKU “%(sku)s”.") % {"sku": "、".join(unknown)}, "not_found"
            )
        try:
            freight = products_freight(
                strategy_for(info),
                [(products[s], line.quantity) for s, line in zip(skus, lines, strict=True)],
                province,
            )
        except FreightError as exc:
            raise input_error(exc.field or "lines", exc.message, exc.code) from exc
        return types.freight_quote_of(freight, skus)

    def resolve_carriers(root, info):
        return selectors.active_carriers()

    @requires(OPERATOR, SUPPLIER)
    def resolve_freight_templates(root, info, first, offset):
        items, total = page(selectors.managed_templates(info.context.user).order_by("pk"), first, offset)
        return types.FreightTemplatePage(items=items, total_count=total)

    @requires(OPERATOR, SUPPLIER, DISTRIBUTOR)
    def resolve_shipments(root, info, first, offset, order_number=None):
        qs = selectors.visible_shipments(info.context.user)
        if order_number:
            qs = qs.filter(order__number=order_number)
        items, total = page(qs, first, offset)
        return types.ShipmentPage(items=items, total_count=total)
