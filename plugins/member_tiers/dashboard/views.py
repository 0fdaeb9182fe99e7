"""Back office for members: list, detail, tiers, price rules, import, price explanation, reassignment.

Operators (staff) see members; a salesperson (staff, not superuser) sees only their own members.
Changing tiers, rules, credit, points and ownership is for superusers.
"""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.mixins import UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import generic

from plugins.member_tiers import selectors
from plugins.member_tiers.dashboard import forms
from plugins.member_tiers.models import OrderLinePrice, PriceRule, Tier
from plugins.member_tiers.pricing import PriceBook, cost_of
from plugins.member_tiers.services import credit, members, points, rules, tags

staff_only = method_decorator(staff_member_required(login_url="customer:login"), name="dispatch")


class SuperuserRequired(UserPassesTestMixin):
    raise_exception = True

    def test_func(self):
        return self.request.user.is_staff and self.request.user.is_superuser


def _form_errors(form, exc: ValidationError):
    for field, msgs in exc.message_dict.items():
        for msg in msgs:
            form.add_error(field if field in form.fields else None, msg)


@staff_only
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
        return ctx


@staff_only
class MemberDetailView(generic.TemplateView):
    template_name = "member_tiers/dashboard/member_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        membership = selectors.member_detail(self.request.user, kwargs["pk"])
        account = getattr(membership, "credit", None) if hasattr(membership, "credit") else None
        ctx.update(
            member=membership,
            account=account,
            overdue=credit.overdue(account) if account else None,
            credit_entries=selectors.credit_entries(membership),
            rules=selectors.member_rules(membership),
            orders=selectors.member_orders(membership),
            progress=members.next_tier_progress(membership),
            can_edit=selectors.can_manage_all(self.request.user),
            tier_form=kwargs.get("tier_form") or forms.TierChangeForm(),
            points_form=kwargs.get("points_form") or forms.PointsAdjustForm(),
            credit_form=kwargs.get("credit_form")
            or forms.CreditLineForm(
                initial={
                    "limit": account.limit,
                    "payment_terms_days": account.payment_terms_days,
                    "allow_exceed": account.allow_exceed,
                }
                if account
                else None
            ),
            movement_form=kwargs.get("movement_form") or forms.CreditMovementForm(),
            tags_form=kwargs.get("tags_form")
            or forms.TagsForm(initial={"tags": ", ".join(t.name for t in membership.tags.all())}),
        )
        return ctx


@staff_only
class MemberActionView(generic.View):
    """POST one action on a member; on bad input the detail page is shown again with the errors."""

    ACTIONS = {
        "tier": (forms.TierChangeForm, "tier_form", True),
        "points": (forms.PointsAdjustForm, "points_form", True),
        "credit": (forms.CreditLineForm, "credit_form", True),
        "movement": (forms.CreditMovementForm, "movement_form", True),
        "tags": (forms.TagsForm, "tags_form", False),
    }

    def post(self, request, pk, action):
        if action not in self.ACTIONS:
            return redirect("member_tiers:member-detail", pk=pk)
        membership = selectors.member_detail(request.user, pk)
        form_class, name, superuser_only = self.ACTIONS[action]
        if superuser_only and not selectors.can_manage_all(request.user):
            messages.error(request, _("Only operators with full rights may do this."))
            return redirect("member_tiers:member-detail", pk=pk)
        form = form_class(request.POST)
        if form.is_valid():
            try:
                self.apply(action, membership, form.cleaned_data, request.user)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("member_tiers:member-detail", pk=pk)
        view = MemberDetailView()
        view.setup(request, pk=pk)
        return render(request, view.template_name, view.get_context_data(pk=pk, **{name: form}), status=400)

    def apply(self, action, membership, data, by):
        if action == "tier":
            members.change_tier(membership, data["tier"], reason=data["reason"], by=by)
        elif action == "points":
            points.adjust(membership, data["points"], reason=data["reason"], by=by)
        elif action == "credit":
            credit.set_credit_line(
                membership,
                limit=data["limit"],
                payment_terms_days=data["payment_terms_days"],
                allow_exceed=data["allow_exceed"],
                reason=data["reason"],
                by=by,
            )
        elif action == "movement":
            account = credit.account_of(membership.user)
            if account is None:
                raise ValidationError({"amount": _("This member has no credit line.")})
            if data["kind"] == forms.CreditMovementForm.REPAYMENT:
                credit.record_repayment(account, data["amount"], reason=data["reason"], by=by)
            else:
                credit.refund(account, data["amount"], order_number=data["order_number"], reason=data["reason"], by=by)
        elif action == "tags":
            tags.set_tags(membership, (data["tags"] or "").replace("，", ",").split(","))


