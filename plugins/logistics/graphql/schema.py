"""Logistics GraphQL: freight quotes for the storefront, template management for suppliers and
operators, shipments and tracking for the parties who may see them."""

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.graphql.errors import FieldError, errors_from_validation, field_error, input_error, require_authenticated
from core.graphql.pagination import page
from core.regions import is_province
from plugins.logistics import selectors
from plugins.logistics.calculator import FreightError
from plugins.logistics.graphql import types
from plugins.logistics.models import Parcel
from plugins.logistics.services import shipments as shipment_services
from plugins.logistics.services import templates as template_services
from plugins.logistics.services.freight import products_freight
from storefront.graphql.types import strategy_for
from storefront.selectors import browsable_products

Partner = get_model("partner", "Partner")
MAX_QUOTE_LINES = 200


class FreightLineInput(graphene.InputObjectType):
    sku = graphene.String(required=True)
    quantity = graphene.Int(required=True)


class RegionRuleInput(graphene.InputObjectType):
    provinces = graphene.List(graphene.NonNull(graphene.String), required=True)
    first_unit = graphene.Decimal(required=True)
    first_price = graphene.Decimal(required=True)
    additional_unit = graphene.Decimal(required=True)
    additional_price = graphene.Decimal(required=True)


class FreeRuleInput(graphene.InputObjectType):
    provinces = graphene.List(graphene.NonNull(graphene.String))
    min_amount = graphene.Decimal()
    min_quantity = graphene.Int()


class FreightTemplateInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    mode = graphene.String(required=True, description="piece, weight (kg) or volume (m³)")
    first_unit = graphene.Decimal(required=True)
    first_price = graphene.Decimal(required=True)
    additional_unit = graphene.Decimal(required=True)
    additional_price = graphene.Decimal(required=True)
    is_default = graphene.Boolean(default_value=False)
    excluded_provinces = graphene.List(graphene.NonNull(graphene.String))
    region_rules = graphene.List(graphene.NonNull(RegionRuleInput))
    free_rules = graphene.List(graphene.NonNull(FreeRuleInput))


class Query(graphene.ObjectType):
    freight_quote = graphene.Field(
        types.FreightQuote,
        required=True,
        lines=graphene.List(graphene.NonNull(FreightLineInput), required=True),
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

    def resolve_freight_templates(root, info, first, offset):
        require_authenticated(info)
        items, total = page(selectors.managed_templates(info.context.user).order_by("pk"), first, offset)
        return types.FreightTemplatePage(items=items, total_count=total)

    def resolve_shipments(root, info, first, offset, order_number=None):
        require_authenticated(info)
        qs = selectors.visible_shipments(info.context.user)
        if order_number:
            qs = qs.filter(order__number=order_number)
        items, total = page(qs, first, offset)
        return types.ShipmentPage(items=items, total_count=total)


class FreightTemplatePayload(graphene.ObjectType):
    template = graphene.Field(types.FreightTemplate)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part.title() for part in rest)


def _errors(exc: ValidationError) -> list:
    return [
        field_error(".".join(_camel(p) for p in e.field.split(".")) if e.field else None, e.message, e.code)
        for e in errors_from_validation(exc)
    ]


class FreightTemplateSave(graphene.Mutation):
    """Create (no id) or replace a freight template. Supplier staff: their own supplier's only;
    operators: any supplier, or the platform (no supplierCode)."""

    class Arguments:
        id = graphene.ID()
        supplier_code = graphene.String(description="Partner code; omit for a platform template (operators).")
        input = FreightTemplateInput(required=True)

    Output = FreightTemplatePayload

    def mutate(root, info, input, id=None, supplier_code=None):
        require_authenticated(info)
        user = info.context.user
        template = None
        if id is not None:
            template = selectors.managed_templates(user).filter(pk=id if str(id).isdigit() else None).first()
            if template is None:
                return FreightTemplatePayload(
                    errors=[field_error("id", _("There is no such freight template."), "not_found")]
                )
        partner = Partner.objects.filter(code=supplier_code).first() if supplier_code else None
        if supplier_code and partner is None:
            return FreightTemplatePayload(
                errors=[field_error("supplierCode", _("There is no such supplier."), "not_found")]
            )
        allowed = selectors.can_manage_partner(user, partner.pk if partner else None) or (
            partner is None and selectors.is_operator(user)
        )
        if not allowed:
            message = _("You cannot manage this supplier's templates.")
            return FreightTemplatePayload(errors=[field_error("supplierCode", message, "permission_denied")])
        data = template_services.TemplateInput(
            name=input.name,
            mode=input.mode,
            first_unit=input.first_unit,
            first_price=input.first_price,
            additional_unit=input.additional_unit,
            additional_price=input.additional_price,
            is_default=bool(input.is_default),
            excluded_provinces=list(input.excluded_provinces or []),
            region_rules=[
                template_services.RuleInput(
                    list(r.provinces), r.first_unit, r.first_price, r.additional_unit, r.additional_price
                )
                for r in input.region_rules or []
            ],
            free_rules=[
                template_services.FreeRuleInput(list(f.provinces or []), f.min_amount, f.min_quantity)
                for f in input.free_rules or []
            ],
        )
        try:
            saved = template_services.save_template(partner=partner, data=data, template=template)
        except ValidationError as exc:
            return FreightTemplatePayload(errors=_errors(exc))
        return FreightTemplatePayload(template=saved, errors=[])


class FreightTemplateDelete(graphene.Mutation):
    class Arguments:
        id = graphene.ID(required=True)

    ok = graphene.Boolean(required=True)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    def mutate(root, info, id):
        require_authenticated(info)
        template = selectors.managed_templates(info.context.user).filter(pk=id if str(id).isdigit() else None).first()
        if template is None:
            return FreightTemplateDelete(
                ok=False, errors=[field_error("id", _("There is no such freight template."), "not_found")]
            )
        template_services.delete_template(template)
        return FreightTemplateDelete(ok=True, errors=[])


class TrackingEventAdd(graphene.Mutation):
    """A tracking event entered by the shipping supplier's staff or an operator."""

    class Arguments:
        tracking_number = graphene.String(required=True)
        carrier_code = graphene.String(required=True)
        occurred_at = graphene.DateTime(required=True)
        description = graphene.String(required=True)
        status = graphene.String(
            required=True, description="shipped, in_transit, delivering, delivered, problem, returned"
        )
        location = graphene.String(default_value="")

    event = graphene.Field(types.TrackingEvent)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    def mutate(root, info, tracking_number, carrier_code, occurred_at, description, status, location=""):
        require_authenticated(info)
        shipments = selectors.dashboard_shipments(info.context.user)
        parcel = (
            Parcel.objects.filter(
                shipment__in=shipments, carrier__code=carrier_code, tracking_number=tracking_number.strip().upper()
            )
            .select_related("shipment")
            .first()
        )
        if parcel is None:
            message = _("There is no such parcel among your shipments.")
            return TrackingEventAdd(errors=[field_error("trackingNumber", message, "not_found")])
        try:
            event = shipment_services.add_tracking_event(
                parcel=parcel,
                occurred_at=occurred_at,
                description=description,
                status=status,
                location=location,
                entered_by=info.context.user,
            )
        except ValidationError as exc:
            return TrackingEventAdd(errors=_errors(exc))
        return TrackingEventAdd(event=event, errors=[])


class Mutation(graphene.ObjectType):
    freight_template_save = FreightTemplateSave.Field()
    freight_template_delete = FreightTemplateDelete.Field()
    tracking_event_add = TrackingEventAdd.Field()
