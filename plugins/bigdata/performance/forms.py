"""Forms of the performance pages: the page's own filters (dimension; target level and owner), the
target editor's rows (a formset: every row checked, nothing saved when one is wrong) and the
score's weights. The rules live in ``services``; these put each message on its field."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.regions import PROVINCES
from plugins.bigdata.backends.base import Dimension
from plugins.bigdata.performance import periods, selectors
from plugins.bigdata.performance.models import SalesTarget, TargetLevel, TargetOwner
from plugins.bigdata.performance.services import TargetInput, check_targets

DIMENSIONS = (
    (Dimension.SALESPERSON.value, _("Salesperson")),
    (Dimension.PROVINCE.value, _("Province")),
    (Dimension.CATEGORY.value, _("Product line (category)")),
    (Dimension.SUPPLIER.value, _("Supplier")),
    (Dimension.TIER.value, _("Tier")),
)


def dimension_of(data) -> Dimension:
    """The page's ``dimension`` parameter (salesperson when absent or unknown)."""
    value = (data.get("dimension") or "").strip()
    return Dimension(value) if value in {v for v, _label in DIMENSIONS} else Dimension.SALESPERSON


def level_of(data) -> periods.Level:
    value = (data.get("level") or "").strip()
    return periods.Level(value) if value in periods.Level._value2member_map_ else periods.Level.MONTH


def owner_of(data, *, salesperson_scope: int | None) -> str:
    """Salespeople see their own salesperson targets only."""
    if salesperson_scope is not None:
        return TargetOwner.SALESPERSON
    value = (data.get("owner") or "").strip()
    return value if value in TargetOwner.values else TargetOwner.SALESPERSON


# --- the target editor ------------------------------------------------------------------------------

PERIOD_HELP = {
    TargetLevel.MONTH: _("e.g. 2026-11"),
    TargetLevel.QUARTER: _("e.g. 2026-Q4"),
    TargetLevel.YEAR: _("e.g. 2026"),
}
PERIOD_ERRORS = {
    "format": {
        TargetLevel.MONTH: _("Write the month as 2026-11."),
        TargetLevel.QUARTER: _("Write the quarter as 2026-Q4."),
        TargetLevel.YEAR: _("Write the year as 2026."),
    },
    "alignment": {
        TargetLevel.MONTH: _("A month starts on its first day."),
        TargetLevel.QUARTER: _("A quarter starts on 1 January, 1 April, 1 July or 1 October."),
        TargetLevel.YEAR: _("A year starts on 1 January."),
    },
}


class _Person(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


def _amount(label):
    # no min_value here: the service's rule (and message) for negative and zero targets applies
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "class": "form-control form-control-sm"}),
    )


