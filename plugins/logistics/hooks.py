"""What logistics provides to the kernel's hooks (declared on LogisticsConfig): the freight of
baskets and orders (core.freight) and suppliers' shipments (core.shipments)."""

from decimal import Decimal

from plugins.logistics import selectors
from plugins.logistics.models import Shipment
from plugins.logistics.services import freight as freight_services
from plugins.logistics.services.shipments import record_shipment


class Freight:
    def basket_freight(self, basket, province: str) -> freight_services.BasketFreight:
        return freight_services.basket_freight(basket, province)

    def order_freight(self, order) -> dict[int, Decimal]:
        return freight_services.ensure_order_freight(order)


class Shipments:
    def carrier_choices(self) -> list[tuple[str, str]]:
        return [(c.code, c.name) for c in selectors.active_carriers()]

    def record(self, **kwargs) -> Shipment:
        return record_shipment(**kwargs)

    def for_order(self, order, *, partner=None, reference: str | None = None) -> list[Shipment]:
        return list(selectors.shipments_for(order, partner=partner, reference=reference))

    def visible_to(self, user, *, references, partner_ids) -> list[Shipment]:
        shipments = selectors.visible_shipments(user).filter(
            reference__in=list(references), partner_id__in=set(partner_ids)
        )
        return list(shipments.order_by("id"))

    def all_delivered(self, *, order_id: int, partner_id: int, reference: str) -> bool:
        shipments = Shipment.objects.filter(order_id=order_id, partner_id=partner_id, reference=reference)
        return not shipments.exclude(status=Shipment.DELIVERED).exists()


freight = Freight()
shipments = Shipments()
