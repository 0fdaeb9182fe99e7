"""Back office (operators): companies with filters, the verification queue (oldest first) and a
company's page (details, licence, USCC check, duplicates, people, status history) with its
verification actions."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views import generic

from companies import forms, selectors
from companies.approvals import selectors as approval_selectors
from companies.models import Company, Role
from companies.services import people as people_services
from companies.services import registration, verification
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
        from django.shortcuts import get_object_or_404

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
