"""Storefront pages of receipts for a company's 财务/admin: 收款记录 (its receipts and unapplied
balance) and 认领转账 (claim a transfer by proving it: date, exact amount, payer account)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import generic

from core.dashboard.actions import add_errors
from plugins.finance.access import company_for_finance
from plugins.finance.receipts import forms
from plugins.finance.selectors.receipts import mask_account, receipts_for, unapplied_of, unclaimed_for
from plugins.finance.services import receipts as service

ACTIVE_TAB = "finance-receipts"


def _page(request, template, status=200, **context):
    return render(request, template, {"active_tab": ACTIVE_TAB, **context}, status=status)


class ReceiptListView(generic.View):
    template_name = "finance/receipts/storefront/list.html"

    def get(self, request):
        company = company_for_finance(request.user)
        if company is None:
            return _page(request, self.template_name, status=403, company=None)
        receipts = list(receipts_for(request.user).prefetch_related("allocations__order")[:200])
        return _page(request, self.template_name, company=company, receipts=receipts, unapplied=unapplied_of(company))


class ClaimView(generic.View):
    template_name = "finance/receipts/storefront/claim.html"

    def _show(self, request, form, status=200):
        company = company_for_finance(request.user)
        candidates = [
            {
                "received_on": r.received_on,
                "amount": r.amount,
                "payer_name": r.payer_name,
                "account": mask_account(r.payer_account),
            }
            for r in unclaimed_for(request.user)[:50]
        ]
        return _page(request, self.template_name, status=status, company=company, form=form, candidates=candidates)

    def get(self, request):
        if company_for_finance(request.user) is None:
            return _page(request, self.template_name, status=403, company=None)
        return self._show(request, forms.ClaimForm())

    def post(self, request):
        company = company_for_finance(request.user)
        if company is None:
            return _page(request, self.template_name, status=403, company=None)
        form = forms.ClaimForm(request.POST)
        if not form.is_valid():
            return self._show(request, form, status=400)
        data = form.cleaned_data
        try:
            orders = forms.orders_of(data.get("orders", ""), company)
            found = service.find_claimable(
                received_on=data["received_on"], amount=data["amount"], payer_account=data["payer_account"]
            )
            if found is None:
                raise ValidationError(
                    _(
                        "No transfer awaiting claim has this date, amount and payer account; "
                        "ask the platform's finance team."
                    )
                )
            service.claim(
                found,
                company=company,
                orders=orders,
                by=request.user,
                amount=data["amount"],
                payer_account=data["payer_account"],
                received_on=data["received_on"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
            return self._show(request, form, status=400)
        messages.success(
            request,
            _("Transfer %(number)s claimed; the platform's finance team approves it.") % {"number": found.number},
        )
        return redirect("finance:receipt-list")
