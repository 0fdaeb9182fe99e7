"""对账单 pages of the back office (operators: list, issue, detail and resolve, disputes, closed
periods, downloads) and of the supplier portal (a supplier's staff: their statements, confirm,
dispute, download)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic

from core.dashboard.actions import DashboardActionView
from plugins.finance.access import may_manage_finance
from plugins.finance.models import ClosedPeriod, Statement
from plugins.finance.selectors import statements as selectors
from plugins.finance.services import statements as services
from plugins.finance.statements import exports, forms
from plugins.finance.statements.views import AnswerMixin, detail_context, download


class StatementListView(generic.View):
    def get(self, request):
        form = forms.StatementFilter(request.GET or None)
        qs = Statement.objects.select_related("company", "supplier")
        if form.is_valid():
            data = form.cleaned_data
            if data["state"]:
                qs = qs.filter(state=data["state"])
            if data["party"] == "company":
                qs = qs.filter(company__isnull=False)
            elif data["party"] == "supplier":
                qs = qs.filter(supplier__isnull=False)
            if data["q"]:
                qs = qs.filter(
                    Q(number__icontains=data["q"])
                    | Q(company__legal_name__icontains=data["q"])
                    | Q(supplier__name__icontains=data["q"])
                )
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
        return render(
            request,
            "finance/statements/dashboard/list.html",
            {
                "form": form,
                "page_obj": page,
                "statements": page.object_list,
                "disputed": selectors.disputes().count(),
                "may_manage": may_manage_finance(request.user),
            },
        )


class StatementIssueView(DashboardActionView):
    template_name = "finance/statements/dashboard/issue.html"
    actions = ("issue", "issue_all")
    default_action = "issue"
    get = DashboardActionView.get_page

    def get_context_data(self, **kwargs):
        return {
            "form": forms.IssueForm(),
            "period_form": forms.PeriodForm(),
            "may_manage": may_manage_finance(self.request.user),
            **kwargs,
        }

    def do_issue(self):
        data = self.bind(forms.IssueForm, "form")
        party = data["company"] or data["supplier"]
        self.issued = services.issue_statement(party, data["period_start"], data["period_end"], self.request.user)
        return _("Statement %(number)s issued.") % {"number": self.issued.number}

    def do_issue_all(self):
        data = self.bind(forms.PeriodForm, "period_form")
        made = services.issue_for_period(data["period_start"], data["period_end"], self.request.user)
        return _("%(count)d statements issued.") % {"count": len(made)}

    def get_success_url(self):
        if self.action == "issue_all":
            return reverse("finance-dashboard:statement-list")
        issued = getattr(self, "issued", None)
        if issued is not None:
            return reverse("finance-dashboard:statement-detail", args=[issued.number])
        return super().get_success_url()


class StatementDetailView(DashboardActionView):
    template_name = "finance/statements/dashboard/detail.html"
    actions = ("resolve",)
    get = DashboardActionView.get_page

    def get_object(self):
        statement = Statement.objects.select_related("company", "supplier").filter(number=self.kwargs["number"]).first()
        if statement is None:
            raise Http404
        return statement

    def get_context_data(self, **kwargs):
        return {
            **detail_context(self.request, self.object),
            "drift": drift(self.object),
            "resolve_form": forms.ResolveForm(),
            "may_manage": may_manage_finance(self.request.user),
            **kwargs,
        }

    def do_resolve(self):
        data = self.bind(forms.ResolveForm, "resolve_form")
        services.resolve(self.object, resolution=data["resolution"], by=self.request.user)
        return _("The dispute of %(number)s is resolved.") % {"number": self.object.number}


def drift(statement: Statement) -> list[tuple[str, int, int]]:
    """(label, frozen fen, ledger fen now) of each figure the ledger has moved since the statement
    was issued (a posting dated in its period while the month was still open)."""
    now = services.figures_for(statement)
    labels = exports.labels_of(statement)
    return [
        (str(labels[key]), statement.figures.get(key, 0), now.get(key, 0))
        for key in labels
        if statement.figures.get(key, 0) != now.get(key, 0)
    ]


class StatementExportView(generic.View):
    def get(self, request, number, fmt):
        statement = Statement.objects.select_related("company", "supplier").filter(number=number).first()
        if statement is None:
            raise Http404
        return download(statement, fmt)


class DisputesView(generic.View):
    def get(self, request):
        return render(request, "finance/statements/dashboard/disputes.html", {"statements": selectors.disputes()})


class ClosedPeriodsView(DashboardActionView):
    """结账: close a month (refused while it has unposted documents); reopening is refused with
    the reason (corrections post in the open month)."""

    template_name = "finance/statements/dashboard/periods.html"
    actions = ("close", "reopen")
    get = DashboardActionView.get_page

    def get_context_data(self, **kwargs):
        return {
            "periods": selectors.closed_periods(),
            "form": forms.CloseForm(),
            "may_manage": may_manage_finance(self.request.user),
            **kwargs,
        }

    def do_close(self):
        data = self.bind(forms.CloseForm, "form")
        period = services.close_period(data["month"], by=self.request.user)
        return _("%(month)s is closed.") % {"month": str(period)}

    def do_reopen(self):
        period = ClosedPeriod.objects.filter(pk=self.request.POST.get("period") or 0).first()
        if period is None:
            raise Http404
        services.reopen(period, by=self.request.user)


# --- supplier portal -----------------------------------------------------------------------------


class PortalStatementListView(generic.View):
    def get(self, request):
        page = Paginator(selectors.supplier_statements(request.user), 25).get_page(request.GET.get("page"))
        return render(
            request, "finance/statements/portal/list.html", {"page_obj": page, "statements": page.object_list}
        )


class PortalStatementDetailView(AnswerMixin, DashboardActionView):
    template_name = "finance/statements/portal/detail.html"
    get = DashboardActionView.get_page

    def get_object(self):
        statement = selectors.statement_in(selectors.supplier_statements(self.request.user), self.kwargs["number"])
        if statement is None:
            raise Http404
        return statement

    def get_context_data(self, **kwargs):
        from plugins.finance.statements.forms import DisputeForm

        return {**detail_context(self.request, self.object), "dispute_form": DisputeForm(), **kwargs}


class PortalStatementExportView(generic.View):
    def get(self, request, number, fmt):
        statement = selectors.statement_in(selectors.supplier_statements(request.user), number)
        if statement is None:
            raise Http404
        return download(statement, fmt)
