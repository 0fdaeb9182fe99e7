"""对账单 pages of the storefront (a company's 财务/admin) and the shared page logic the back
office and the supplier portal reuse: list, detail with confirm/dispute, downloads. Every lookup
goes through a scoped selector: another party's or a guessed number is a 404."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import generic

from core.dashboard.actions import DashboardActionView
from plugins.finance.access import company_for_finance
from plugins.finance.selectors import statements as selectors
from plugins.finance.services import statements as services
from plugins.finance.statements import exports, forms

LINES_PER_PAGE = 50


def download(statement, fmt: str) -> HttpResponse:
    """The statement as ``fmt`` (xlsx, csv, pdf); anything else is a 404."""
    name = f"statement-{statement.number}"
    if fmt == "csv":
        response = StreamingHttpResponse(exports.csv_stream(statement), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.xlsx_bytes(statement),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif fmt == "pdf":
        response = HttpResponse(exports.pdf_bytes(statement), content_type="application/pdf")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def detail_context(request, statement) -> dict:
    lines = Paginator(services.party_entries(statement), LINES_PER_PAGE).get_page(request.GET.get("page"))
    return {
        "statement": statement,
        "party_name": exports.party_name(statement),
        "summary": exports.summary(statement),
        "lines": lines,
        "history": _history(statement),
    }


def _history(statement):
    from core.statemachine import history

    return history(statement).select_related("actor")


class AnswerMixin:
    """confirm / dispute by the counterparty (storefront and supplier portal)."""

    actions = ("confirm", "dispute")

    def do_confirm(self):
        services.confirm(self.object, by=self.request.user)
        return _("Statement %(number)s confirmed.") % {"number": self.object.number}

    def do_dispute(self):
        data = self.bind(forms.DisputeForm, "dispute_form")
        services.dispute(self.object, reason=data["reason"], by=self.request.user)
        return _("Statement %(number)s disputed: the finance team will answer.") % {"number": self.object.number}


# --- storefront ----------------------------------------------------------------------------------


class StatementListView(generic.View):
    def get(self, request):
        company = company_for_finance(request.user)
        page = Paginator(selectors.company_statements(request.user), 25).get_page(request.GET.get("page"))
        return render(
            request,
            "finance/statements/storefront/list.html",
            {"company": company, "page_obj": page, "statements": page.object_list, "active_tab": "statements"},
        )


class StatementDetailView(AnswerMixin, DashboardActionView):
    template_name = "finance/statements/storefront/detail.html"
    get = DashboardActionView.get_page

    def get_object(self):
        statement = selectors.statement_in(selectors.company_statements(self.request.user), self.kwargs["number"])
        if statement is None:
            raise Http404
        return statement

    def get_context_data(self, **kwargs):
        return {
            **detail_context(self.request, self.object),
            "dispute_form": forms.DisputeForm(),
            "active_tab": "statements",
            **kwargs,
        }


class StatementExportView(generic.View):
    def get(self, request, number, fmt):
        statement = selectors.statement_in(selectors.company_statements(request.user), number)
        if statement is None:
            raise Http404
        return download(statement, fmt)
