"""Back office (operators): companies with filters, the verification queue (oldest first) and a
company's page (details, licence, USCC check, duplicates, people, status history) with its
verification actions."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views import generic

from companies import forms, selectors
from companies.approvals import selectors as approval_selectors
from companies.models import Company, ImportStatus, Role
from companies.services import imports, registration, verification
from companies.services import people as people_services
from core import statemachine
from core.dashboard.actions import DashboardActionView


class CompanyListView(generic.ListView):
    template_name = "companies/dashboard/company_list.html"
    context_object_name = "companies"
    paginate_by = 50

    def get_queryset(self):
        self.form = forms.CompanyFilterForm(self.request.GET or None)
        filters = self.form.cleaned_data if self.form.is_valid() else {}
        return selectors.companies_for_operator(
            status=filters.get("status", ""), province=filters.get("province", ""), search=filters.get("q", "")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["form"] = self.form
        return ctx


class VerificationQueueView(generic.ListView):
    template_name = "companies/dashboard/verification_queue.html"
    context_object_name = "companies"
    paginate_by = 50

    def get_queryset(self):
        return selectors.verification_queue()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["phone_duplicates"] = selectors.duplicate_flags(ctx["companies"])
        return ctx


class CompanyDetailView(DashboardActionView):
    template_name = "companies/dashboard/company_detail.html"
    actions = (
        "verify",
        "reject",
        "suspend",
        "reinstate",
        "customer-code",
        "member-role",
        "member-deactivate",
        "member-reactivate",
    )
    success_message = gettext_lazy("Saved.")
    get = DashboardActionView.get_page

    def get_object(self):
        return get_object_or_404(Company, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        company = self.object
        members = list(selectors.people(company))
        return {
            "company": company,
            "members": members,
            "history": selectors.status_history(company),
            "people_history": people_services.member_history(members),
            "duplicates": selectors.duplicates(company),
            "orders": selectors.recent_orders(company),
            "approval_rules": list(approval_selectors.company_rules(company)),
            "approval_requests": list(approval_selectors.company_requests(company)[:50]),
            "targets": verification.VERIFICATION.targets(company.status),
            "reject_form": kwargs.get("reject_form") or forms.RequiredReasonForm(),
            "suspend_form": kwargs.get("suspend_form") or forms.RequiredReasonForm(),
            "reason_form": forms.ReasonForm(),
            "role_choices": Role.choices,
            "code_form": kwargs.get("code_form")
            or forms.CustomerCodeForm(initial={"customer_code": company.customer_code}),
            **kwargs,
        }

    def get_success_url(self):
        return reverse("companies-dashboard:company-detail", args=[self.object.pk])

    def do_verify(self):
        data = self.bind(forms.ReasonForm)
        verification.verify(self.object, actor=self.request.user, reason=data["reason"])

    def do_reject(self):
        data = self.bind(forms.RequiredReasonForm, "reject_form")
        verification.reject(self.object, actor=self.request.user, reason=data["reason"])

    def do_suspend(self):
        data = self.bind(forms.RequiredReasonForm, "suspend_form")
        verification.suspend(self.object, actor=self.request.user, reason=data["reason"])

    def do_reinstate(self):
        data = self.bind(forms.ReasonForm)
        verification.reinstate(self.object, actor=self.request.user, reason=data["reason"])

    def do_customer_code(self):
        data = self.bind(forms.CustomerCodeForm, "code_form")
        registration.set_customer_code(company=self.object, code=data["customer_code"], by=self.request.user)

    # operators manage a company's people too (the same services and rules as its admins)

    def member(self):
        found = selectors.people(self.object).filter(pk=self.request.POST.get("member") or 0).first()
        if found is None:
            raise Http404
        return found

    def do_member_role(self):
        people_services.change_role(member=self.member(), role=self.request.POST.get("role", ""), by=self.request.user)

    def do_member_deactivate(self):
        people_services.deactivate(member=self.member(), by=self.request.user)

    def do_member_reactivate(self):
        people_services.reactivate(member=self.member(), by=self.request.user)


# --- customer import with review (客户导入审核) ------------------------------------------------


class ImportUploadView(DashboardActionView):
    """Upload a file: a good one becomes a batch awaiting another operator's approval; a file
    with a bad line is not kept and its line-by-line report is shown."""

    template_name = "companies/dashboard/import_upload.html"
    actions = ("upload",)
    default_action = "upload"
    get = DashboardActionView.get_page

    def get_context_data(self, **kwargs):
        return {
            "form": kwargs.get("form") or forms.ImportUploadForm(),
            "columns": [(c, imports.CHINESE_HEADERS[c][0], imports.column_label(c)) for c in imports.COLUMNS],
            "required": imports.REQUIRED_COLUMNS,
            "report_columns": [(c, imports.column_label(c)) for c in imports.COLUMNS],
            **kwargs,
        }

    def do_upload(self):
        self.bind(forms.ImportUploadForm, "form")
        result = imports.submit(user=self.request.user, upload=self.request.FILES["file"])
        if result.batch is None:
            return self.show(status=400, form=self.bound_form, report=result.report)
        messages.success(
            self.request,
            gettext("Batch #%(batch)s is waiting for another operator's approval.") % {"batch": result.batch.pk},
        )
        return redirect("companies-dashboard:import-detail", pk=result.batch.pk)


def import_template(request):
    response = HttpResponse(imports.template_csv().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="customer-import-template.csv"'
    return response


class ImportBatchListView(generic.ListView):
    template_name = "companies/dashboard/import_list.html"
    context_object_name = "batches"
    paginate_by = 50

    def get_queryset(self):
        return selectors.import_batches()


class ImportBatchDetailView(DashboardActionView):
    template_name = "companies/dashboard/import_detail.html"
    actions = ("approve", "reject")
    get = DashboardActionView.get_page
    report = None

    def get_object(self):
        return get_object_or_404(selectors.import_batches(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        batch = self.object
        pending = batch.status == ImportStatus.PENDING
        report = self.report or (imports.report_of(batch) if pending else None)
        return {
            "batch": batch,
            "report": report,
            "lines": report.lines if report else [imports.Line(r["line"], r["values"]) for r in batch.rows],
            "report_columns": [(c, imports.column_label(c)) for c in imports.COLUMNS],
            "pending": pending,
            "own_batch": batch.uploaded_by_id == self.request.user.pk,
            "companies": batch.companies.order_by("legal_name") if batch.status == ImportStatus.APPROVED else (),
            "history": [(h, imports.IMPORT.label(h.to_state)) for h in statemachine.history(batch)],
            "reject_form": kwargs.get("reject_form") or forms.RequiredReasonForm(),
            **kwargs,
        }

    def get_success_url(self):
        return reverse("companies-dashboard:import-detail", args=[self.object.pk])

    def do_approve(self):
        try:
            imports.approve(self.object, by=self.request.user)
        except imports.ImportRefused as exc:
            self.report = exc.report
            raise
        return gettext("Batch approved: %(n)s companies created.") % {"n": len(self.object.rows)}

    def do_reject(self):
        data = self.bind(forms.RequiredReasonForm, "reject_form")
        imports.reject(self.object, by=self.request.user, reason=data["reason"])