class TargetForm(forms.Form):
    """One target row. The owner is a salesperson or a province by the editor's owner kind."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    owner = forms.CharField(label=_("target for"))
    period = forms.CharField(label=_("target period"), max_length=16)
    revenue = _amount(_("revenue target (yuan)"))
    new_customers = forms.IntegerField(
        label=_("new companies target"),
        required=False,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
    )
    collections = _amount(_("collections target (yuan)"))

    def __init__(self, *args, owner_kind: str, level: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner_kind, self.level = owner_kind, periods.Level(level)
        if owner_kind == TargetOwner.SALESPERSON:
            self.fields["owner"] = _Person(
                label=_("salesperson"),
                queryset=selectors.salesperson_candidates(),
                error_messages={"invalid_choice": _("Unknown salesperson.")},
            )
        else:
            self.fields["owner"] = forms.ChoiceField(
                label=_("province"),
                choices=[("", "---------")] + [(p.code, p.label) for p in PROVINCES],
                error_messages={"invalid_choice": _("Unknown province.")},
            )
        self.fields["owner"].widget.attrs["class"] = "form-control form-control-sm"
        self.fields["period"].widget.attrs.update(
            {"class": "form-control form-control-sm", "placeholder": PERIOD_HELP[self.level]}
        )

    def clean_period(self):
        try:
            return periods.parse(self.level, self.cleaned_data["period"])
        except periods.PeriodError as exc:
            raise ValidationError(PERIOD_ERRORS[exc.code][self.level], code=exc.code) from None

    def target_input(self) -> TargetInput:
        data = self.cleaned_data
        owner = data["owner"]
        return TargetInput(
            id=data.get("id"),
            owner_kind=self.owner_kind,
            salesperson_id=owner.pk if self.owner_kind == TargetOwner.SALESPERSON else None,
            province_code=owner if self.owner_kind == TargetOwner.REGION else "",
            period=data["period"],
            revenue=data.get("revenue"),
            new_customers=data.get("new_customers"),
            collections=data.get("collections"),
        )


class BaseTargetFormSet(forms.BaseFormSet):
    def __init__(self, *args, owner_kind: str, level: str, existing_ids=(), **kwargs):
        self.owner_kind, self.level, self.existing_ids = owner_kind, level, set(existing_ids)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "owner_kind": self.owner_kind, "level": self.level}

    def kept(self) -> list[TargetForm]:
        """The rows to write: changed (or filled in) and not marked for deletion; rows left as they
        were stay as they are in the database (and are checked against there)."""
        return [f for f in self.forms if f.has_changed() and not self._should_delete_form(f)]

    def delete_ids(self) -> list[int]:
        return [
            f.cleaned_data["id"]
            for f in self.forms
            if self._should_delete_form(f) and f.cleaned_data.get("id") in self.existing_ids
        ]

    def clean(self):
        kept = self.kept()
        if not all(f.is_valid() for f in kept):
            return
        for f in kept:
            target_id = f.cleaned_data.get("id")
            if target_id is not None and target_id not in self.existing_ids:
                # a row id that is not one of the targets shown: a stale page or a forged form
                f.add_error(None, _("This target is no longer here; reload the page."))
        if not all(f.is_valid() for f in kept):
            raise ValidationError(_("Nothing was saved: correct the rows marked below."), code="invalid")
        found = check_targets([f.target_input() for f in kept], self.delete_ids())
        for i, fields in found.items():
            for field, messages in fields.items():
                kept[i].add_error(None if field == "__all__" else field, messages)
        if found:
            raise ValidationError(_("Nothing was saved: correct the rows marked below."), code="invalid")

    def inputs(self) -> list[TargetInput]:
        return [f.target_input() for f in self.kept()]


TargetFormSet = formset_factory(TargetForm, formset=BaseTargetFormSet, extra=3, can_delete=True, max_num=500)


def initial_rows(targets) -> list[dict]:
    return [
        {
            "id": t.pk,
            "owner": t.salesperson_id if t.owner_kind == TargetOwner.SALESPERSON else t.province_code,
            "period": t.period.label,
            "revenue": t.revenue,
            "new_customers": t.new_customers,
            "collections": t.collections,
        }
        for t in targets
    ]


class EditorChoiceForm(forms.Form):
    """Which targets the editor shows: whose, which period type, which year."""

    owner = forms.ChoiceField(label=_("target for"), choices=TargetOwner.choices, initial=TargetOwner.SALESPERSON)
    level = forms.ChoiceField(label=_("period type"), choices=TargetLevel.choices, initial=TargetLevel.MONTH)
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)

    def __init__(self, data=None, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("owner", TargetOwner.SALESPERSON)
        data.setdefault("level", TargetLevel.MONTH)
        data.setdefault("year", str(timezone.localdate().year))
        super().__init__(data, **kwargs)

    def targets(self):
        data = self.cleaned_data
        return SalesTarget.objects.filter(
            owner_kind=data["owner"],
            level=data["level"],
            period_start__gte=date(data["year"], 1, 1),
            period_start__lte=date(data["year"], 12, 31),
        ).order_by("period_start", "province_code", "salesperson__username")


class WeightsForm(forms.Form):
    revenue = forms.IntegerField(label=_("revenue weight (%)"))
    new_customers = forms.IntegerField(label=_("new companies weight (%)"))
    collections = forms.IntegerField(label=_("collections weight (%)"))
    cap = forms.IntegerField(
        label=_("achievement cap (%)"),
        required=False,
        help_text=_("The most an achievement counts for in the score; blank: no cap."),
    )
