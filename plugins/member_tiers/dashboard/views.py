"""Back office for members: list, detail, tiers, price rules, import, price explanation, reassignment.

Who may open each page is declared on MemberTiersConfig.access: operators see every member; a
salesperson opens the member pages too, which show only their own customers (selectors), and
may only tag them; tiers, rules, credit, points and ownership are the operators'.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from core.access import BACK_OFFICE, OPERATORS
from core.dashboard.actions import DashboardActionView, add_errors
from plugins.member_tiers import conf, selectors
from plugins.member_tiers.dashboard import forms
from plugins.member_tiers.models import OrderLinePrice, PriceRule, Tier
from plugins.member_tiers.pricing import PriceBook, cost_of
from plugins.member_tiers.services import credit, floors, followups, members, points, rules, tags


class MemberListView(generic.ListView):
    template_name = "member_tiers/dashboard/member_list.html"
    context_object_name = "members"
    paginate_by = 50

    def get_queryset(self):
        self.form = forms.MemberFilterForm(self.request.GET or None)
        qs = selectors.members_visible_to(self.request.user)
        if self.form.is_valid():
            qs = selectors.filter_members(qs, **self.form.cleaned_data)
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["form"] = self.form
        ctx["sees_all"] = selectors.can_manage_all(self.request.user)
        ctx["due_follow_ups"] = selectors.due_follow_ups(self.request.user)
        return ctx


def member_page(request, membership, **bound_forms) -> dict:
    """The member detail page's context; a form that failed is passed in bound, with its errors."""
    account = getattr(membership, "credit", None) if hasattr(membership, "credit") else None
    return {
        "member": membership,
        "account": account,
        "overdue": credit.overdue(account) if account else None,
        "credit_entries": selectors.credit_entries(membership),
        "rules": selectors.member_rules(membership),
        "orders": selectors.member_orders(membership),
        "progress": members.next_tier_progress(membership),
        "can_edit": selectors.can_manage_all(request.user),
        "tier_form": bound_forms.get("tier_form") or forms.TierChangeForm(),
        "points_form": bound_forms.get("points_form") or forms.PointsAdjustForm(),
        "credit_form": bound_forms.get("credit_form")
        or forms.CreditLineForm(
            initial={
                "limit": account.limit,
                "payment_terms_days": account.payment_terms_days,
                "allow_exceed": account.allow_exceed,
            }
            if account
            else None
        ),
        "movement_form": bound_forms.get("movement_form") or forms.CreditMovementForm(),
        "tags_form": bound_forms.get("tags_form")
        or forms.TagsForm(initial={"tags": ", ".join(t.name for t in membership.tags.all())}),
        "follow_ups": selectors.follow_ups_of(request.user, membership),
        "follow_up_form": bound_forms.get("follow_up_form")
        or forms.FollowUpForm(
            initial={"kind": "visit", "happened_at": timezone.localtime().replace(second=0, microsecond=0)}
        ),
    }


class MemberDetailView(generic.TemplateView):
    template_name = "member_tiers/dashboard/member_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(member_page(self.request, selectors.member_detail(self.request.user, kwargs["pk"])))
        return ctx


