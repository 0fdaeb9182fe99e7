"""Fixtures for the supplier order tests: orders placed through Oscar's OrderCreator (the same
path checkout takes), supplier profiles, and a real HTTP receiver on 127.0.0.1 (the kernel's
outbox tests' receiver)."""

import pytest
from django.test import Client
from oscar.core.loading import get_class, get_model

from core.orders.services import secure_payment
from plugins.s2b2b_orders.models import SupplierProfile
from tests import factories
from tests.core.outbox_support import Receiver

Basket = get_model("basket", "Basket")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
Free = get_class("shipping.methods", "Free")
Selector = get_class("partner.strategy", "Selector")


def place_order(user, items, *, secure: bool = True, refresh: bool = True):
    """Place an order of [(product, quantity), ...] for `user` through Oscar's OrderCreator; its
    payment is then secured (as on account), so it is split and forwarded, unless ``secure=False``.
    ``refresh=False`` returns Oscar's object as it made it (its number an int, not yet re-read)."""
    from core.demo.seed import _shipping_address

    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy(user=user)
    for product, quantity in items:
        basket.add_product(product, quantity)
    method = Free()
    charge = method.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, charge)
    order = OrderCreator().place_order(
        basket=basket,
        total=total,
        shipping_method=method,
        shipping_charge=charge,
        user=user,
        shipping_address=_shipping_address(user),
    )
    basket.submit()
    if secure:
        secure_payment(order, method="on-account", amount=order.total_incl_tax, reference=order.number)
    if refresh:
        order.refresh_from_db()
    return order


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def make_supplier(code, name=None, *, channel="portal", url="", secret="", **extra):
    partner = factories.supplier(code, name or f"{code.upper()} 供应商有限公司")
    SupplierProfile.objects.update_or_create(
        partner=partner,
        defaults={
            "legal_name": name or f"{code.upper()} 供应商有限公司",
            "contact_email": f"{code}@supplier.example.cn",
            "channel": channel,
            "webhook_url": url,
            "webhook_secret": secret,
            **extra,
        },
    )
    return partner


@pytest.fixture
def shop(db, settings):
    """Two suppliers (jg by webhook-less portal, df by e-mail), staff for each, products, a buyer."""
    settings.S2B2B_WEBHOOK_TIMEOUT = 1.0
    jg = make_supplier("jg", "苏州精工五金制品有限公司")
    df = make_supplier("df", "宁波东方电气设备有限公司", channel="email")
    bolt = factories.product("JG-HB-M8-30", "外六角螺栓 M8×30", "32.00", 500, jg, cost="25.50")
    nut = factories.product("JG-HN-M8", "六角螺母 M8", "19.80", 300, jg)
    wire = factories.product("DF-BV-2.5", "BV铜芯电线 2.5mm²", "218.00", 40, df)
    return {
        "jg": jg,
        "df": df,
        "bolt": bolt,
        "nut": nut,
        "wire": wire,
        "jg_staff": factories.supplier_staff(jg, "jgstaff"),
        "df_staff": factories.supplier_staff(df, "dfstaff"),
        "buyer": factories.distributor("buyer"),
        "operator": factories.operator("op"),
    }


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
