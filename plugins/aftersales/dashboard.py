"""After-sales in the supplier portal and the back office: a supplier's staff see and decide
their supplier's requests (approve, reject with a reason, confirm returned goods received, ship
an exchange's replacement); operators see every request. Another supplier's request is a 404."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic

from core.access import SUPPLIER, is_operator
from core.dashboard.actions import DashboardActionView
from core.shipments import shipments
from plugins.aftersales import forms, selectors
from plugins.aftersales.services import requests as services


class PortalListView(generic.View):
    template_name = "aftersales/dashboard/list.html"

    def get(self, request):
        form = forms.FilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        found = selectors.requests_for(
            request.user, state=filters.get("state", ""), kind=filters.get("kind", ""), search=filters.get("q", "")
        )
        page = Paginator(found, 50).get_page(request.GET.get("page"))
        return render(
            request,
            self.template_name,
            {"form": form, "page_obj": page, "requests": page.object_list, "ops": is_operator(request.user)},
        )


class PortalDetailView(DashboardActionView):
    template_name = "aftersales/dashboard/detail.html"
    actions = ("approve", "reject", "receive", "ship_replacement")
    # the decisions are the supplier's; operators read
    action_parties = {action: (SUPPLIER,) for action in actions}
    get = DashboardActionView.get_page

    def get_object(self):
        req = selectors.request_for(self.request.user, self.kwargs["number"])
        if req is None:
            raise Http404
        return req

    def get_context_data(self, **kwargs):
        return {
            "req": self.object,
            "timeline": selectors.timeline(self.object),
            "carriers": shipments().carrier_choices(),
            "ops": is_operator(self.request.user),
            "reject_form": kwargs.pop("reject_form", None) or forms.RejectForm(),
            "ship_form": kwargs.pop("ship_form", None) or forms.ShipmentForm(),
            **kwargs,
        }

    def get_success_url(self):
        return reverse("aftersales-dashboard:detail", args=[self.object.number])

    def do_approve(self):
        services.approve(self.object, by=self.request.user)
        return _("After-sales request %(number)s approved.") % {"number": self.object.number}

    def do_reject(self):
        data = self.bind(forms.RejectForm, "reject_form")
        services.reject(self.object, reason=data["reason"], by=self.request.user)
        return _("After-sales request %(number)s rejected.") % {"number": self.object.number}

    def do_receive(self):
        services.confirm_return_received(self.object, by=self.request.user)
        return _("Returned goods of %(number)s received; the refund follows.") % {"number": self.object.number}

    def do_ship_replacement(self):
        data = self.bind(forms.ShipmentForm, "ship_form")
        services.ship_replacement(
            self.object, carrier_code=data["carrier"], tracking_number=data["tracking_number"], by=self.request.user
        )
        return _("Replacement for %(number)s shipped.") % {"number": self.object.number}
