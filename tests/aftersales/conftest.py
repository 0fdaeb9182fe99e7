"""A paid order of a company's buyer from two suppliers (jg: bolts and nuts, delivered; df: wire,
just forwarded), their staff, a buyer of another company, the finance team."""

from dataclasses import dataclass

import pytest
from django.test import Client

from plugins.s2b2b_orders.models import State, SupplierOrder
from plugins.s2b2b_orders.services import lifecycle
from tests import factories
from tests.s2b2b_orders.conftest import make_supplier

PNG = factories.PNG


@dataclass
class World:
    buyer: object
    other_buyer: object
    order: object
    jg_part: object
    df_part: object
    jg_staff: object
    df_staff: object
    operator: object
    bolt_line: object  # jg's supplier order line of 10 bolts
    nut_line: object  # jg's supplier order line of 4 nuts


def deliver(so: SupplierOrder) -> SupplierOrder:
    """The part accepted, shipped and delivered through the supplier-order lifecycle."""
    lifecycle.transition(so, State.ACCEPTED)
    lifecycle.transition(so, State.SHIPPED)
    lifecycle.transition(so, State.DELIVERED)
    so.refresh_from_db()
    return so


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world(db) -> World:
    jg = make_supplier("jg", "苏州精工五金制品有限公司")
    df = make_supplier("df", "宁波东方电气设备有限公司")
    bolt = factories.product("JG-HB-M8-30", "外六角螺栓 M8×30", "32.00", 500, jg)
    nut = factories.product("JG-HN-M8", "六角螺母 M8", "19.80", 300, jg)
    wire = factories.product("DF-BV-2.5", "BV铜芯电线 2.5mm²", "218.00", 40, df)
    buyer = factories.distributor("buyer")
    other = factories.distributor("other", province="四川省")
    order = factories.place_order(buyer, [(bolt, 10), (nut, 4), (wire, 1)], paid=True)
    jg_part = deliver(SupplierOrder.objects.get(order=order, partner=jg))
    df_part = SupplierOrder.objects.get(order=order, partner=df)
    lines = {line.sku: line for line in jg_part.lines.all()}
    return World(
        buyer=buyer,
        other_buyer=other,
        order=order,
        jg_part=jg_part,
        df_part=df_part,
        jg_staff=factories.supplier_staff(jg, "jgstaff"),
        df_staff=factories.supplier_staff(df, "dfstaff"),
        operator=factories.operator(),
        bolt_line=lines["JG-HB-M8-30"],
        nut_line=lines["JG-HN-M8"],
    )
