"""Logistics GraphQL types: freight quotes, templates (and their inputs), shipments and tracking."""

import graphene


class FreightPart(graphene.ObjectType):
    supplier = graphene.String(required=True)
    amount = graphene.Decimal(required=True)
    explanations = graphene.List(graphene.NonNull(graphene.String), required=True)


class FreightQuote(graphene.ObjectType):
    province = graphene.String(required=True)
    total = graphene.Decimal(required=True)
    deliverable = graphene.Boolean(required=True)
    message = graphene.String(required=True, description="Why the basket cannot be delivered; empty when it can.")
    parts = graphene.List(graphene.NonNull(FreightPart), required=True)
    undeliverable_skus = graphene.List(graphene.NonNull(graphene.String), required=True)


def freight_quote_of(freight, skus: list[str]) -> FreightQuote:
    undeliverable = {item.key for item in freight.quote.undeliverable}
    return FreightQuote(
        province=freight.province,
        total=freight.total,
        deliverable=freight.deliverable,
        message=freight.message,
        parts=[
            FreightPart(supplier=p["partner"], amount=p["amount"], explanations=p["explanations"])
            for p in freight.parts
        ],
        undeliverable_skus=[skus[key] for key in sorted(undeliverable)],
    )


class Carrier(graphene.ObjectType):
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    tracking_pattern = graphene.String(required=True)
    tracking_url = graphene.String(required=True)


class RegionRule(graphene.ObjectType):
    provinces = graphene.List(graphene.NonNull(graphene.String), required=True)
    first_unit = graphene.Decimal(required=True)
    first_price = graphene.Decimal(required=True)
    additional_unit = graphene.Decimal(required=True)
    additional_price = graphene.Decimal(required=True)


class FreeRule(graphene.ObjectType):
    provinces = graphene.List(graphene.NonNull(graphene.String), required=True)
    min_amount = graphene.Decimal()
    min_quantity = graphene.Int()


class FreightTemplate(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    supplier_code = graphene.String()
    mode = graphene.String(required=True)
    is_default = graphene.Boolean(required=True)
    first_unit = graphene.Decimal(required=True)
    first_price = graphene.Decimal(required=True)
    additional_unit = graphene.Decimal(required=True)
    additional_price = graphene.Decimal(required=True)
    excluded_provinces = graphene.List(graphene.NonNull(graphene.String), required=True)
    region_rules = graphene.List(graphene.NonNull(RegionRule), required=True)
    free_rules = graphene.List(graphene.NonNull(FreeRule), required=True)

    def resolve_supplier_code(template, info):
        return template.partner.code if template.partner_id else None

    def resolve_region_rules(template, info):
        return template.region_rules.all()

    def resolve_free_rules(template, info):
        return template.free_rules.all()


class FreightTemplatePage(graphene.ObjectType):
    items = graphene.List(graphene.NonNull(FreightTemplate), required=True)
    total_count = graphene.Int(required=True)


class TrackingEvent(graphene.ObjectType):
    occurred_at = graphene.DateTime(required=True)
    location = graphene.String(required=True)
    description = graphene.String(required=True)
    status = graphene.String(required=True)
    source = graphene.String(required=True)


class Parcel(graphene.ObjectType):
    tracking_number = graphene.String(required=True)
    tracking_link = graphene.String(required=True)
    status = graphene.String(required=True)
    events = graphene.List(graphene.NonNull(TrackingEvent), required=True)

    def resolve_events(parcel, info):
        return parcel.events.all()


class Shipment(graphene.ObjectType):
    id = graphene.ID(required=True)
    order_number = graphene.String(required=True)
    reference = graphene.String(required=True)
    supplier = graphene.String(required=True)
    carrier = graphene.Field(Carrier, required=True)
    status = graphene.String(required=True)
    status_label = graphene.String(required=True)
    shipped_at = graphene.DateTime(required=True)
    parcels = graphene.List(graphene.NonNull(Parcel), required=True)

    def resolve_order_number(shipment, info):
        return shipment.order.number

    def resolve_supplier(shipment, info):
        return shipment.partner.name

    def resolve_status_label(shipment, info):
        return str(shipment.get_status_display())

    def resolve_parcels(shipment, info):
        return shipment.parcels.all()


class ShipmentPage(graphene.ObjectType):
    items = graphene.List(graphene.NonNull(Shipment), required=True)
    total_count = graphene.Int(required=True)


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
