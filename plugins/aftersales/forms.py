from django import forms
from django.utils.translation import gettext_lazy as _

from plugins.aftersales.models import Kind, Reason, State


class RequestForm(forms.Form):
    """What a buyer asks for; the lines' quantities come as ``quantity_<supplier order line id>``
    and the photos as ``photos`` (the service checks both, with every other rule)."""

    kind = forms.ChoiceField(label=_("Type"), choices=Kind.choices, widget=forms.RadioSelect)
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "---------"), *Reason.choices])
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    refund_amount = forms.CharField(
        label=_("Refund amount"),
        required=False,
        help_text=_("Empty: what was paid for these units (after discounts)."),
    )

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.line_rows = list(lines)
        for row in self.line_rows:
            line = row["line"]
            self.fields[f"quantity_{line.pk}"] = forms.IntegerField(
                label=f"{line.sku} {line.name}", min_value=0, initial=0, required=False
            )

    def lines(self) -> list[tuple[int, int]]:
        return [
            (row["line"].pk, self.cleaned_data.get(f"quantity_{row['line'].pk}") or 0)
            for row in self.line_rows
            if self.cleaned_data.get(f"quantity_{row['line'].pk}")
        ]


class ShipmentForm(forms.Form):
    carrier = forms.CharField(label=_("Carrier"), max_length=64)
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=64)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Why reject"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class FilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=[("", _("All")), *State.choices], required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=[("", _("All")), *Kind.choices], required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=64)
