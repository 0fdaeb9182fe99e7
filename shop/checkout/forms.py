"""Checkout forms: the delivery address the Chinese way (shop.address.forms), the payment method
(a method that cannot pay this order now is shown disabled, with the reason), and what the buyer
adds when placing the order (purchase-order number, a remark to each supplier)."""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import forms as oscar_forms

from shop.address.forms import ChineseAddressMixin
from shop.order.models import PURCHASE_ORDER_NUMBER_LENGTH, SUPPLIER_REMARK_LENGTH
from storefront.payments import MethodState, method_choices

GatewayForm = oscar_forms.GatewayForm
ShippingMethodForm = oscar_forms.ShippingMethodForm

#: the id of the preview page's place-order form (inputs elsewhere on the page name it)
PLACE_ORDER_FORM_ID = "place_order_form"


class ShippingAddressForm(ChineseAddressMixin, oscar_forms.ShippingAddressForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.adapt_to_china()


class MethodRadioSelect(forms.RadioSelect):
    """Radios where a method that cannot pay this order now is disabled."""

    def __init__(self, *args, disabled=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.disabled = set(disabled)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value in self.disabled:
            option["attrs"]["disabled"] = True
            option["attrs"]["aria-describedby"] = f"method-reason-{value}"
        return option


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

    def __init__(self, *args, states: dict[str, MethodState] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.states = states or {}
        unavailable = [code for code, state in self.states.items() if not state.available]
        field = self.fields["method"]
        field.widget = MethodRadioSelect(disabled=unavailable, choices=field.choices)
        if self.initial.get("method") in unavailable:
            self.initial = {**self.initial, "method": None}

    def options(self) -> list[tuple]:
        """(radio, its method's state) for the template."""
        return [(radio, self.states.get(radio.data["value"], MethodState())) for radio in self["method"]]

    def clean_method(self):
        method = self.cleaned_data["method"]
        state = self.states.get(method)
        if state is not None and not state.available:
            raise ValidationError(state.reason, code="unavailable")
        return method


def _too_long() -> dict:
    return {"max_length": _("At most %(limit_value)d characters (this has %(show_value)d).")}


def _refuse_control_characters(value: str, *, lines: bool) -> str:
    allowed = {"\n", "\r", "\t"} if lines else set()
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in value):
        raise ValidationError(_("Control characters are not allowed."), code="control_characters")
    return value


class PlaceOrderForm(forms.Form):
    """The buyer's purchase-order number (采购单号) and a remark to each supplier of the basket,
    given with 下订单. ``suppliers`` is the basket's suppliers: (partner id, name)."""

    purchase_order_number = forms.CharField(
        label=_("Purchase order number"),
        max_length=PURCHASE_ORDER_NUMBER_LENGTH,
        required=False,
        error_messages=_too_long(),
        help_text=_(
            "Your own reference (e.g. from your ERP); it is printed on the order and on the suppliers' orders."
        ),
    )

    def __init__(self, *args, suppliers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.suppliers = list(suppliers)
        for partner_id, name in self.suppliers:
            self.fields[self.remark_field(partner_id)] = forms.CharField(
                label=_("Remark to %(supplier)s") % {"supplier": name},
                max_length=SUPPLIER_REMARK_LENGTH,
                required=False,
                error_messages=_too_long(),
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        for field in self.fields.values():
            field.widget.attrs.update({"form": PLACE_ORDER_FORM_ID, "class": "form-control"})

    @staticmethod
    def remark_field(partner_id) -> str:
        return f"remark_{partner_id}"

    def remark_for(self, partner_id):
        """The bound field of a supplier's remark (the preview shows it under the supplier's lines)."""
        name = self.remark_field(partner_id)
        return self[name] if name in self.fields else None

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            try:
                _refuse_control_characters(value or "", lines=name != "purchase_order_number")
            except ValidationError as exc:
                self.add_error(name, exc)
        return cleaned

    def order_values(self) -> dict:
        """The order's fields from a valid form: the number and the non-empty remarks by partner id."""
        remarks = {}
        for partner_id, _name in self.suppliers:
            remark = self.cleaned_data.get(self.remark_field(partner_id), "").strip()
            if remark:
                remarks[str(partner_id)] = remark
        return {
            "purchase_order_number": self.cleaned_data.get("purchase_order_number", ""),
            "supplier_remarks": remarks,
        }
