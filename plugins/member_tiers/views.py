"""Storefront: the distributor's "my membership" page and points redemption at checkout."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import generic

from plugins.member_tiers import conf
from plugins.member_tiers.models import PointsEntry
from plugins.member_tiers.services import credit, members, points
from plugins.member_tiers.services.checkout import SESSION_KEY


class MyMembershipView(generic.TemplateView):
    template_name = "member_tiers/storefront/membership.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        membership = members.membership_for(self.request.user)
        account = credit.account_of(self.request.user)
        ctx.update(
            active_tab="membership",
            member=membership,
            progress=members.next_tier_progress(membership) if membership else None,
            points_entries=PointsEntry.objects.filter(membership=membership)[:50] if membership else [],
            account=account,
            overdue=credit.overdue(account) if account else None,
            open_purchases=account.entries.filter(kind="purchased").order_by("-created_at")[:20] if account else [],
            points_per_yuan=conf.points_per_yuan_redeemed(),
            cap_percent=conf.points_redeem_cap_percent(),
        )
        return ctx


class RedeemPointsView(generic.View):
    """Remember how many points to use on the order being checked out (checked again when it is placed)."""

    def post(self, request):
        raw = request.POST.get("points", "").strip() or "0"
        basket = request.basket
        total = basket.total_incl_tax if basket.id else None
        if not raw.isdigit():
            messages.error(request, _("Enter a whole number of points."))
            return redirect("checkout:preview")
        wanted = int(raw)
        membership = members.membership_for(request.user)
        if membership is None and wanted:
            messages.error(request, _("Only a company's people can pay with points."))
            return redirect("checkout:preview")
        if total is not None and wanted:
            from django.core.exceptions import ValidationError

            try:
                points.check_redemption(membership, wanted, total)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect("checkout:preview")
        request.session[SESSION_KEY] = wanted
        if wanted:
            messages.success(
                request,
                _("%(n)s points (¥%(value)s) will be used on this order.")
                % {"n": wanted, "value": points.value_of(wanted)},
            )
        return redirect("checkout:preview")
