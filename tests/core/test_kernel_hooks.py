"""Kernel hooks: what the platform asks a plugin instead of importing it, and the plain
fallbacks when no plugin provides them (tests/core/test_plugin_removal.py runs the site on them)."""

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from core.plugins import provided_objects, provider
from core.shipments import PlainShipments, shipments
from plugins.logistics.hooks import Shipments
from storefront import payments
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
