"""Back-office pages of refunds (operators; approving, rejecting and paying out is for the finance
group, checked by the service): the 退款单 queue, a refund's page with its actions, and the
request form opened from the order page's "Refunds" section."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic
from oscar.core.loading import get_model

from core.dashboard.actions import DashboardActionView
from core.statemachine import history
from plugins.finance.access import may_manage_finance
from plugins.finance.models import JournalEntry, Refund
from plugins.finance.refunds import forms
from plugins.finance.selectors import refunds as selectors
from plugins.finance.services import refunds as services

Order = get_model("order", "Order")


class RefundQueueView(generic.View):
    template_name = "finance/refunds/dashboard/queue.html"
    page_size = 50

    def get(self, request):
        form = forms.QueueFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        if not request.GET:
            filters = {"state": Refund.State.REQUESTED}  # the queue opens on what waits for a decision
            form = forms.QueueFilterForm(initial=filters)
        refunds = selectors.refunds_for(
            request.user,
            state=filters.get("state", ""),
            reason=filters.get("reason", ""),
            search=filters.get("q", ""),
        )
        page = Paginator(refunds, self.page_size).get_page(request.GET.get("page"))
        counts = dict(selectors.refunds_for(request.user).values_list("state").annotate(n=Count("id")).order_by())
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "page_obj": page,
                "paginator": page.paginator,
                "refunds": page.object_list,
                "counts": [(state, label, counts.get(state, 0)) for state, label in Refund.State.choices],
                "may_manage": may_manage_finance(request.user),
            },
        )


class RefundDetailView(DashboardActionView):
    template_name = "finance/refunds/dashboard/detail.html"
    actions = ("approve", "reject", "execute")
    get = DashboardActionView.get_page

    def get_object(self):
        refund = selectors.refund_for(self.request.user, self.kwargs["number"])
        if refund is None:
            raise Http404
        return refund

    def get_context_data(self, **kwargs):
        refund = self.object
        allocations = list(refund.allocations.all())
        for a in allocations:
            a.supplier_share = a.goods + a.freight - a.commission
        entries = JournalEntry.objects.filter(
            key__in=[f"refund:{refund.number}", f"refund:{refund.number}:payout"]
            + [f"clawback:{a.pk}" for a in allocations]
        ).prefetch_related("postings__account")
        return {
            "refund": refund,
            "allocations": allocations,
            "order": refund.order,
            "received": selectors.received_for_order(refund.order),
            "refundable": selectors.refundable_for_order(refund.order),
            "entries": entries,
            "history": history(refund),
            "may_manage": may_manage_finance(self.request.user),
            "reject_form": kwargs.get("reject_form") or forms.RejectForm(),
            "execute_form": kwargs.get("execute_form") or forms.ExecuteForm(),
            **kwargs,
        }

    def get_success_url(self):
        return reverse("finance-dashboard:refund-detail", args=[self.object.number])

    def do_approve(self):
        services.approve(self.object, self.request.user)
        return _("Refund %(number)s approved.") % {"number": self.object.number}

    def do_reject(self):
        data = self.bind(forms.RejectForm, "reject_form")
        services.reject(self.object, data["reason"], self.request.user)
        return _("Refund %(number)s rejected.") % {"number": self.object.number}

    def do_execute(self):
        data = self.bind(forms.ExecuteForm, "execute_form")
        services.execute(self.object, payout_reference=data["payout_reference"], by=self.request.user)
        return _("Refund %(number)s paid back.") % {"number": self.object.number}


class RefundRequestView(DashboardActionView):
    """A refund request for an order, by an operator (from the order page)."""

    template_name = "finance/refunds/dashboard/request.html"
    actions = ("request",)
    default_action = "request"
    get = DashboardActionView.get_page

    def get_object(self):
        return get_object_or_404(Order, number=self.kwargs["number"])

    def get_context_data(self, **kwargs):
        order = self.object
        return {
            "order": order,
            "form": kwargs.get("form") or forms.RefundRequestForm(order=order),
            "received": selectors.received_for_order(order),
            "refundable": selectors.refundable_for_order(order),
            "refunds": selectors.refunds_of_order(order),
            **kwargs,
        }

    def do_request(self):
        data = self.bind(forms.RefundRequestForm, "form", order=self.object)
        refund = services.request_refund(
            self.object,
            reason=data["reason"],
            lines=self.bound_form.lines(),
            freight_amount=data.get("freight_amount") or "0",
            note=data.get("note", ""),
            by=self.request.user,
        )
        messages.success(self.request, _("Refund %(number)s requested.") % {"number": refund.number})
        return redirect("finance-dashboard:refund-detail", refund.number)
