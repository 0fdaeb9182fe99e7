"""Forms of the storefront's contract pages. They check the shape of what was sent; the
services decide (rights, states, codes) and their refusals are put back on these forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.digits import digits
from plugins.contracts.models import Kind, State

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class ListFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("state"), required=False, choices=[("", _("all"))] + list(State.choices))
    kind = forms.ChoiceField(label=_("kind"), required=False, choices=[("", _("all"))] + list(Kind.choices))


class CodeForm(forms.Form):
    """Ask for a code for the revision shown; carries what the reading tracker measured."""

    document_sha256 = forms.CharField(max_length=64, widget=forms.HiddenInput)
    read_seconds = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    reached_end = forms.BooleanField(required=False, widget=forms.HiddenInput)


class SignForm(forms.Form):
    document_sha256 = forms.CharField(max_length=64, widget=forms.HiddenInput)
    code = forms.CharField(
        label=_("Verification code"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}),
        error_messages={
            "required": _("Enter the 6-digit code from the e-mail."),
            "min_length": _("The code has 6 digits."),
        },
    )
    agree = forms.BooleanField(
        label=_("I have read the whole contract and sign it for my company with this code."),
        error_messages={"required": _("Confirm that you have read the contract and sign it for your company.")},
    )

    def clean_code(self):
        code = digits(self.cleaned_data["code"].strip())
        if code is None:
            raise forms.ValidationError(_("The code has 6 digits."), code="invalid")
        return code


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("What should change?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write what should change.")},
    )


class GrantForm(forms.Form):
    """签章授权: one of the company's active people, an optional amount cap and end date."""

    user = forms.TypedChoiceField(label=_("person"), coerce=int)
    amount_cap = forms.DecimalField(
        label=_("amount cap (¥)"),
        required=False,
        max_digits=14,
        decimal_places=2,
        help_text=_("Empty: no cap. Above it the company's approver approves first (用印审批)."),
    )
    expires_on = forms.DateField(
        label=_("valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: until revoked."),
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [
            (m.user_id, f"{m.user.get_full_name() or m.user.email} <{m.user.email}> · {m.get_role_display()}")
            for m in members
        ]


class SealForm(forms.Form):
    image = forms.FileField(
        label=_("seal image (PNG)"),
        help_text=_("A PNG of the seal with a transparent background, at most 2 MB."),
        error_messages={"required": _("Choose the PNG file of your seal.")},
    )


class VerifyForm(forms.Form):
    """By contract number (the document as the platform stores it) or by uploading a PDF."""

    number = forms.CharField(label=_("contract number"), max_length=32, required=False)
    file = forms.FileField(label=_("PDF file"), required=False, help_text=_("At most 20 MB."))

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."), code="too_big")
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(_("This is not a PDF file."), code="not_pdf")
        return upload

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("number") or "").strip() and cleaned.get("file") is None:
            raise forms.ValidationError(_("Enter a contract number or choose a PDF file."), code="required")
        return cleaned
