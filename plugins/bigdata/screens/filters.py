"""The filter bar of every analytics screen: period, province (and a city of it), supplier,
category, salesperson and tier. ``FilterForm.filters()`` turns valid input into the backends'
``Filters``; bad input is refused field by field and no report runs."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from core.regions import PROVINCES
from plugins.bigdata.backends.base import Filters, Period, Region
from plugins.bigdata.models import MonthlySales

#: the longest period one report may cover (a bound on the work one request asks for)
MAX_PERIOD_DAYS = 366 * 5
EARLIEST = date(2000, 1, 1)


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last twelve months: the first day of the month eleven months back up to today."""
    today = today or timezone.localdate()
    month = today.month - 11
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, 1), today


def province_options() -> list[tuple[str, str]]:
    return [("", _("All provinces"))] + [(p.code, p.label) for p in PROVINCES]


class _Named(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        full_name = getattr(obj, "full_name", None)
        if full_name:
            return full_name
        if hasattr(obj, "get_full_name"):
            return obj.get_full_name() or obj.get_username()
        return str(obj)


def _salespeople():
    """People sales are credited to (from the rollup, so the list is what the facts hold)."""
    ids = MonthlySales.objects.exclude(salesperson_id=0).values_list("salesperson_id", flat=True).distinct()
    return get_user_model().objects.filter(pk__in=ids).order_by("last_name", "first_name", "username")


def _tier_options() -> list[tuple[str, str]]:
    options = [("", _("All tiers"))]
    if apps.is_installed("plugins.member_tiers"):
        Tier = apps.get_model("member_tiers", "Tier")
        options += list(Tier.objects.order_by("code").values_list("code", "name"))
    return options


class FilterForm(forms.Form):
    start = forms.DateField(label=_("start date"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("end date"), widget=forms.DateInput(attrs={"type": "date"}))
    province = forms.ChoiceField(label=_("province"), required=False)
    city = forms.CharField(label=_("city"), required=False, max_length=64)
    supplier = _Named(label=_("supplier"), required=False, queryset=None, empty_label=_("All suppliers"))
    category = _Named(label=_("category"), required=False, queryset=None, empty_label=_("All categories"))
    salesperson = _Named(label=_("salesperson"), required=False, queryset=None, empty_label=_("All salespeople"))
    tier = forms.ChoiceField(label=_("tier"), required=False)

    def __init__(self, data=None, *, salesperson_scope: int | None = None, **kwargs):
        start, end = default_period()
        data = data.copy() if data is not None else {}
        data.setdefault("start", start.isoformat())
        data.setdefault("end", end.isoformat())
        super().__init__(data, **kwargs)
        self.fields["province"].choices = province_options()
        self.fields["supplier"].queryset = get_model("partner", "Partner").objects.order_by("name")
        self.fields["category"].queryset = get_model("catalogue", "Category").objects.order_by("path")
        self.fields["salesperson"].queryset = _salespeople()
        self.fields["tier"].choices = _tier_options()
        if salesperson_scope is not None:
            # a salesperson's numbers are their own: no choice to offer
            del self.fields["salesperson"]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start < EARLIEST or end < EARLIEST:
                self.add_error("start", _("Dates before %(date)s are not covered.") % {"date": EARLIEST.isoformat()})
            elif end < start:
                self.add_error("end", _("The end date is before the start date."))
            elif (end - start) > timedelta(days=MAX_PERIOD_DAYS):
                self.add_error("end", _("A period may cover at most five years."))
        if data.get("city") and not data.get("province"):
            self.add_error("city", _("Choose the province of the city first."))
        return data

    def filters(self) -> Filters:
        """The valid input as the backends' filters (call after ``is_valid()``)."""
        data = self.cleaned_data
        regions = (Region(data["province"], city=data.get("city", "").strip()),) if data.get("province") else ()
        supplier, category = data.get("supplier"), data.get("category")
        salesperson = data.get("salesperson")
        return Filters(
            period=Period(data["start"], data["end"]),
            regions=regions,
            supplier_ids=(supplier.pk,) if supplier else (),
            # a category stands for itself and everything under it
            category_ids=tuple(c.pk for c in category.get_descendants_and_self()) if category else (),
            salesperson_ids=(salesperson.pk,) if salesperson else (),
            tier_codes=(data["tier"],) if data.get("tier") else (),
        )
