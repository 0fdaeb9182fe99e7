"""Storefront 企业中心 pages of purchase approval: the requests waiting for me and my requests,
a request's page (approve or reject with a comment), the page an e-mail link opens, the page
after submitting, and the company's rules (its admins manage them). Every page asks the
approval selectors, scoped to the asking user; the services check who may decide."""

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import generic

from companies import forms, selectors
from companies.approvals import selectors as approval_selectors
from companies.approvals import services
from companies.approvals.models import RequestStatus
from companies.approvals.notify import read_token
from companies.models import Role
from core.dashboard.actions import add_errors


def _page(request, template, status=200, **context):
    return render(request, template, {"active_tab": "company", **context}, status=status)


class ApprovalListView(generic.View):
    template_name = "companies/storefront/approvals.html"

    def get(self, request):
        membership = selectors.membership_of(request.user)
        if membership is None:
            return redirect("companies:mine")
        status = request.GET.get("status", "")
        waiting = list(approval_selectors.waiting_for(request.user)[:100])
        roles = dict(Role.choices)
        for approval in waiting:
            approval.current_role_label = roles.get(approval.current_role, approval.current_role)
        return _page(
            request,
            self.template_name,
            membership=membership,
            waiting=waiting,
            mine=list(approval_selectors.filter_status(approval_selectors.my_requests(request.user), status)[:100]),
            statuses=RequestStatus.choices,
            status_filter=status,
            may_see_rules=selectors.can(request.user, "view_approval_rules", membership.company),
        )


class ApprovalDetailView(generic.View):
    template_name = "companies/storefront/approval_detail.html"

    def get_object(self, number):
        found = approval_selectors.request_for(self.request.user, number)
        if found is None:
            raise Http404
        return found

    def show(self, approval, form=None, status=200, error=""):
        step = services.current_step(approval) if approval.is_pending else None
        refusal = services.refusal(self.request.user, approval, step) if step is not None else None
        return _page(
            self.request,
            self.template_name,
            status,
            approval=approval,
            step=step,
            may_decide=step is not None and refusal is None,
            refusal=refusal if approval.buyer_id != self.request.user.pk else None,
            form=form or forms.DecisionForm(),
            history=services.history_of(approval),
            error=error,
        )

    def get(self, request, number):
        return self.show(self.get_object(number))

    def post(self, request, number):
        approval = self.get_object(number)
        form = forms.DecisionForm(request.POST)
        action = request.POST.get("action")
        if not form.is_valid() or action not in ("approve", "reject"):
            return self.show(approval, form, 400)
        decide = services.approve if action == "approve" else services.reject
        try:
            approval = decide(request=approval, actor=request.user, comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            add_errors(form, exc)
            return self.show(self.get_object(number), form, 400)
        if approval.status == RequestStatus.APPROVED:
            messages.success(request, _("Approved: order %(number)s is placed.") % {"number": approval.order.number})
        elif approval.status == RequestStatus.REPRICED:
            messages.warning(request, approval.reason)
        elif approval.status == RequestStatus.REJECTED:
            messages.success(request, _("Rejected."))
        else:
            messages.success(request, _("Approved; the next step is asked."))
        return redirect("companies:approval-detail", number=approval.number)


class ApprovalSubmittedView(generic.View):
    template_name = "companies/storefront/approval_submitted.html"

    def get(self, request, number):
        approval = approval_selectors.my_requests(request.user).filter(number=number).first()
        if approval is None:
            raise Http404
        return _page(request, self.template_name, approval=approval)


class ApprovalLinkView(generic.View):
    """An approver's e-mail link: signed and expiring; it opens the request's page for a signed-in
    active member of the company who may decide it, and says clearly why not otherwise."""

    template_name = "companies/storefront/approval_link.html"

    def get(self, request, token):
        try:
            data = read_token(token)
        except signing.SignatureExpired:
            return _page(request, self.template_name, 410, problem=_("This approval link has expired."))
        except signing.BadSignature:
            return _page(request, self.template_name, 404, problem=_("This approval link is not valid."))
        approval = approval_selectors.request_for(request.user, str(data.get("r", "")))
        if approval is None:
            return _page(
                request,
                self.template_name,
                403,
                problem=_(
                    "You cannot open this request: only active people of the buyer's company who may "
                    "approve it can. If you were removed from the company, ask its administrator."
                ),
            )
        return redirect("companies:approval-detail", number=approval.number)


class _RulesMixin:
    def company_or_403(self):
        membership = selectors.membership_of(self.request.user)
        if membership is None or not selectors.can(self.request.user, "view_approval_rules", membership.company):
            raise PermissionDenied
        self.company = membership.company
        self.is_admin = selectors.can(self.request.user, "manage_approval_rules", self.company)
        return self.company

    def admin_or_403(self):
        self.company_or_403()
        if not self.is_admin:
            raise PermissionDenied


def _rule_data(cleaned: dict) -> dict:
    return {name: cleaned.get(name) for name in services.RULE_FIELDS}


class ApprovalRulesView(_RulesMixin, generic.View):
    template_name = "companies/storefront/approval_rules.html"

    def show(self, form=None, status=200):
        return _page(
            self.request,
            self.template_name,
            status,
            company=self.company,
            rules=list(approval_selectors.company_rules(self.company)),
            is_admin=self.is_admin,
            form=form or forms.ApprovalRuleForm(company=self.company),
        )

    def get(self, request):
        self.company_or_403()
        return self.show()

    def post(self, request):
        self.admin_or_403()
        form = forms.ApprovalRuleForm(request.POST, company=self.company)
        if not form.is_valid():
            return self.show(form, 400)
        try:
            services.create_rule(company=self.company, by=request.user, **_rule_data(form.cleaned_data))
        except ValidationError as exc:
            add_errors(form, exc)
            return self.show(form, 400)
        messages.success(request, _("The rule is saved."))
        return redirect("companies:approval-rules")


class ApprovalRuleEditView(_RulesMixin, generic.View):
    template_name = "companies/storefront/approval_rule_edit.html"

    def get_rule(self, pk):
        self.admin_or_403()
        rule = approval_selectors.managed_rules(self.request.user).filter(pk=pk).first()
        if rule is None:
            raise Http404
        return rule

    def show(self, rule, form, status=200):
        return _page(self.request, self.template_name, status, rule=rule, form=form)

    def get(self, request, pk):
        rule = self.get_rule(pk)
        initial = {name: getattr(rule, name) for name in services.RULE_FIELDS}
        return self.show(rule, forms.ApprovalRuleForm(initial=initial, company=self.company))

    def post(self, request, pk):
        rule = self.get_rule(pk)
        if request.POST.get("action") in ("deactivate", "activate"):
            services.update_rule(rule=rule, by=request.user, is_active=request.POST["action"] == "activate")
            messages.success(request, _("Saved."))
            return redirect("companies:approval-rules")
        form = forms.ApprovalRuleForm(request.POST, company=self.company)
        if not form.is_valid():
            return self.show(rule, form, 400)
        try:
            services.update_rule(rule=rule, by=request.user, **_rule_data(form.cleaned_data))
        except ValidationError as exc:
            add_errors(form, exc)
            return self.show(rule, form, 400)
        messages.success(request, _("Saved."))
        return redirect("companies:approval-rules")
