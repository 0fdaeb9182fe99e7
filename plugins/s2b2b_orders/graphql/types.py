import graphene

from plugins.s2b2b_orders.selectors import shipments_of
from plugins.s2b2b_orders.services.lifecycle import state_label


class SupplierOrderLine(graphene.ObjectType):
    sku = graphene.String(required=True)
    name = graphene.String(required=True)
    quantity = graphene.Int(required=True)
    unit_price = graphene.Decimal(required=True)
    line_total = graphene.Decimal(required=True)
    unit_cost = graphene.Decimal(description="The supplier's cost, where the offer states one.")
    shipped_quantity = graphene.Int(required=True, description="Shipped so far, over every shipment.")
    outstanding_quantity = graphene.Int(required=True, description="Still to ship.")


class ShipmentLine(graphene.ObjectType):
    class Meta:
        name = "SupplierShipmentLine"

    sku = graphene.String(required=True)
    name = graphene.String(required=True)
    quantity = graphene.Int(required=True, description="How many of the line this shipment carried.")


class DeliveryAddress(graphene.ObjectType):
    consignee = graphene.String(required=True)
    company = graphene.String(required=True)
    phone = graphene.String(required=True)
    province = graphene.String(required=True)
    city = graphene.String(required=True)
    district = graphene.String(required=True)
    street = graphene.String(required=True)
    postcode = graphene.String(required=True)


class Shipment(graphene.ObjectType):
    class Meta:
        name = "SupplierShipment"  # logistics owns the full "Shipment" type

    carrier = graphene.String(required=True, description="Carrier code, e.g. sf")
    carrier_name = graphene.String(required=True)
    tracking_numbers = graphene.List(graphene.NonNull(graphene.String), required=True)
    shipped_at = graphene.DateTime()
    lines = graphene.List(
        graphene.NonNull(ShipmentLine), required=True, description="What it carried (empty: not counted by line)."
    )

    def resolve_lines(s, info):
        return s.line_items

    def resolve_carrier(s, info):
        return s.carrier.code

    def resolve_carrier_name(s, info):
        return s.carrier.name

    def resolve_tracking_numbers(s, info):
        return [p.tracking_number for p in s.parcels.all()]


class SupplierOrder(graphene.ObjectType):
    number = graphene.String(required=True)
    order_number = graphene.String(required=True)
    supplier_code = graphene.String(required=True)
    state = graphene.String(required=True)
    state_label = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    accept_by = graphene.DateTime(required=True)
    currency = graphene.String(required=True)
    subtotal = graphene.Decimal(required=True)
    freight = graphene.Decimal(required=True)
    total = graphene.Decimal(required=True)
    rejection_reason = graphene.String(required=True)
    replaces = graphene.String()
    delivery_address = graphene.Field(DeliveryAddress, required=True)
    delivery_notes = graphene.String(required=True, description="The buyer's delivery notes (配送备注).")
    buyer_remark = graphene.String(required=True, description="What the buyer wrote to this supplier at checkout.")
    purchase_order_number = graphene.String(required=True, description="The buyer's purchase-order number (采购单号).")
    lines = graphene.List(graphene.NonNull(SupplierOrderLine), required=True)
    shipments = graphene.List(graphene.NonNull(Shipment), required=True)

    def resolve_order_number(so, info):
        return so.order.number

    def resolve_supplier_code(so, info):
        return so.partner.code

    def resolve_state_label(so, info):
        return state_label(so.state)

    def resolve_accept_by(so, info):
        return so.deadline_at

    def resolve_replaces(so, info):
        return so.replaces.number if so.replaces_id else None

    def resolve_delivery_address(so, info):
        return so

    def resolve_delivery_notes(so, info):
        return so.buyer_note

    def resolve_purchase_order_number(so, info):
        return so.order.purchase_order_number

    def resolve_lines(so, info):
        return so.lines.all()

    def resolve_shipments(so, info):
        if hasattr(so, "shipment_list"):
            return so.shipment_list
        return shipments_of(so)


class BuyerSupplierOrder(graphene.ObjectType):
    """A supplier's part of the buyer's own order, as the buyer sees it (no supplier cost)."""

    number = graphene.String(required=True)
    supplier = graphene.String(required=True)
    state = graphene.String(required=True)
    state_label = graphene.String(required=True)
    lines = graphene.List(graphene.NonNull(lambda: BuyerSupplierOrderLine), required=True)
    shipments = graphene.List(graphene.NonNull(Shipment), required=True)
    can_confirm_receipt = graphene.Boolean(required=True, description="Shipped or delivered: 确认收货 applies.")

    def resolve_supplier(so, info):
        return so.partner.name

    def resolve_state_label(so, info):
        return state_label(so.state)

    def resolve_lines(so, info):
        return so.lines.all()

    def resolve_shipments(so, info):
        return getattr(so, "shipment_list", [])

    def resolve_can_confirm_receipt(so, info):
        return so.state in ("shipped", "delivered")


class BuyerSupplierOrderLine(graphene.ObjectType):
    sku = graphene.String(required=True)
    name = graphene.String(required=True)
    quantity = graphene.Int(required=True)
    shipped_quantity = graphene.Int(required=True)
    outstanding_quantity = graphene.Int(required=True)


class SupplierOrderPage(graphene.ObjectType):
    total_count = graphene.Int(required=True)
    items = graphene.List(graphene.NonNull(SupplierOrder), required=True)


class SupplierLegalVersion(graphene.ObjectType):
    """One version of a supplier's legal details (企业资料)."""

    id = graphene.ID(required=True)
    status = graphene.String(required=True, description="pending, approved, rejected or superseded")
    status_label = graphene.String(required=True)
    legal_name = graphene.String(required=True)
    uscc = graphene.String(required=True, description="统一社会信用代码, normalised")
    province = graphene.String(required=True)
    city = graphene.String(required=True)
    address = graphene.String(required=True)
    representative = graphene.String(required=True)
    bank_name = graphene.String(required=True)
    bank_account = graphene.String(required=True)
    taxpayer_type = graphene.String(required=True, description="general (一般纳税人) or small (小规模纳税人)")
    taxpayer_type_label = graphene.String(required=True)
    licence_url = graphene.String(description="Downloaded with the same user's session or token.")
    submitted_at = graphene.DateTime(required=True)
    reviewed_at = graphene.DateTime()
    rejection_reason = graphene.String(required=True)

    def resolve_status_label(v, info):
        return v.get_status_display()

    def resolve_taxpayer_type_label(v, info):
        return v.get_taxpayer_type_display()

    def resolve_licence_url(v, info):
        return v.licence_url if v.licence else None


class MyLegalProfile(graphene.ObjectType):
    approved = graphene.Field(SupplierLegalVersion, description="What contracts and settlements use.")
    pending = graphene.Field(SupplierLegalVersion, description="Submitted, waiting for an operator.")
    rejected = graphene.Field(SupplierLegalVersion, description="The latest rejection, if newer than the approval.")
