"""The ABC options beside the filter bar: measure, scope, ABC cut-offs (percent of the total) and
XYZ cut-offs (coefficient of variation). Bad input is refused field by field with the reason; no
analysis runs and nothing is stored."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from plugins.bigdata.abc import xyz
from plugins.bigdata.abc.analysis import Options
from plugins.bigdata.abc.models import AbcMeasure, AbcScope
from plugins.bigdata.backends.base import Cutoffs, Measure

DEFAULTS = {"measure": "revenue", "scope": "overall", "cutoff_a": "80", "cutoff_b": "95", "xyz_x": "0.5", "xyz_y": "1"}


class AbcOptionsForm(forms.Form):
    measure = forms.ChoiceField(label=_("measure"), choices=AbcMeasure.choices)
    scope = forms.ChoiceField(label=_("scope"), choices=AbcScope.choices)
    cutoff_a = forms.DecimalField(label=_("A cut-off (%)"), max_digits=5, decimal_places=2)
    cutoff_b = forms.DecimalField(label=_("B cut-off (%)"), max_digits=5, decimal_places=2)
    xyz_x = forms.DecimalField(label=_("X cut-off (CV)"), max_digits=6, decimal_places=3)
    xyz_y = forms.DecimalField(label=_("Y cut-off (CV)"), max_digits=6, decimal_places=3)

    def __init__(self, data=None, *, with_scope: bool = True, **kwargs):
        given = data.copy() if data is not None else {}
        for name, value in DEFAULTS.items():
            if given.get(name) in (None, ""):
                given[name] = value
        super().__init__(given, prefix=None, **kwargs)
        if not with_scope:
            del self.fields["scope"]
        for name in ("cutoff_a", "cutoff_b", "xyz_x", "xyz_y"):
            self.fields[name].widget.attrs["style"] = "width: 5em"

    def clean(self):
        data = super().clean()
        a, b = data.get("cutoff_a"), data.get("cutoff_b")
        for name in ("cutoff_a", "cutoff_b"):
            value = data.get(name)
            if value is not None and not (Decimal(0) < value <= Decimal(100)):
                self.add_error(name, _("A cut-off is a percentage above 0 and at most 100."))
        if a is not None and b is not None and a > b and not (self.has_error("cutoff_a") or self.has_error("cutoff_b")):
            self.add_error("cutoff_b", _("The B cut-off may not be below the A cut-off."))
        x, y = data.get("xyz_x"), data.get("xyz_y")
        for name in ("xyz_x", "xyz_y"):
            value = data.get(name)
            if value is not None and not (Decimal(0) < value <= xyz.MAX_CUTOFF):
                self.add_error(name, _("An XYZ cut-off is a coefficient of variation above 0 and at most 100."))
        if x is not None and y is not None and x > y and not (self.has_error("xyz_x") or self.has_error("xyz_y")):
            self.add_error("xyz_y", _("The Y cut-off may not be below the X cut-off."))
        return data

    def options(self) -> Options:
        data = self.cleaned_data
        return Options(
            scope=data.get("scope", AbcScope.OVERALL),
            measure=Measure(data["measure"]),
            cutoffs=Cutoffs(data["cutoff_a"], data["cutoff_b"]),
            xyz=xyz.XyzCutoffs(data["xyz_x"], data["xyz_y"]),
        )

    def first_error(self) -> tuple[str, str]:
        field, errors = next(iter(self.errors.items()))
        return field, str(errors[0])
