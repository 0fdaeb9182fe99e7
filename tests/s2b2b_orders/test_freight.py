"""Each supplier order carries its freight share, as logistics computed it for the order."""

from decimal import Decimal

import pytest

from plugins.logistics.selectors import freight_for_order
from plugins.s2b2b_orders.models import SupplierOrder
from tests import factories
from tests.logistics.conftest import freight  # noqa: F401  the logistics fixture: templates and weights

pytestmark = pytest.mark.django_db


def test_supplier_orders_carry_the_freight_share_of_their_supplier(freight, buyer):  # noqa: F811
    order = factories.place_order(buyer, [(freight["bolt"], 2), (freight["wire"], 1)], province="四川省")
    parts = {so.partner.code: so for so in SupplierOrder.objects.filter(order=order)}
    assert parts["jg"].freight == Decimal("8.00")  # 2 × 0.5 kg: the first kilogram, ¥8
    assert parts["df"].freight == Decimal("10.00")  # one piece, ¥10
    stored = freight_for_order(order)
    assert {so.partner_id: so.freight for so in parts.values()} == stored
    assert sum(so.freight for so in parts.values()) == order.shipping_incl_tax
    assert parts["jg"].total == Decimal("72.00")
