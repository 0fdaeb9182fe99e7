"""Forms of the settlement pages (the services check the rules again; these give each field its
message)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from plugins.finance.models import SettlementBatch
from plugins.finance.selectors import settlement as selectors

Category = get_model("catalogue", "Category")
DATE = forms.DateInput(attrs={"type": "date"})


class BatchFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("state"), required=False, choices=[("", _("All states")), *SettlementBatch.State.choices]
    )
    supplier = forms.ModelChoiceField(label=_("supplier"), required=False, queryset=selectors.suppliers())


class PortalFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("state"), required=False, choices=[("", _("All states")), *SettlementBatch.State.choices]
    )


class NewBatchForm(forms.Form):
    supplier = forms.ModelChoiceField(label=_("supplier"), queryset=selectors.suppliers())
    period_start = forms.DateField(label=_("period start"), widget=DATE)
    period_end = forms.DateField(label=_("period end"), widget=DATE)


class PayForm(forms.Form):
    payout_reference = forms.CharField(
        label=_("payout reference"),
        max_length=64,
        error_messages={"required": _("Give the payout's bank reference.")},
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=_("dispute reason"),
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say what is wrong with the settlement.")},
    )


class RateForm(forms.Form):
    rate = forms.DecimalField(
        label=_("commission rate"),
        min_value=Decimal("0"),
        max_value=Decimal("0.9999"),
        max_digits=5,
        decimal_places=4,
        help_text=_("A fraction, e.g. 0.05 for 5 %."),
    )


class CategoryRateForm(RateForm):
    category = forms.ModelChoiceField(label=_("category"), queryset=Category.objects.order_by("path"))

    field_order = ["category", "rate"]


class IncomeFilterForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)
