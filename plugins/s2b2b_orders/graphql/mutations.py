"""Supplier API mutations: a supplier's system accepts, rejects or ships its own supplier orders
(another supplier's order is simply not found)."""

import base64
import binascii

import graphene
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

from core.access import DISTRIBUTOR, SUPPLIER, supplier_partner_ids
from core.graphql.errors import FieldError
from core.graphql.mutations import NotFound, PlatformMutation, invalid, lookup
from plugins.s2b2b_orders import selectors
from plugins.s2b2b_orders.graphql import types
from plugins.s2b2b_orders.models import SupplierOrder
from plugins.s2b2b_orders.services import legal, lifecycle


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


class ShipLineInput(graphene.InputObjectType):
    sku = graphene.String(required=True)
    quantity = graphene.Int(required=True, description="How many of the line this shipment carries (1 … outstanding).")


class ShipSupplierOrder(SupplierOrderMutation):
    error_fields = {"carrier_code": "carrier"}

    class Arguments:
        number = graphene.String(required=True)
        carrier = graphene.String(required=True, description="Carrier code, e.g. sf, zto, ems")
        tracking_numbers = graphene.List(graphene.NonNull(graphene.String), required=True)
        complete = graphene.Boolean(
            default_value=True,
            description="Without lines: true ships everything outstanding; false records a parcel, more follow.",
        )
        lines = graphene.List(
            graphene.NonNull(ShipLineInput),
            description="The quantity of each line this shipment carries; leave out to ship everything outstanding.",
        )

    @classmethod
    def perform(cls, info, user, *, number, carrier, tracking_numbers, complete, lines=None):
        so = own_supplier_order(user, number)
        lifecycle.ship(
            so,
            carrier_code=carrier,
            tracking_numbers=tracking_numbers,
            complete=complete,
            quantities=None if lines is None else _quantities_by_line(so, lines),
            actor=user,
            via=lifecycle.VIA_API,
        )
        return cls.done(user, number)


def _quantities_by_line(so: SupplierOrder, lines) -> dict[int, int]:
    """The API names lines by SKU; the lifecycle by line id. An SKU not in this supplier order (or
    given twice) is refused here; the quantities are the lifecycle's to check, under its lock."""
    ids = {line.sku: line.pk for line in so.lines.all()}
    quantities: dict[int, int] = {}
    for entry in lines:
        pk = ids.get(entry.sku)
        if pk is None:
            raise invalid(
                "lines",
                _("%(sku)s is not in supplier order %(number)s.") % {"sku": entry.sku, "number": so.number},
                "not_in_order",
            )
        if pk in quantities:
            raise invalid("lines", _("%(sku)s is entered twice.") % {"sku": entry.sku}, "duplicate")
        quantities[pk] = entry.quantity
    return quantities


class ConfirmReceipt(PlatformMutation):
    """确认收货: the buyer received a supplier's part of their order (shipped or delivered)."""

    allowed = (DISTRIBUTOR,)
    error_fields = {"status": None}

    class Arguments:
        number = graphene.String(required=True, description="The supplier part's number, e.g. 100023-S1")

    supplier_order = graphene.Field(types.BuyerSupplierOrder)

    @classmethod
    def perform(cls, info, user, *, number):
        from plugins.s2b2b_orders.services.receipt import confirm_receipt_as_buyer

        so = selectors.buyer_supplier_order(user, number)
        if so is None:
            raise NotFound("number", _("You have no supplier order “%(number)s”.") % {"number": number})
        confirm_receipt_as_buyer(supplier_order=so, user=user, via=lifecycle.VIA_API)
        so.refresh_from_db()
        so.shipment_list = selectors.shipments_of(so)
        return cls.success(supplier_order=so)


class SubmitLegalProfile(PlatformMutation):
    """Submit the asking supplier's legal details (企业资料) for review: they become a pending
    version; what contracts and settlements use changes only when an operator approves it."""

    allowed = (SUPPLIER,)
    error_fields = {"licence": "licence_base64"}

    class Arguments:
        legal_name = graphene.String(default_value="")
        uscc = graphene.String(default_value="", description="统一社会信用代码 (full-width and spaces are fine)")
        province = graphene.String(default_value="", description="e.g. 江苏省")
        city = graphene.String(default_value="")
        address = graphene.String(default_value="")
        representative = graphene.String(default_value="")
        bank_name = graphene.String(default_value="")
        bank_account = graphene.String(default_value="")
        taxpayer_type = graphene.String(default_value="", description="general (一般纳税人) or small (小规模纳税人)")
        licence_filename = graphene.String(description="With licenceBase64; e.g. licence.pdf")
        licence_base64 = graphene.String(
            description="The business licence (image or PDF, at most 10 MB), base64; leave out to keep the one on file."
        )

    legal_profile = graphene.Field(types.SupplierLegalVersion)

    @classmethod
    def perform(cls, info, user, *, licence_filename=None, licence_base64=None, **data):
        partner = selectors.partners_of(user).order_by("pk").first()
        licence = None
        if licence_base64:
            try:
                content = base64.b64decode(licence_base64, validate=True)
            except (binascii.Error, ValueError):
                raise invalid("licence_base64", _("The licence is not valid base64."), "invalid") from None
            licence = SimpleUploadedFile(licence_filename or "licence", content)
        version = legal.submit(partner=partner, user=user, data=data, licence=licence, via=legal.VIA_API)
        return cls.success(legal_profile=version)


class Mutation(graphene.ObjectType):
    accept_supplier_order = AcceptSupplierOrder.Field()
    reject_supplier_order = RejectSupplierOrder.Field()
    ship_supplier_order = ShipSupplierOrder.Field()
    confirm_receipt = ConfirmReceipt.Field()
    submit_legal_profile = SubmitLegalProfile.Field()
