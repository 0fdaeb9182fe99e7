"""The operator's activity editor: budget in yuan (stored in fen), products by SKU."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from core.money import to_fen
from plugins.bigdata.marketing import services

ConditionalOffer = get_model("offer", "ConditionalOffer")
VoucherSet = get_model("voucher", "VoucherSet")
StockRecord = get_model("partner", "StockRecord")
Company = get_model("companies", "Company")


class _Companies(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.legal_name


class ActivityForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    start = forms.DateField(label=_("starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    budget = forms.DecimalField(label=_("budget (yuan)"), max_digits=15, decimal_places=2, initial=Decimal("0.00"))
    offers = forms.ModelMultipleChoiceField(label=_("offers"), required=False, queryset=None)
    voucher_sets = forms.ModelMultipleChoiceField(label=_("voucher sets"), required=False, queryset=None)
    companies = _Companies(label=_("companies"), required=False, queryset=None)
    skus = forms.CharField(
        label=_("products (SKUs)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One SKU per line, or separated by commas."),
    )
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offers"].queryset = ConditionalOffer.objects.order_by("name")
        self.fields["voucher_sets"].queryset = VoucherSet.objects.order_by("name")
        self.fields["companies"].queryset = Company.objects.order_by("legal_name")

    def clean_skus(self):
        skus = [s for s in re.split(r"[\s,，]+", self.cleaned_data.get("skus", "")) if s]
        found = dict(StockRecord.objects.filter(partner_sku__in=skus).values_list("partner_sku", "product_id"))
        unknown = [s for s in skus if s not in found]
        if unknown:
            raise ValidationError(_("No product has the SKU %(skus)s.") % {"skus": ", ".join(unknown)})
        return sorted({found[s] for s in skus})

    def clean(self):
        data = super().clean()
        if all(data.get(f) is not None for f in ("name", "start", "end", "budget")):
            try:
                services.check(name=data["name"], start=data["start"], end=data["end"], budget=to_fen(data["budget"]))
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    for message in messages:
                        self.add_error(field, message)
        return data

    def save(self, *, activity=None, by=None):
        data = self.cleaned_data
        return services.save_activity(
            activity=activity,
            name=data["name"],
            start=data["start"],
            end=data["end"],
            budget=to_fen(data["budget"]),
            notes=data.get("notes", ""),
            offers=data["offers"],
            voucher_sets=data["voucher_sets"],
            companies=data["companies"],
            products=data["skus"],
            by=by,
        )

    @classmethod
    def initial_of(cls, activity) -> dict:
        skus = StockRecord.objects.filter(product__in=activity.products.all()).order_by("partner_sku")
        return {
            "name": activity.name,
            "start": activity.start,
            "end": activity.end,
            "budget": Decimal(activity.budget) / 100,
            "offers": list(activity.offers.all()),
            "voucher_sets": list(activity.voucher_sets.all()),
            "companies": list(activity.companies.all()),
            "skus": "\n".join(dict.fromkeys(skus.values_list("partner_sku", flat=True))),
            "notes": activity.notes,
        }
