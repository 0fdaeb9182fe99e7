"""Forms of the receipts pages (back office and storefront). Services re-check everything."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from plugins.finance.models import Receipt

Order = get_model("order", "Order")
MONEY = dict(max_digits=14, decimal_places=2, min_value=0.01)


def _orders_field(required=False):
    return forms.CharField(
        label=_("Orders"),
        required=required,
        max_length=500,
        help_text=_("Order numbers, separated by spaces or commas."),
    )


def order_numbers(text: str) -> list[str]:
    return [n for n in (text or "").replace(",", " ").replace("，", " ").split() if n]


def orders_of(text: str, company) -> list:
    """The orders named in ``text``, all of ``company`` (ValidationError naming any other)."""
    numbers = order_numbers(text)
    if not numbers:
        return []
    found = {o.number: o for o in Order.objects.filter(number__in=numbers, company=company)} if company else {}
    missing = [n for n in numbers if n not in found]
    if missing:
        raise ValidationError({"orders": _("Name only orders of this company.")})
    return [found[n] for n in numbers]


class ReceiptFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("state"), required=False, choices=[("", _("All"))] + list(Receipt.State.choices))
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    since = forms.DateField(label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class RecordReceiptForm(forms.Form):
    bank_reference = forms.CharField(label=_("bank reference"), max_length=64)
    received_on = forms.DateField(label=_("received on"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(label=_("amount"), **MONEY)
    payer_name = forms.CharField(label=_("payer name"), max_length=200)
    payer_account = forms.CharField(label=_("payer account"), max_length=64, required=False)
    payer_bank = forms.CharField(label=_("payer bank"), max_length=200, required=False)
    memo = forms.CharField(label=_("memo"), max_length=255, required=False)
    orders = _orders_field()

    def clean(self):
        data = super().clean()
        numbers = order_numbers(data.get("orders", ""))
        found = list(Order.objects.filter(number__in=numbers))
        if len(found) != len(set(numbers)):
            self.add_error("orders", _("Unknown order number."))
        elif len({o.company_id for o in found}) > 1:
            self.add_error("orders", _("The orders belong to different companies."))
        data["order_objects"] = found
        return data


class AssignForm(forms.Form):
    company_name = forms.CharField(label=_("Company (legal name or customer code)"), max_length=200)
    orders = _orders_field()

    def clean(self):
        from companies.models import Company

        data = super().clean()
        name = (data.get("company_name") or "").strip()
        if name:
            found = list(Company.objects.filter(legal_name=name)[:2]) or list(
                Company.objects.filter(customer_code=name)[:2]
            )
            if len(found) != 1:
                self.add_error("company_name", _("No single company has this name or code."))
            else:
                data["company_object"] = found[0]
        return data


class AllocateForm(forms.Form):
    order = forms.CharField(label=_("Order number"), max_length=64)
    amount = forms.DecimalField(label=_("amount"), **MONEY)


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=255)


class StatementUploadForm(forms.Form):
    file = forms.FileField(label=_("Bank statement (CSV or XLSX)"))


class ClaimForm(forms.Form):
    received_on = forms.DateField(label=_("received on"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(label=_("amount"), **MONEY)
    payer_account = forms.CharField(
        label=_("payer account"),
        max_length=64,
        help_text=_("The full account number the transfer was sent from."),
    )
    orders = _orders_field()