@staff_only
class TierListView(SuperuserRequired, generic.ListView):
    template_name = "member_tiers/dashboard/tier_list.html"
    context_object_name = "tiers"

    def get_queryset(self):
        return Tier.objects.order_by("rank")


@staff_only
class TierEditView(SuperuserRequired, generic.UpdateView):
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


@staff_only
class RuleListView(SuperuserRequired, generic.ListView):
    template_name = "member_tiers/dashboard/rule_list.html"
    context_object_name = "rules"
    paginate_by = 100

    def get_queryset(self):
        qs = PriceRule.objects.select_related("tier", "customer", "product", "category").order_by("tier__rank", "id")
        tier = self.request.GET.get("tier", "")
        if tier.isdigit():
            qs = qs.filter(tier_id=int(tier))
        elif tier == "customers":
            qs = qs.filter(customer__isnull=False)
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["tiers"] = Tier.objects.order_by("rank")
        return ctx


@staff_only
class RuleEditView(SuperuserRequired, generic.UpdateView):
    template_name = "member_tiers/dashboard/form.html"
    form_class = forms.PriceRuleForm
    success_url = reverse_lazy("member_tiers:rule-list")

    def get_object(self, queryset=None):
        return get_object_or_404(PriceRule, pk=self.kwargs["pk"]) if "pk" in self.kwargs else PriceRule()

    def form_valid(self, form):
        rules.save_rule(form.instance)
        messages.success(self.request, _("Price rule saved."))
        return redirect(self.success_url)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("Price rule")
        ctx["back"] = reverse("member_tiers:rule-list")
        return ctx


@staff_only
class RuleDeleteView(SuperuserRequired, generic.View):
    def post(self, request, pk):
        rules.delete_rule(get_object_or_404(PriceRule, pk=pk))
        messages.success(request, _("Price rule deleted."))
        return redirect("member_tiers:rule-list")


@staff_only
class RuleImportView(SuperuserRequired, generic.FormView):
    template_name = "member_tiers/dashboard/rule_import.html"
    form_class = forms.ImportForm

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            report = rules.import_rules(upload.name, upload.read())
        except ValidationError as exc:
            _form_errors(form, exc)
            return self.form_invalid(form)
        if report.ok:
            messages.success(self.request, _("Imported %(n)s price rules.") % {"n": report.imported})
        status = 200 if report.ok else 400
        return self.render_to_response(self.get_context_data(form=form, report=report), status=status)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["columns"] = rules.IMPORT_COLUMNS
        return ctx


@staff_only
class PriceExplainView(generic.TemplateView):
    """Like Oro's price debugger: every candidate rule for a customer, product and quantity, and which won."""

    template_name = "member_tiers/dashboard/price_explain.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = forms.ExplainForm(self.request.GET or None)
        ctx["form"] = form
        line_id = self.request.GET.get("line", "")
        if line_id.isdigit():
            recorded = OrderLinePrice.objects.select_related("line__order", "rule").filter(line_id=int(line_id)).first()
            visible = (
                selectors.members_visible_to(self.request.user).filter(user=recorded.line.order.user_id)
                if recorded
                else None
            )
            ctx["recorded"] = recorded if visible is not None and visible.exists() else None
        if form.is_valid():
            customer = form.customer
            if not selectors.members_visible_to(self.request.user).filter(user=customer).exists():
                form.add_error("customer_email", _("This customer is not one of yours."))
                return ctx
            on_date = form.cleaned_data.get("on_date") or timezone.localdate()
            book = PriceBook(customer, today=on_date, all_windows=True)
            record = form.product.stockrecords.order_by("id").first()
            ctx["book"] = book
            ctx["resolution"] = book.resolve(form.product, record, form.cleaned_data["quantity"], explain=True)
            ctx["product"] = form.product
            ctx["cost"] = cost_of(record)
        return ctx


@staff_only
class ReassignView(SuperuserRequired, generic.FormView):
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
            _form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("%(n)s members reassigned.") % {"n": moved})
        return redirect("member_tiers:member-list")
