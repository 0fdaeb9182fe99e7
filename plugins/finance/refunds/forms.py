"""Forms of the refunds pages: a request (reason, per-line quantity and amount, freight share,
note), a rejection reason, a payout reference, the queue's filters. The forms read input; the
service (services.refunds) decides what may be refunded and says why not."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from plugins.finance.models import Refund
from plugins.finance.services.refunds import LineRequest


class RefundRequestForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=Refund.Reason.choices)
    freight_amount = forms.DecimalField(
        label=_("Freight share"), required=False, min_value=Decimal("0"), max_digits=14, decimal_places=2
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = order
        self.order_lines = list(order.lines.order_by("id"))
        for line in self.order_lines:
            self.fields[f"quantity_{line.pk}"] = forms.IntegerField(
                label=_("Quantity"), required=False, min_value=0, max_value=line.quantity
            )
            self.fields[f"amount_{line.pk}"] = forms.DecimalField(
                label=_("Amount"), required=False, min_value=Decimal("0.01"), max_digits=14, decimal_places=2
            )

    def rows(self):
        """(order line, its quantity field, its amount field) for the template."""
        return [(line, self[f"quantity_{line.pk}"], self[f"amount_{line.pk}"]) for line in self.order_lines]

    def lines(self) -> list[LineRequest]:
        data = self.cleaned_data
        chosen = []
        for line in self.order_lines:
            quantity, amount = data.get(f"quantity_{line.pk}") or 0, data.get(f"amount_{line.pk}")
            if quantity or amount is not None:
                chosen.append(LineRequest(line, quantity, amount))
        return chosen


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for rejecting"), max_length=255)


class ExecuteForm(forms.Form):
    payout_reference = forms.CharField(label=_("Payout reference"), max_length=64, required=False)


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("All"))] + Refund.State.choices)
    reason = forms.ChoiceField(label=_("Reason"), required=False, choices=[("", _("All"))] + Refund.Reason.choices)
    q = forms.CharField(label=_("Refund or order number"), required=False, max_length=64)
