"""The operators' back office for supplier orders: every supplier order, escalations, supplier
profiles (webhook secrets, commission), the scorecard and product review. Operators only
(S2B2BOrdersConfig.access)."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import generic

from core.dashboard.actions import DashboardActionView, add_errors
from core.statemachine import history
from plugins.s2b2b_orders import selectors
from plugins.s2b2b_orders.dashboard import forms
from plugins.s2b2b_orders.dashboard.orders import OrderDetailView, OrderListView, day_start
from plugins.s2b2b_orders.models import Escalation, LegalStatus, ProductChange, SupplierLegalProfile, SupplierProfile
from plugins.s2b2b_orders.services import escalation as escalation_service
from plugins.s2b2b_orders.services import legal, review
from plugins.s2b2b_orders.services.profiles import save_profile


def _page_context(name: str, queryset, request, per_page: int = 50) -> dict:
    """The context Django's ListView gives a template (the list under ``name`` and its page)."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    return {
        name: page.object_list,
        "page_obj": page,
        "paginator": page.paginator,
        "is_paginated": page.has_other_pages(),
    }


class OpsOrderListView(OrderListView):
    ops = True


class OpsOrderDetailView(OrderDetailView):
    ops = True
    actions = ("deliver", "complete", "cancel", "reroute")


class EscalationListView(generic.ListView):
    template_name = "s2b2b_orders/ops/escalations.html"
    context_object_name = "escalations"
    paginate_by = 50

    def get_queryset(self):
        return selectors.escalations(open_only=self.request.GET.get("open") == "1")


class EscalationActionView(DashboardActionView):
    """Re-route an escalated supplier order to the backup supplier, or dismiss the escalation;
    on a refusal the escalation list is shown again with the reason."""

    template_name = "s2b2b_orders/ops/escalations.html"
    actions = ("reroute", "dismiss")

    def get_object(self):
        return get_object_or_404(Escalation, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return _page_context("escalations", selectors.escalations(), self.request)

    def get_success_url(self):
        return reverse("s2b2b-ops-escalations")

    def do_reroute(self):
        new = escalation_service.reroute(
            self.object.supplier_order, actor=self.request.user, note=self.request.POST.get("note", "")
        )
        return _("Re-routed as %(number)s.") % {"number": new.number}

    def do_dismiss(self):
        escalation_service.dismiss(self.object, actor=self.request.user, note=self.request.POST.get("note", ""))
        return _("Escalation dismissed.")


class ProfileListView(generic.ListView):
    template_name = "s2b2b_orders/ops/profiles.html"
    context_object_name = "profiles"

    def get_queryset(self):
        return selectors.profiles()


class ProfileEditView(generic.View):
    template_name = "s2b2b_orders/ops/profile_form.html"

    def get_instance(self, pk):
        if pk is None:
            return SupplierProfile()
        return get_object_or_404(SupplierProfile, pk=pk)

    def get(self, request, pk=None):
        return render(request, self.template_name, {"form": forms.ProfileForm(instance=self.get_instance(pk))})

    def post(self, request, pk=None):
        form = forms.ProfileForm(request.POST, instance=self.get_instance(pk))
        if form.is_valid():
            try:
                save_profile(form.instance)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Supplier profile saved."))
                return redirect("s2b2b-ops-profiles")
        return render(request, self.template_name, {"form": form}, status=400)


class ScorecardView(generic.View):
    def get(self, request):
        form = forms.ScorecardForm(request.GET or None)
        today = timezone.localdate()
        date_from, date_to = today - timedelta(days=90), today
        if form.is_valid():
            date_from = form.cleaned_data["date_from"] or date_from
            date_to = form.cleaned_data["date_to"] or date_to
        rows = selectors.scorecard(day_start(date_from), day_start(date_to + timedelta(days=1)))
        return render(
            request,
            "s2b2b_orders/ops/scorecard.html",
            {
                "form": form,
                "rows": rows,
                "date_from": date_from,
                "date_to": date_to,
                "ship_within_hours": int(selectors.SHIP_WITHIN.total_seconds() // 3600),
            },
        )


class ReviewQueueView(generic.ListView):
    template_name = "s2b2b_orders/ops/review.html"
    context_object_name = "changes"
    paginate_by = 50

    def get_queryset(self):
        return selectors.review_queue(self.request.GET.get("status", "pending"))


class ReviewActionView(DashboardActionView):
    """Approve a supplier's product change (the storefront shows it at once) or reject it with
    a reason; on a refusal the review queue is shown again with the reason."""

    template_name = "s2b2b_orders/ops/review.html"
    actions = ("approve", "reject")

    def get_object(self):
        return get_object_or_404(ProductChange, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return _page_context("changes", selectors.review_queue("pending"), self.request)

    def get_success_url(self):
        return reverse("s2b2b-ops-review")

    def do_approve(self):
        review.approve(self.object, reviewer=self.request.user)
        return _("Approved: the storefront shows it now.")

    def do_reject(self):
        review.reject(self.object, reviewer=self.request.user, reason=self.request.POST.get("reason", ""))
        return _("Rejected.")


class LegalQueueView(generic.ListView):
    """Suppliers' legal details: the versions waiting for review (or approved, rejected)."""

    template_name = "s2b2b_orders/ops/legal_queue.html"
    context_object_name = "versions"
    paginate_by = 50

    def get_queryset(self):
        status = self.request.GET.get("status", "pending")
        if status not in LegalStatus.values:
            status = "pending"
        self.status = status
        return selectors.legal_review_queue(status)

    def get_context_data(self, **kwargs):
        return super().get_context_data(status=self.status, statuses=LegalStatus.choices, **kwargs)


class LegalReviewView(DashboardActionView):
    """One submitted version: the diff against the approved one, the USCC check and its
    warnings, the licence; approve, or reject with a reason."""

    template_name = "s2b2b_orders/ops/legal_review.html"
    actions = ("approve", "reject")
    get = DashboardActionView.get_page

    def get_object(self):
        return get_object_or_404(
            SupplierLegalProfile.objects.select_related("partner", "submitted_by"), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        version = self.object
        approved = selectors.legal_review_queue(LegalStatus.APPROVED).filter(partner_id=version.partner_id).first()
        if approved is not None and approved.pk == version.pk:
            approved = None
        kwargs.setdefault("reject_form", forms.LegalRejectForm())
        return {
            "version": version,
            "approved": approved,
            "rows": legal.diff(version, approved),
            "check": legal.uscc_check(version.uscc),
            "licence_is_image": _licence_is_image(version),
            "history": _labelled(history(version).select_related("actor")),
            **kwargs,
        }

    def get_success_url(self):
        return reverse("s2b2b-ops-legal")

    def do_approve(self):
        legal.approve(self.object, reviewer=self.request.user)
        return _("Approved: contracts and settlements use these legal details now.")

    def do_reject(self):
        data = self.bind(forms.LegalRejectForm, "reject_form")
        legal.reject(self.object, reviewer=self.request.user, reason=data["reason"])
        return _("Rejected; the supplier sees the reason.")


def _licence_is_image(version) -> bool:
    content_type = selectors.licence_type(version)
    return bool(content_type and content_type.startswith("image/"))


def _labelled(rows):
    rows = list(rows)
    for row in rows:
        row.from_label = legal.LEGAL.label(row.from_state) if row.from_state else ""
        row.to_label = legal.LEGAL.label(row.to_state)
    return rows
