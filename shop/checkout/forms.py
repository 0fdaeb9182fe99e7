"""Checkout forms: the delivery address the Chinese way (shop.address.forms) and the payment method."""

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import forms as oscar_forms

from shop.address.forms import ChineseAddressMixin
from storefront.payments import method_choices

GatewayForm = oscar_forms.GatewayForm
ShippingMethodForm = oscar_forms.ShippingMethodForm


class ShippingAddressForm(ChineseAddressMixin, oscar_forms.ShippingAddressForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.adapt_to_china()


class PaymentMethodForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Payment method"),
        widget=forms.RadioSelect,
        choices=method_choices,
        error_messages={
            "required": _("Choose how you will pay."),
            "invalid_choice": _("Choose one of the listed payment methods."),
        },
    )
