"""Kernel hooks: what the platform asks a plugin instead of importing it, and the plain
fallbacks when no plugin provides them (tests/core/test_plugin_removal.py runs the site on them)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from core.plugins import provided_objects, provider
from core.shipments import PlainShipments, shipments
from plugins.logistics.hooks import Shipments
from storefront import payments
from tests import factories
from tests.core.test_plugins import make_plugin

#: hooks providers the installed plugins declare (one each)
PROVIDERS = {
    "price_provider": "plugins.member_tiers.hooks.pricing",
    "freight_provider": "plugins.logistics.hooks.freight",
    "shipment_provider": "plugins.logistics.hooks.shipments",
    "checkout_payments": "plugins.member_tiers.services.checkout",
}

sentinel = object()
other = object()


@pytest.mark.parametrize("hook, path", PROVIDERS.items())
def test_the_installed_plugins_provide_each_hook_once(hook, path):
    from django.utils.module_loading import import_string

    assert provider(hook) is import_string(path)


def test_no_provider_means_the_fallback_and_two_are_an_error():
    assert provider("price_provider", [make_plugin()]) is None
    one = make_plugin(price_provider=f"{__name__}.sentinel")
    assert provider("price_provider", [one, make_plugin()]) is sentinel
    two = make_plugin(price_provider=f"{__name__}.other")
    with pytest.raises(ImproperlyConfigured, match="price_provider"):
        provider("price_provider", [one, two])


def test_payment_methods_are_bank_transfer_and_the_plugins():
    assert provided_objects("payment_methods", [make_plugin(payment_methods=[f"{__name__}.sentinel"])]) == [sentinel]
    assert list(payments.methods()) == [payments.BANK_TRANSFER, payments.ON_ACCOUNT]
    assert payments.methods()[payments.ON_ACCOUNT].secured_at_checkout
    assert not payments.methods()[payments.BANK_TRANSFER].secured_at_checkout


def test_the_shipment_provider_is_logistics():
    assert isinstance(shipments(), Shipments)


def test_without_a_shipment_provider_a_shipment_is_its_carrier_and_numbers():
    plain = PlainShipments()
    shipment = plain.record(
        order=None, partner=None, reference="100023-S1", carrier_code=" 顺丰 ", tracking_numbers=[" SF1 ", "", "SF2"]
    )
    assert (shipment.carrier.name, shipment.tracking_numbers, shipment.reference) == (
        "顺丰",
        ["SF1", "SF2"],
        "100023-S1",
    )
    with pytest.raises(ValidationError) as refused:
        plain.record(order=None, partner=None, reference="x", carrier_code="", tracking_numbers=[" "])
    assert set(refused.value.message_dict) == {"carrier", "tracking_numbers"}
    assert plain.carrier_choices() == [] and plain.for_order(None) == []


def without(monkeypatch, module: str) -> None:
    """As if no installed plugin provided the hooks ``module`` asks for."""
    monkeypatch.setattr(f"{module}.provider", lambda hook, app_configs=None: None)


@pytest.mark.django_db
def test_without_a_price_provider_a_member_pays_the_list_price(monkeypatch, catalogue, buyer):
    from oscar.core.loading import get_class

    Selector = get_class("partner.strategy", "Selector")
    without(monkeypatch, "core.pricing")
    price = Selector().strategy(user=buyer).fetch_for_product(catalogue["bolt"]).price
    # the list price (VAT-inclusive), not a member price
    assert (type(price).__name__, price.incl_tax) == ("TaxInclusivePrice", Decimal("32.00"))


@pytest.mark.django_db
def test_without_a_freight_provider_shipping_is_free(monkeypatch, catalogue, buyer):
    without(monkeypatch, "core.freight")
    order = factories.place_order(buyer, [(catalogue["bolt"], 2)], province="新疆维吾尔自治区")
    assert (order.shipping_code, order.shipping_incl_tax) == ("free-shipping", Decimal("0.00"))


@pytest.mark.django_db
def test_without_a_shipment_provider_a_supplier_still_ships_its_part(monkeypatch, catalogue, buyer):
    from plugins.s2b2b_orders.services import lifecycle

    without(monkeypatch, "core.shipments")
    order = factories.place_order(buyer, [(catalogue["bolt"], 2)])
    so = order.supplier_orders.get()
    lifecycle.accept(so)
    lifecycle.ship(so, carrier_code="顺丰", tracking_numbers=["SF1234567890123"])
    so.refresh_from_db()
    assert so.state == "shipped"
    assert so.events.order_by("-id").first().reason == "顺丰: SF1234567890123 — JG-HB-M8-30 × 2"
