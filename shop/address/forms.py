"""Address forms adapted to China: one consignee name, a province list, city, district, street.

The same fields and labels serve the address book and the checkout's delivery address. City and
district are text fields that core/regions/picker.js turns into lists cascading from the province;
the server checks them against the division data either way (core.regions.place_errors).
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.address import forms as oscar_forms
from oscar.core.loading import get_model

from core.regions import POSTCODE, place_errors, province_choices, region_attrs

Country = get_model("address", "Country")

LABELS = {
    "last_name": _("Consignee"),
    "line2": _("Company"),
    "line4": _("City"),
    "line3": _("District / county"),
    "line1": _("Street address"),
    "postcode": _("Postcode"),
    "phone_number": _("Mobile or phone"),
    "notes": _("Delivery notes"),
}
ORDER = ["last_name", "line2", "phone_number", "state", "line4", "line3", "line1", "postcode", "notes"]


class ChineseAddressMixin:
    """Drops the Western first name, offers the 34 provinces, labels and orders the fields."""

    def adapt_to_china(self) -> None:
        self.fields.pop("first_name", None)
        self.fields["state"] = forms.ChoiceField(
            label=_("Province"),
            choices=[("", _("Choose a province"))] + province_choices(),
            error_messages={"invalid_choice": _("Choose one of the listed provinces.")},
        )
        for name, label in LABELS.items():
            if name in self.fields:
                self.fields[name].label = label
        for optional in ("line2", "line3", "postcode"):
            self.fields[optional].required = False
        for name, level in (("state", "province"), ("line4", "city"), ("line3", "district")):
            self.fields[name].widget.attrs.update(region_attrs(level))
        self.order_fields(ORDER)

    def clean_postcode(self):
        postcode = (self.cleaned_data.get("postcode") or "").strip()
        if postcode and not POSTCODE.match(postcode):
            raise forms.ValidationError(_("A postcode has 6 digits."), code="invalid")
        return postcode

    def clean(self):
        cleaned = super().clean()
        if "state" in cleaned and "line4" in cleaned:
            errors = place_errors(cleaned["state"], cleaned.get("line4") or "", cleaned.get("line3") or "")
            for level, field in (("province", "state"), ("city", "line4"), ("district", "line3")):
                if level in errors and field not in self.errors:
                    self.add_error(field, forms.ValidationError(errors[level], code="invalid_place"))
        return cleaned


class UserAddressForm(ChineseAddressMixin, oscar_forms.UserAddressForm):
    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.adapt_to_china()
        # the platform delivers in mainland China only: no country to choose
        if "country" in self.fields and Country.objects.filter(is_shipping_country=True).count() == 1:
            self.fields["country"].widget = forms.HiddenInput()
            self.fields["country"].initial = Country.objects.get(is_shipping_country=True).pk
