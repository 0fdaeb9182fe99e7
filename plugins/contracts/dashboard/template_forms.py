"""Forms of the template editor (operators): a version's text and notes, and two versions to compare."""

from django import forms
from django.utils.translation import gettext_lazy as _


class VersionForm(forms.Form):
    body = forms.CharField(
        label=_("Template text"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 30, "class": "form-control text-monospace", "spellcheck": "false"}),
        help_text=_(
            'HTML with the Django template language. Mark each mandatory section with data-clause="key" '
            'and the dispute clause with data-forum="court" or data-forum="arbitration".'
        ),
    )
    notes = forms.CharField(
        label=_("What changed"), max_length=200, required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )

    def clean_body(self):
        # browsers post a textarea with CRLF line ends; the text is stored as written otherwise
        return self.cleaned_data["body"].replace("\r\n", "\n")


class CompareForm(forms.Form):
    MODES = (("text", _("Contract text (rendered against the sample)")), ("source", _("Template source")))

    a = forms.TypedChoiceField(label=_("Older version"), coerce=int)
    b = forms.TypedChoiceField(label=_("Newer version"), coerce=int)
    mode = forms.ChoiceField(label=_("Compare"), choices=MODES, initial="text", required=False)

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(v.pk, f"v{v.number} · {v.get_state_display()}") for v in versions]
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"
