"""Oscar's order dashboard forms, with the platform's rules: an operator changes an order's
status by hand only to cancel it, and confirms a bank transfer as a payment (not a status)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.orders import forms as oscar_forms

from core.money import fen
from core.orders import status
from shop.address.forms import ChineseAddressMixin

OrderStatsForm = oscar_forms.OrderStatsForm
OrderSearchForm = oscar_forms.OrderSearchForm
OrderNoteForm = oscar_forms.OrderNoteForm


class ShippingAddressForm(ChineseAddressMixin, oscar_forms.ShippingAddressForm):
    """An operator correcting an order's delivery address: the same Chinese fields, cascading
    lists and place check as the buyer's (shop.address.forms)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.adapt_to_china()


class OrderStatusForm(oscar_forms.OrderStatusForm):
    def __init__(self, order, *args, **kwargs):
        super().__init__(order, *args, **kwargs)
        allowed = [s for s in order.available_statuses() if s == status.CANCELLED]
        field = self.fields["new_status"]
        field.choices = [(s, status.status_label(s)) for s in allowed]
        field.error_messages["invalid_choice"] = _(
            "An order's status follows its payment and its supplier orders; it can only be cancelled by hand."
        )


class ConfirmPaymentForm(forms.Form):
    """The platform's bank account received the order's transfer (对公转账到账)."""

    amount = forms.DecimalField(label=_("Amount received"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    reference = forms.CharField(
        label=_("Bank reference"),
        max_length=128,
        help_text=_("The bank's serial number of the transfer (银行流水号)."),
        error_messages={"required": _("Enter the bank's reference of the transfer.")},
    )

    def __init__(self, order, *args, **kwargs):
        self.order = order
        kwargs.setdefault("initial", {"amount": order.total_incl_tax})
        super().__init__(*args, **kwargs)

    def clean_amount(self):
        amount = fen(self.cleaned_data["amount"])
        if amount != fen(self.order.total_incl_tax):
            raise forms.ValidationError(
                _("The transfer must cover the order total ¥%(total)s; ¥%(amount)s was entered.")
                % {"total": f"{self.order.total_incl_tax:,.2f}", "amount": f"{amount:,.2f}"}
            )
        return amount

    def clean_reference(self):
        return self.cleaned_data["reference"].strip()
