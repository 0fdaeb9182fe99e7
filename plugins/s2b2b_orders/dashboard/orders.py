"""Supplier order pages shared by the supplier portal and the operators' back office: the list
(filters, pagination) and the detail page with its actions. Every query goes through the
selectors, scoped to the asker: a supplier's staff see only their supplier's orders."""

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import generic

from core.dashboard.actions import DashboardActionView
from plugins.s2b2b_orders import selectors
from plugins.s2b2b_orders.dashboard import forms
from plugins.s2b2b_orders.models import State
from plugins.s2b2b_orders.services import escalation as escalation_service
from plugins.s2b2b_orders.services import lifecycle


def day_start(d):
    return timezone.make_aware(datetime.combine(d, time.min)) if d else None


class OrderListView(generic.View):
    template_name = "s2b2b_orders/order_list.html"
    ops = False

    def get(self, request):
        form = forms.OrderFilterForm(request.GET or None)
        filters = {}
        if form.is_valid():
            data = form.cleaned_data
            filters = {
                "state": data["state"],
                "date_from": day_start(data["date_from"]),
                "date_to": day_start(data["date_to"] + timedelta(days=1)) if data["date_to"] else None,
                "search": data["q"].strip(),
            }
        page = Paginator(selectors.supplier_orders_for(request.user, **filters), 30).get_page(request.GET.get("page"))
        context = {"form": form, "page_obj": page, "orders": page.object_list, "ops": self.ops, "states": State}
        return render(request, self.template_name, context)


class OrderDetailView(DashboardActionView):
    """One supplier order and the buttons of its lifecycle; each subclass lists its actions."""

    template_name = "s2b2b_orders/order_detail.html"
    ops = False
    get = DashboardActionView.get_page

    def get_object(self):
        so = selectors.supplier_order_for(self.request.user, self.kwargs["number"])
        if so is None:
            raise Http404
        return so

    @property
    def via(self) -> str:
        return lifecycle.VIA_BACK_OFFICE if self.ops else lifecycle.VIA_PORTAL

    def get_context_data(self, **kwargs):
        so = self.object
        return {
            "so": so,
            "ops": self.ops,
            "shipments": selectors.shipments_of(so),
            "reject_form": kwargs.get("reject_form") or forms.RejectForm(),
            "ship_form": kwargs.get("ship_form") or forms.ShipForm(lines=so.lines.all()),
            "reason_form": kwargs.get("reason_form") or forms.ReasonForm(),
            "can": {
                "accept": lifecycle.can_transition(so, State.ACCEPTED),
                "reject": lifecycle.can_transition(so, State.REJECTED),
                "ship": lifecycle.can_transition(so, State.SHIPPED),
                "deliver": lifecycle.can_transition(so, State.DELIVERED),
                "complete": lifecycle.can_transition(so, State.COMPLETED),
                "cancel": lifecycle.can_transition(so, State.CANCELLED),
                "reroute": so.state in (State.FORWARDED, State.REJECTED) and not lifecycle.hasattr_replacement(so),
            },
        }

    def get_success_message(self) -> str:
        return _("Supplier order %(number)s: done.") % {"number": self.object.number}

    # actions ---------------------------------------------------------------------------------

    def do_accept(self):
        lifecycle.accept(self.object, actor=self.request.user, via=self.via)

    def do_reject(self):
        data = self.bind(forms.RejectForm, "reject_form")
        lifecycle.reject(self.object, reason=data["reason"], actor=self.request.user, via=self.via)

    def do_ship(self):
        data = self.bind(forms.ShipForm, "ship_form", lines=self.object.lines.all())
        lifecycle.ship(
            self.object,
            carrier_code=data["carrier"],
            tracking_numbers=data["tracking_numbers"],
            vouchers=data["vouchers"],
            quantities=data["quantities"],
            actor=self.request.user,
            via=self.via,
        )

    def do_deliver(self):
        lifecycle.transition(self.object, State.DELIVERED, actor=self.request.user, via=self.via)

    def do_complete(self):
        lifecycle.transition(self.object, State.COMPLETED, actor=self.request.user, via=self.via)

    def do_cancel(self):
        data = self.bind(forms.ReasonForm, "reason_form")
        lifecycle.cancel(self.object, reason=data["reason"], actor=self.request.user, via=self.via)

    def do_reroute(self):
        new = escalation_service.reroute(self.object, actor=self.request.user, note=self.request.POST.get("note", ""))
        messages.success(self.request, _("Re-routed as %(number)s.") % {"number": new.number})
        return redirect("s2b2b-ops-order", number=new.number)
