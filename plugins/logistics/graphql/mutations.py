"""Logistics GraphQL mutations: freight templates (supplier staff: their own supplier's; operators:
any supplier's and the platform's) and tracking events entered by hand."""

import graphene
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.access import OPERATOR, SUPPLIER, is_operator, supplier_partners
from core.graphql.errors import FieldError
from core.graphql.mutations import PlatformMutation, lookup
from plugins.logistics import selectors
from plugins.logistics.graphql import types
from plugins.logistics.models import FreeShippingRule, FreightRegionRule, FreightTemplate, Parcel
from plugins.logistics.services import shipments as shipment_services
from plugins.logistics.services import templates as template_services

Partner = get_model("partner", "Partner")

UNIT_AND_PRICE = ("first_unit", "first_price", "additional_unit", "additional_price")


def _template_input(data) -> template_services.TemplateInput:
    return template_services.TemplateInput(
        name=data.name,
        mode=data.mode,
        first_unit=data.first_unit,
        first_price=data.first_price,
        additional_unit=data.additional_unit,
        additional_price=data.additional_price,
        is_default=bool(data.is_default),
        excluded_provinces=list(data.excluded_provinces or []),
        region_rules=[
            template_services.RuleInput(
                list(r.provinces), r.first_unit, r.first_price, r.additional_unit, r.additional_price
            )
            for r in data.region_rules or []
        ],
        free_rules=[
            template_services.FreeRuleInput(list(f.provinces or []), f.min_amount, f.min_quantity)
            for f in data.free_rules or []
        ],
    )


def _managed_partners(user):
    """The suppliers whose templates the user keeps: operators all, supplier staff their own."""
    return Partner.objects.all() if is_operator(user) else supplier_partners(user)


def _template(user, id):
    return lookup(selectors.managed_templates(user), "id", _("There is no such freight template."), pk=id)


class FreightTemplatePayload(graphene.ObjectType):
    template = graphene.Field(types.FreightTemplate)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class FreightTemplateSave(PlatformMutation):
    """Create (no id) or replace a freight template. Supplier staff: their own supplier's only;
    operators: any supplier, or the platform (no supplierCode)."""

    allowed = (OPERATOR, SUPPLIER)
    error_fields = {"partner": "supplier_code"}
    input_fields = {
        **{f"input.{name}": (FreightTemplate, name) for name in UNIT_AND_PRICE},
        **{f"input.region_rules.{name}": (FreightRegionRule, name) for name in UNIT_AND_PRICE},
        "input.free_rules.min_amount": (FreeShippingRule, "min_amount"),
        "input.free_rules.min_quantity": (FreeShippingRule, "min_quantity"),
    }

    class Arguments:
        id = graphene.ID()
        supplier_code = graphene.String(description="Partner code; omit for a platform template (operators).")
        input = types.FreightTemplateInput(required=True)

    Output = FreightTemplatePayload

    @classmethod
    def permits(cls, user, inputs) -> bool:
        return bool(inputs.get("supplier_code")) or is_operator(user)  # platform templates: operators only

    @classmethod
    def perform(cls, info, user, *, input, id=None, supplier_code=None):
        template = _template(user, id) if id is not None else None
        partner = None
        if supplier_code:
            message = _("There is no such supplier.")
            partner = lookup(_managed_partners(user), "supplier_code", message, code=supplier_code)
        saved = template_services.save_template(partner=partner, data=_template_input(input), template=template)
        return cls.success(template=saved)


class FreightTemplateDelete(PlatformMutation):
    allowed = (OPERATOR, SUPPLIER)

    class Arguments:
        id = graphene.ID(required=True)

    ok = graphene.Boolean(required=True)

    @classmethod
    def perform(cls, info, user, *, id):
        template_services.delete_template(_template(user, id))
        return cls.success(ok=True)

    @classmethod
    def failure(cls, info, errors):
        return cls(ok=False, errors=errors)


class TrackingEventAdd(PlatformMutation):
    """A tracking event entered by the shipping supplier's staff or an operator."""

    allowed = (OPERATOR, SUPPLIER)

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

    @classmethod
    def perform(cls, info, user, *, tracking_number, carrier_code, occurred_at, description, status, location=""):
        parcels = Parcel.objects.filter(
            shipment__in=selectors.dashboard_shipments(user), carrier__code=carrier_code
        ).select_related("shipment")
        message = _("There is no such parcel among your shipments.")
        parcel = lookup(parcels, "tracking_number", message, tracking_number=tracking_number.strip().upper())
        event = shipment_services.add_tracking_event(
            parcel=parcel,
            occurred_at=occurred_at,
            description=description,
            status=status,
            location=location,
            entered_by=user,
        )
        return cls.success(event=event)


class Mutation(graphene.ObjectType):
    freight_template_save = FreightTemplateSave.Field()
    freight_template_delete = FreightTemplateDelete.Field()
    tracking_event_add = TrackingEventAdd.Field()
