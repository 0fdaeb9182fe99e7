"""Checkout forms adapted to China: one consignee name, a province list, city, district, street."""

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import forms as oscar_forms

from core.regions import province_choices
from storefront.payments import method_choices

GatewayForm = oscar_forms.GatewayForm
ShippingMethodForm = oscar_forms.ShippingMethodForm


class ShippingAddressForm(oscar_forms.ShippingAddressForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("first_name", None)
        self.fields["state"] = forms.ChoiceField(
            label=_("Province"),
            choices=[("", _("Choose a province"))] + province_choices(),
            error_messages={"invalid_choice": _("Choose one of the listed provinces.")},
        )
        labels = {
            "last_name": _("Consignee"),
            "line2": _("Company"),
            "line4": _("City"),
            "line3": _("District / county"),
            "line1": _("Street address"),
            "postcode": _("Postcode"),
            "phone_number": _("Mobile or phone"),
            "notes": _("Delivery notes"),
        }
        for name, label in labels.items():
            if name in self.fields:
                self.fields[name].label = label
        self.fields["line2"].required = False
        self.fields["line3"].required = False
        self.fields["postcode"].required = False
        order = ["last_name", "line2", "phone_number", "state", "line4", "line3", "line1", "postcode", "notes"]
        self.order_fields(order)


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
