"""Forms of the statements area (every field names its own error)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from plugins.finance import chart
from plugins.finance.models import Statement


class IssueForm(forms.Form):
    company = forms.ModelChoiceField(label=_("Company"), queryset=None, required=False)
    supplier = forms.ModelChoiceField(label=_("Supplier"), queryset=None, required=False)
    period_start = forms.DateField(label=_("Period start"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Period end"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        from companies.models import Company

        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = Company.objects.order_by("legal_name")
        self.fields["supplier"].queryset = get_model("partner", "Partner").objects.order_by("name")

    def clean(self):
        data = super().clean()
        if bool(data.get("company")) == bool(data.get("supplier")):
            raise forms.ValidationError(_("Choose either a company or a supplier."))
        return data


class PeriodForm(forms.Form):
    period_start = forms.DateField(label=_("Period start"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Period end"), widget=forms.DateInput(attrs={"type": "date"}))


class DisputeForm(forms.Form):
    reason = forms.CharField(label=_("What is wrong"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class CloseForm(forms.Form):
    month = forms.DateField(
        label=_("Month"), input_formats=["%Y-%m", "%Y-%m-%d"], widget=forms.DateInput(attrs={"type": "month"})
    )


class StatementFilter(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("All"))] + Statement.State.choices)
    party = forms.ChoiceField(
        label=_("Counterparty"),
        required=False,
        choices=[("", _("All")), ("company", _("Companies")), ("supplier", _("Suppliers"))],
    )
    q = forms.CharField(label=_("Number or name"), required=False, max_length=100)


class LedgerFilterForm(forms.Form):
    code = forms.CharField(label=_("Account code"), required=False, max_length=16)
    owner = forms.ChoiceField(
        label=_("Account owner"),
        required=False,
        choices=[
            ("", _("All")),
            ("company", _("Companies")),
            ("supplier", _("Suppliers")),
            ("platform", _("Platform")),
        ],
    )
    owner_name = forms.CharField(label=_("Owner name"), required=False, max_length=100)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All"))] + chart.KINDS)
    order_number = forms.CharField(label=_("Order number"), required=False, max_length=128)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The range ends before it starts."))
        return data
