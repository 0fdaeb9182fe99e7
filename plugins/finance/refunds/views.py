"""Storefront pages of refunds for a company's 财务 or admin: the company's refunds, one refund,
and a request form for one of its paid orders. Anyone else of the company gets the denial page;
another company's refund or order is a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import generic
from oscar.core.loading import get_model

from core import urlaccess
from core.dashboard.actions import add_errors
from plugins.finance.access import company_for_finance
from plugins.finance.refunds import forms
from plugins.finance.selectors import refunds as selectors
from plugins.finance.services import refunds as services

Order = get_model("order", "Order")
ACTIVE_TAB = "refunds"


def _page(request, template, status=200, **context):
    return render(request, template, {"active_tab": ACTIVE_TAB, **context}, status=status)


class _CompanyFinance(generic.View):
    def dispatch(self, request, *args, **kwargs):
        self.company = company_for_finance(request.user) if request.user.is_authenticated else None
        if self.company is None:
            return urlaccess.deny(request)
        return super().dispatch(request, *args, **kwargs)


class RefundListView(_CompanyFinance):
    template_name = "finance/refunds/storefront/list.html"

    def get(self, request):
        form = forms.QueueFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        refunds = selectors.refunds_for(
            request.user, state=filters.get("state", ""), reason=filters.get("reason", ""), search=filters.get("q", "")
        )
        return _page(request, self.template_name, form=form, refunds=list(refunds[:200]), company=self.company)


class RefundDetailView(_CompanyFinance):
    template_name = "finance/refunds/storefront/detail.html"

    def get(self, request, number):
        refund = selectors.refund_for(request.user, number)
        if refund is None:
            raise Http404
        return _page(request, self.template_name, refund=refund)


class RefundRequestView(_CompanyFinance):
    template_name = "finance/refunds/storefront/request.html"

    def _order(self, number) -> Order:
        order = Order.objects.filter(company=self.company, number=number).first()
        if order is None:
            raise Http404
        return order

    def _show(self, request, order, form, status=200):
        return _page(
            request,
            self.template_name,
            status=status,
            order=order,
            form=form,
            received=selectors.received_for_order(order),
            refundable=selectors.refundable_for_order(order),
        )

    def get(self, request, number):
        order = self._order(number)
        return self._show(request, order, forms.RefundRequestForm(order=order))

    def post(self, request, number):
        order = self._order(number)
        form = forms.RefundRequestForm(request.POST, order=order)
        if not form.is_valid():
            return self._show(request, order, form, status=400)
        try:
            with transaction.atomic():
                refund = services.request_refund(
                    order,
                    reason=form.cleaned_data["reason"],
                    lines=form.lines(),
                    freight_amount=form.cleaned_data.get("freight_amount") or "0",
                    note=form.cleaned_data.get("note", ""),
                    by=request.user,
                )
        except ValidationError as error:
            add_errors(form, error)
            return self._show(request, order, form, status=400)
        messages.success(request, _("Refund %(number)s requested; finance will review it.") % {"number": refund.number})
        return redirect("finance:refund-detail", refund.number)
