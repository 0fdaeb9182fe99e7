from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from core.regions import province_choices
from plugins.logistics.models import CHARGE_MODES, Shipment
from plugins.logistics.services.templates import FreeRuleInput, RuleInput, TemplateInput


def _provinces_field(required=True, label=None):
    return forms.MultipleChoiceField(
        label=label or _("Provinces"),
        required=required,
        choices=province_choices,
        widget=forms.SelectMultiple(attrs={"size": 6, "class": "form-control"}),
    )


def _number(label):
    # Validated by the service (one place for the rules); the form only carries text.
    return forms.CharField(label=label, widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "decimal"}))


class TemplateForm(forms.Form):
    partner = forms.TypedChoiceField(label=_("Supplier"), required=False, coerce=int, empty_value=None)
    name = forms.CharField(label=_("Name"), max_length=100, widget=forms.TextInput(attrs={"class": "form-control"}))
    mode = forms.ChoiceField(
        label=_("Charge by"), choices=CHARGE_MODES, widget=forms.Select(attrs={"class": "form-control"})
    )
    is_default = forms.BooleanField(label=_("Default template of the supplier"), required=False)
    first_unit = _number(_("First unit"))
    first_price = _number(_("First price"))
    additional_unit = _number(_("Additional unit"))
    additional_price = _number(_("Additional price"))
    excluded_provinces = _provinces_field(required=False, label=_("Provinces not delivered to"))

    def __init__(self, *args, partner_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = list(partner_choices)


class RegionRuleForm(forms.Form):
    provinces = _provinces_field()
    first_unit = _number(_("First unit"))
    first_price = _number(_("First price"))
    additional_unit = _number(_("Additional unit"))
    additional_price = _number(_("Additional price"))


class FreeRuleForm(forms.Form):
    provinces = _provinces_field(required=False, label=_("Provinces (none: all)"))
    min_amount = forms.CharField(
        label=_("Order amount at least"), required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    min_quantity = forms.CharField(
        label=_("Quantity at least"), required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )


RegionRuleFormSet = formset_factory(RegionRuleForm, extra=1, can_delete=True)
FreeRuleFormSet = formset_factory(FreeRuleForm, extra=1, can_delete=True)


def _filled(form) -> bool:
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    if not data or data.get("DELETE"):
        return False
    return any(v not in (None, "", [], False) for k, v in data.items() if k != "DELETE")


def template_input(form: TemplateForm, regions, frees) -> tuple[TemplateInput, list, list]:
    """The service input from valid forms, and which formset form each rule came from."""
    region_forms = [f for f in regions.forms if _filled(f)]
    free_forms = [f for f in frees.forms if _filled(f)]
    d = form.cleaned_data
    data = TemplateInput(
        name=d["name"],
        mode=d["mode"],
        first_unit=d["first_unit"],
        first_price=d["first_price"],
        additional_unit=d["additional_unit"],
        additional_price=d["additional_price"],
        is_default=d["is_default"],
        excluded_provinces=d["excluded_provinces"],
        region_rules=[
            RuleInput(
                f.cleaned_data["provinces"],
                f.cleaned_data["first_unit"],
                f.cleaned_data["first_price"],
                f.cleaned_data["additional_unit"],
                f.cleaned_data["additional_price"],
            )
            for f in region_forms
        ],
        free_rules=[
            FreeRuleInput(f.cleaned_data["provinces"], f.cleaned_data["min_amount"], f.cleaned_data["min_quantity"])
            for f in free_forms
        ],
    )
    return data, region_forms, free_forms


def apply_errors(exc, form, region_forms, free_forms) -> None:
    """Put a service ValidationError on the form fields it names."""
    for key, messages in exc.message_dict.items():
        parts = key.split(".")
        target, field = form, parts[0]
        if parts[0] in ("region_rules", "free_rules") and len(parts) >= 2:
            forms_ = region_forms if parts[0] == "region_rules" else free_forms
            target = forms_[int(parts[1])]
            field = parts[2] if len(parts) > 2 else None
        if field is not None and field not in target.fields:
            field = None
        for message in messages:
            target.add_error(field, message)


class PreviewForm(forms.Form):
    province = forms.ChoiceField(choices=province_choices)
    quantity = forms.IntegerField(min_value=1, max_value=100000)
    unit_measure = forms.DecimalField(min_value=0, max_digits=10, decimal_places=4, required=False)
    unit_price = forms.DecimalField(min_value=0, max_digits=12, decimal_places=2, required=False)


class TrackingEventForm(forms.Form):
    parcel = forms.TypedChoiceField(
        label=_("Tracking number"), coerce=int, widget=forms.Select(attrs={"class": "form-control"})
    )
    occurred_at = forms.DateTimeField(
        label=_("Time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"})
    )
    location = forms.CharField(
        label=_("Location"), required=False, max_length=200, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    description = forms.CharField(
        label=_("Description"), max_length=500, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=Shipment.STATUSES, widget=forms.Select(attrs={"class": "form-control"})
    )

    def __init__(self, *args, parcels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parcel"].choices = [(p.pk, p.tracking_number) for p in parcels]


class VoucherForm(forms.Form):
    file = forms.FileField(label=_("Shipping voucher"))
