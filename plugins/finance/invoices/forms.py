"""Forms of the invoices area (storefront and back office)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from plugins.finance.models import InvoiceRequest


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("invoice type"), choices=InvoiceRequest.Kind.choices)
    orders = forms.ModelMultipleChoiceField(
        label=_("paid orders to invoice"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("remarks"), max_length=200, required=False)

    def __init__(self, *args, orders_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orders"].queryset = orders_queryset
        self.fields["orders"].error_messages["invalid_choice"] = _(
            "Order %(value)s cannot be invoiced: it is not your company's paid order, or it is invoiced already."
        )
        self.fields["orders"].label_from_instance = lambda o: f"{o.number} · ¥{o.total_incl_tax}"


class InvoicingDetailsForm(forms.Form):
    invoice_title = forms.CharField(label=_("invoice title"), max_length=200, required=False)
    tax_number = forms.CharField(label=_("taxpayer identification number"), max_length=20, required=False)
    invoice_address_phone = forms.CharField(label=_("address and telephone"), max_length=200, required=False)
    invoice_bank_account = forms.CharField(label=_("bank and account number"), max_length=200, required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("rejection reason"), max_length=255)


class RedForm(forms.Form):
    refund = forms.CharField(label=_("refund number"), max_length=32, required=False)
    note = forms.CharField(label=_("remarks"), max_length=200, required=False)


class TaxClassForm(forms.Form):
    rate = forms.ChoiceField(
        label=_("VAT rate"),
        choices=[
            ("0.13", "13%"),
            ("0.09", "9%"),
            ("0.06", "6%"),
            ("0.05", "5%"),
            ("0.03", "3%"),
            ("0.01", "1%"),
            ("0", "0%"),
        ],
    )
    code = forms.CharField(label=_("tax classification code"), max_length=19, min_length=19)
    short_name = forms.CharField(label=_("classification short name"), max_length=32)


class ProductTaxForm(TaxClassForm):
    sku = forms.CharField(label=_("SKU"), max_length=128)


class RequestFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("state"), required=False, choices=[("", "—"), *InvoiceRequest.State.choices])
    kind = forms.ChoiceField(label=_("invoice type"), required=False, choices=[("", "—"), *InvoiceRequest.Kind.choices])
    red = forms.ChoiceField(
        label=_("red-letter"),
        required=False,
        choices=[("", "—"), ("blue", _("Blue invoice")), ("red", _("Red-letter"))],
    )
    q = forms.CharField(label=_("company or number"), required=False, max_length=100)