class MemberActionView(DashboardActionView):
    """POST one action on a member (the action is in the URL); bad input shows the detail page
    again with the errors. A salesperson may tag their own customers; the rest is the operators'."""

    template_name = "member_tiers/dashboard/member_detail.html"
    actions = ("tier", "points", "credit", "movement", "tags", "follow-up", "follow-up-done")
    action_parties = {
        "follow-up": BACK_OFFICE,
        "follow-up-done": BACK_OFFICE,
        "tier": OPERATORS,
        "points": OPERATORS,
        "credit": OPERATORS,
        "movement": OPERATORS,
        "tags": BACK_OFFICE,
    }
    success_message = gettext_lazy("Saved.")

    def get_action(self) -> str:
        return self.kwargs["action"]

    def get_object(self):
        return selectors.member_detail(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return member_page(self.request, self.object, **kwargs)

    def get_success_url(self):
        return reverse("member_tiers:member-detail", args=[self.object.pk])

    def do_tier(self):
        data = self.bind(forms.TierChangeForm, "tier_form")
        members.change_tier(self.object, data["tier"], reason=data["reason"], by=self.request.user)

    def do_points(self):
        data = self.bind(forms.PointsAdjustForm, "points_form")
        points.adjust(self.object, data["points"], reason=data["reason"], by=self.request.user)

    def do_credit(self):
        data = self.bind(forms.CreditLineForm, "credit_form")
        credit.set_credit_line(
            self.object,
            limit=data["limit"],
            payment_terms_days=data["payment_terms_days"],
            allow_exceed=data["allow_exceed"],
            reason=data["reason"],
            by=self.request.user,
        )

    def do_movement(self):
        data = self.bind(forms.CreditMovementForm, "movement_form")
        account = getattr(self.object, "credit", None)
        if account is None:
            raise ValidationError({"amount": _("This member has no credit line.")})
        if data["kind"] == forms.CreditMovementForm.REPAYMENT:
            credit.record_repayment(account, data["amount"], reason=data["reason"], by=self.request.user)
        else:
            credit.refund(
                account, data["amount"], order_number=data["order_number"], reason=data["reason"], by=self.request.user
            )

    def do_tags(self):
        data = self.bind(forms.TagsForm, "tags_form")
        tags.set_tags(self.object, (data["tags"] or "").replace("，", ",").split(","))

    def do_follow_up(self):
        data = self.bind(forms.FollowUpForm, "follow_up_form")
        followups.record(membership=self.object, by=self.request.user, **data)

    def do_follow_up_done(self):
        follow_up = selectors.follow_ups_of(self.request.user, self.object).filter(
            pk=self.request.POST.get("follow_up") or 0
        )
        if not follow_up.exists():
            raise Http404
        followups.mark_done(follow_up_id=follow_up.get().pk, by=self.request.user)
        if self.request.POST.get("next") == "list":
            return redirect("member_tiers:member-list")


class TierListView(generic.ListView):
    template_name = "member_tiers/dashboard/tier_list.html"
    context_object_name = "tiers"

    def get_queryset(self):
        return Tier.objects.order_by("rank")


class TierEditView(generic.UpdateView):
    template_name = "member_tiers/dashboard/form.html"
    form_class = forms.TierForm
    success_url = reverse_lazy("member_tiers:tier-list")

    def get_object(self, queryset=None):
        return get_object_or_404(Tier, pk=self.kwargs["pk"]) if "pk" in self.kwargs else None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("Member tier")
        ctx["back"] = reverse("member_tiers:tier-list")
        return ctx


class RuleListView(generic.ListView):
    template_name = "member_tiers/dashboard/rule_list.html"
    context_object_name = "rules"
    paginate_by = 100

    def get_queryset(self):
        qs = PriceRule.objects.select_related("tier", "company", "product", "category").order_by("tier__rank", "id")
        tier = self.request.GET.get("tier", "")
        if tier.isdigit():
            qs = qs.filter(tier_id=int(tier))
        elif tier == "customers":
            qs = qs.filter(company__isnull=False)
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["tiers"] = Tier.objects.order_by("rank")
        return ctx


class RuleEditView(generic.UpdateView):
    template_name = "member_tiers/dashboard/form.html"
    form_class = forms.PriceRuleForm
    success_url = reverse_lazy("member_tiers:rule-list")

    def get_object(self, queryset=None):
        return get_object_or_404(PriceRule, pk=self.kwargs["pk"]) if "pk" in self.kwargs else PriceRule()

    def form_valid(self, form):
        rules.save_rule(form.instance, by=self.request.user)
        messages.success(self.request, _("Price rule saved."))
        return redirect(self.success_url)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("Price rule")
        ctx["back"] = reverse("member_tiers:rule-list")
        return ctx


class RuleDeleteView(generic.View):
    def post(self, request, pk):
        rules.delete_rule(get_object_or_404(PriceRule, pk=pk))
        messages.success(request, _("Price rule deleted."))
        return redirect("member_tiers:rule-list")


class RuleImportView(generic.FormView):
    """Upload a file of price rules: a bad file is refused here; a readable one is queued
    (services.rules.submit_import) and its status page follows the task."""

    template_name = "member_tiers/dashboard/rule_import.html"
    form_class = forms.ImportForm

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        if upload.size > rules.MAX_BYTES:
            form.add_error("file", _("The file is larger than %(mb)s MB.") % {"mb": rules.MAX_BYTES // (1024 * 1024)})
            return self.form_invalid(form)
        try:
            job = rules.submit_import(filename=upload.name, content=upload.read(), by=self.request.user)
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        return redirect("member_tiers:rule-import-status", pk=job.pk)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["columns"] = rules.IMPORT_COLUMNS
        ctx["optional_columns"] = rules.OPTIONAL_COLUMNS
        ctx["max_rows"] = conf.rule_import_max_rows()
        ctx["imports"] = selectors.recent_rule_imports()
        return ctx


class RuleImportStatusView(generic.DetailView):
    """One import's progress (the page refreshes itself while the task runs) and its result."""

    template_name = "member_tiers/dashboard/rule_import_status.html"
    context_object_name = "job"

    def get_object(self, queryset=None):
        return get_object_or_404(selectors.recent_rule_imports(limit=None), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        job = self.object
        ctx["checked"] = rules.checked_lines(job)
        ctx["percent"] = int(ctx["checked"] * 100 / job.total) if job.total else 100
        ctx["bad_lines"] = selectors.rule_import_bad_lines(job)
        ctx["columns"] = rules.IMPORT_COLUMNS + rules.OPTIONAL_COLUMNS
        return ctx


class PricingPolicyView(generic.FormView):
    """The platform's default price floor (operators change it with a reason; audited), the
    rules allowed below their floor, and the audit trail of both."""

    template_name = "member_tiers/dashboard/pricing_policy.html"
    form_class = forms.PricingPolicyForm

    def get_initial(self):
        return {"default_floor_margin_percent": floors.policy().default_floor_margin_percent}

    def form_valid(self, form):
        try:
            floors.set_default_floor_margin(
                margin=form.cleaned_data["default_floor_margin_percent"],
                reason=form.cleaned_data["reason"],
                by=self.request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Default price floor saved."))
        return redirect("member_tiers:pricing-policy")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["policy"] = floors.policy()
        ctx["overrides"] = floors.overrides()[:200]
        ctx["audit"] = floors.audit_trail()
        return ctx


class PriceExplainView(generic.TemplateView):
    """Like Oro's price debugger: every candidate rule for a company, product and quantity, and which won."""

    template_name = "member_tiers/dashboard/price_explain.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = forms.ExplainForm(self.request.GET or None)
        ctx["form"] = form
        line_id = self.request.GET.get("line", "")
        if line_id.isdigit():
            recorded = OrderLinePrice.objects.select_related("line__order", "rule").filter(line_id=int(line_id)).first()
            visible = (
                selectors.members_visible_to(self.request.user).filter(company=recorded.line.order.company_id)
                if recorded
                else None
            )
            ctx["recorded"] = recorded if visible is not None and visible.exists() else None
        if form.is_valid():
            membership = selectors.members_visible_to(self.request.user).filter(company=form.company).first()
            if membership is None:
                form.add_error("company_key", _("This company is not one of yours."))
                return ctx
            on_date = form.cleaned_data.get("on_date") or timezone.localdate()
            book = PriceBook(None, today=on_date, all_windows=True, membership=membership)
            record = form.product.stockrecords.order_by("id").first()
            ctx["book"] = book
            ctx["resolution"] = book.resolve(form.product, record, form.cleaned_data["quantity"], explain=True)
            ctx["product"] = form.product
            ctx["cost"] = cost_of(record)
        return ctx


class ReassignView(generic.FormView):
    template_name = "member_tiers/dashboard/reassign.html"
    form_class = forms.ReassignForm

    def form_valid(self, form):
        try:
            moved = members.assign_salesperson(
                form.memberships(),
                form.cleaned_data["to_salesperson"],
                reason=form.cleaned_data["reason"],
                by=self.request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("%(n)s members reassigned.") % {"n": moved})
        return redirect("member_tiers:member-list")
