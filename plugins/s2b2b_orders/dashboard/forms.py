from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from core.shipments import shipments
from plugins.s2b2b_orders.models import State, SupplierProfile

Partner = get_model("partner", "Partner")
Category = get_model("catalogue", "Category")


class OrderFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("Order state"), required=False, choices=[("", _("All states")), *State.choices])
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(label=_("Number or SKU"), required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("Say why you reject this order.")},
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ShipForm(forms.Form):
    """Carrier, tracking numbers, vouchers and, per line still to ship, the quantity this shipment
    carries (default: all that is outstanding; empty: not in this shipment). The checks against
    what is outstanding are the service's (lifecycle.ship), under the order's lock."""

    carrier = forms.ChoiceField(label=_("Carrier"))
    tracking_numbers = forms.CharField(
        label=_("Tracking numbers"),
        help_text=_("One per line; several parcels may share one shipment."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    vouchers = MultipleFileField(label=_("Shipment vouchers (photos or PDF)"), required=False)

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = shipments().carrier_choices()
        if choices:
            self.fields["carrier"].choices = [("", "—"), *choices]
        else:  # no carrier list installed (core.shipments): the supplier names the carrier
            self.fields["carrier"] = forms.CharField(label=_("Carrier"), max_length=64)
        self.line_fields = []
        for line in lines:
            if line.outstanding_quantity <= 0:
                continue
            name = f"qty_{line.pk}"
            self.fields[name] = forms.IntegerField(
                label=_("%(sku)s %(name)s: quantity to ship (%(outstanding)d outstanding)")
                % {"sku": line.sku, "name": line.name, "outstanding": line.outstanding_quantity},
                required=False,
                initial=line.outstanding_quantity,
                widget=forms.NumberInput(attrs={"class": "ship-quantity"}),
            )
            self.line_fields.append((name, line.pk))

    def clean_tracking_numbers(self):
        return [t.strip() for t in self.cleaned_data["tracking_numbers"].splitlines() if t.strip()]

    def clean(self):
        data = super().clean()
        # a POST without any quantity (an older client) ships everything outstanding
        posted = any(name in self.data for name, _pk in self.line_fields)
        data["quantities"] = (
            {pk: data[name] for name, pk in self.line_fields if data.get(name) is not None} if posted else None
        )
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("Say why you cancel this order.")},
    )


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = SupplierProfile
        fields = [
            "partner",
            "legal_name",
            "contact_name",
            "contact_phone",
            "contact_email",
            "channel",
            "webhook_url",
            "webhook_secret",
            "acceptance_hours",
            "backup_partner",
            "auto_reroute",
            "commission_rate",
        ]
        widgets = {"webhook_secret": forms.PasswordInput(render_value=True)}


class ProductForm(forms.Form):
    sku = forms.CharField(label=_("SKU"), max_length=128)
    title = forms.CharField(label=_("Title"), max_length=255)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    price = forms.DecimalField(label=_("Price (CNY, incl. VAT)"), max_digits=12, decimal_places=2, min_value=0.01)
    stock = forms.IntegerField(label=_("Stock"), min_value=0)
    cost = forms.DecimalField(
        label=_("Your cost per unit (optional)"), max_digits=12, decimal_places=2, min_value=0, required=False
    )
    # blank keeps what the offer has (1 and 1 for a new product)
    min_order_quantity = forms.IntegerField(
        label=_("Minimum order quantity"), min_value=1, max_value=99999, initial=1, required=False
    )
    pack_multiple = forms.IntegerField(
        label=_("Pack multiple"),
        min_value=1,
        max_value=99999,
        initial=1,
        required=False,
        help_text=_("A basket line's quantity must be a multiple of this (e.g. 6 for a box of six)."),
    )


class NewProductForm(ProductForm):
    category = forms.ModelChoiceField(label=_("Category"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.order_by("path")


class ProductChangeForm(ProductForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sku"].disabled = True
        self.fields["sku"].required = False


class ScorecardForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class LegalProfileForm(forms.Form):
    """企业资料: what a supplier's staff submit for review. Every rule (required fields, the
    USCC check, the licence's type and size) is the service's (services.legal), so the portal and
    the API give the same messages; the fields here only render and carry the input."""

    legal_name = forms.CharField(label=_("Legal name"), required=False, max_length=200)
    uscc = forms.CharField(
        label=_("Unified social credit code"),
        required=False,
        max_length=40,
        help_text=_("18 characters, as printed on the business licence."),
    )
    province = forms.ChoiceField(label=_("Province"), required=False)
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    address = forms.CharField(label=_("Registered address"), required=False, max_length=255)
    representative = forms.CharField(label=_("Legal representative"), required=False, max_length=100)
    bank_name = forms.CharField(label=_("Bank"), required=False, max_length=200)
    bank_account = forms.CharField(label=_("Bank account number"), required=False, max_length=64)
    taxpayer_type = forms.ChoiceField(label=_("Taxpayer type"), required=False)
    licence = forms.FileField(
        label=_("Business licence"),
        required=False,
        help_text=_("An image or a PDF, at most 10 MB. Leave empty to keep the licence already on file."),
    )

    def __init__(self, *args, **kwargs):
        from core.regions import province_choices
        from plugins.s2b2b_orders.models import TaxpayerType

        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", "—"), *province_choices()]
        self.fields["taxpayer_type"].choices = [("", "—"), *TaxpayerType.choices]


class LegalRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("Say why you reject these legal details.")},
    )
