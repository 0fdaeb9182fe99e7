"""Back-office forms for contracts: the list's filters, reasons, answers, the batch countersignature,
framework agreements and a company's contract policy. The services check the rules; the forms only
carry and shape the input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from plugins.contracts.models import Kind, Policy, State

TEXT = {"class": "form-control"}


class ContractFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Contract state"),
        required=False,
        choices=[("", _("All states")), *State.choices],
        widget=forms.Select(TEXT),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Kind.choices], widget=forms.Select(TEXT)
    )
    company = forms.CharField(
        label=_("Buying company"),
        required=False,
        max_length=200,
        widget=forms.TextInput({**TEXT, "placeholder": _("Legal name or USCC")}),
    )
    q = forms.CharField(
        label=_("Contract or order number"),
        required=False,
        max_length=64,
        widget=forms.TextInput(TEXT),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea({**TEXT, "rows": 2}))


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Answer"), max_length=4000, widget=forms.Textarea({**TEXT, "rows": 3}))


class NumbersField(forms.MultipleChoiceField):
    """Any posted contract number: the list may have changed since the page was shown, and a
    number no longer waiting is reported with its reason rather than refused by the form."""

    def valid_value(self, value):
        return bool(value) and len(value) <= 32


class CountersignBatchForm(forms.Form):
    numbers = NumbersField(
        label=_("Contracts"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one contract.")},
    )
    confirm = forms.BooleanField(
        label=_("I confirm the platform's signature on every contract chosen."),
        error_messages={"required": _("Confirm the countersignature first.")},
    )

    def clean_numbers(self):
        return list(dict.fromkeys(n.strip() for n in self.cleaned_data["numbers"]))


class FrameworkForm(forms.Form):
    company = forms.CharField(
        label=_("Buying company"),
        max_length=200,
        help_text=_("Its unified social credit code or customer code."),
        widget=forms.TextInput(TEXT),
    )
    valid_from = forms.DateField(
        label=_("Valid from"),
        required=False,
        help_text=_("Empty: today."),
        widget=forms.DateInput({**TEXT, "type": "date"}, format="%Y-%m-%d"),
    )
    send = forms.BooleanField(label=_("Send it for signing at once"), required=False, initial=True)


class PolicyForm(forms.Form):
    policy = forms.ChoiceField(label=_("Contract policy"), choices=Policy.choices, widget=forms.RadioSelect)
    framework_required_for_credit = forms.BooleanField(
        label=_("Credit line and tier need an effective framework agreement"), required=False
    )


class CompanySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Buying company"),
        required=False,
        max_length=200,
        widget=forms.TextInput({**TEXT, "placeholder": _("Legal name, USCC or customer code")}),
    )
