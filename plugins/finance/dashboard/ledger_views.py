"""The ledger browser (总账, operators): a trial balance by account with filters (account code,
owner kind and name, date range, entry kind, order number), and from any balance its entries,
paginated. Each page costs a fixed number of queries whatever the size of the books."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views import View

from plugins.finance.models import Account
from plugins.finance.selectors import statements as selectors
from plugins.finance.statements.forms import LedgerFilterForm

PER_PAGE = 50


def _filter(request) -> tuple[LedgerFilterForm, selectors.LedgerFilter]:
    form = LedgerFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        return form, selectors.LedgerFilter(**data)
    return form, selectors.LedgerFilter()


def _query(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


class LedgerView(View):
    def get(self, request, *args, **kwargs):
        form, f = _filter(request)
        page = Paginator(selectors.trial_balance(f), PER_PAGE).get_page(request.GET.get("page"))
        accounts = selectors.accounts_by_id(row["account"] for row in page.object_list)
        rows = [{**row, "object": accounts[row["account"]]} for row in page.object_list]
        return render(
            request,
            "finance/ledger/trial_balance.html",
            {
                "form": form,
                "page_obj": page,
                "rows": rows,
                "totals": selectors.trial_totals(f),
                "with_opening": f.since is not None,
                "query": _query(request),
            },
        )


class AccountView(View):
    def get(self, request, pk, *args, **kwargs):
        account = Account.objects.select_related("company", "supplier").filter(pk=pk).first()
        if account is None:
            raise Http404
        form, f = _filter(request)
        page = Paginator(selectors.account_entries(account, f), PER_PAGE).get_page(request.GET.get("page"))
        return render(
            request,
            "finance/ledger/account.html",
            {
                "form": form,
                "account": account,
                "page_obj": page,
                "entries": page.object_list,
                "balance": selectors.account_balance(account, f),
                "with_opening": f.since is not None,
                "query": _query(request),
            },
        )
