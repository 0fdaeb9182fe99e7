from django import forms
from django.utils.translation import gettext_lazy as _


class QuickOrderForm(forms.Form):
    lines = forms.CharField(
        label=_("SKU and quantity, one per line"),
        widget=forms.Textarea(attrs={"rows": 10, "placeholder": "JG-HB-M8-30 20\nDF-CB-BV25 5", "spellcheck": "false"}),
        max_length=20000,
        error_messages={"required": _("Enter at least one line: a SKU and a quantity.")},
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100, help_text=_("e.g. the ERP system that will use it"))
