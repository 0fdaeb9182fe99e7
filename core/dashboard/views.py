"""Back office pages of core: the dashboard home (per party) and every API token.

Who may open each page is declared on CoreConfig.access and checked by the access middleware."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import generic
from oscar.core.loading import get_class

from core.access import OPERATOR, party_of
from core.models import ApiToken
from core.plugins import dashboard_homes
from core.selectors.api_tokens import all_tokens
from core.services.api_tokens import revoke_token


class DashboardHomeView(generic.View):
    """/dashboard/: Oscar's overview for operators; any other party goes to the home page its
    plugin declares (``PluginAppConfig.dashboard_home``: a supplier to its portal orders, a
    salesperson to their members) and is refused when no plugin declares one."""

    def dispatch(self, request, *args, **kwargs):
        party = party_of(request.user)
        if party == OPERATOR:
            return get_class("dashboard.views", "IndexView").as_view()(request, *args, **kwargs)
        url_name = dashboard_homes().get(party)
        if url_name is None:
            raise PermissionDenied
        return redirect(url_name)


class DashboardApiTokenListView(generic.ListView):
    template_name = "core/dashboard/api_tokens.html"
    context_object_name = "tokens"
    paginate_by = 50

    def get_queryset(self):
        return all_tokens(self.request.GET.get("q", "").strip())


class DashboardApiTokenRevokeView(generic.View):
    def post(self, request, pk):
        token = get_object_or_404(ApiToken, pk=pk)
        revoke_token(token)
        messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
        return redirect("dashboard-api-tokens")


class SignInLockoutListView(generic.ListView):
    """登录锁定: accounts and addresses with failed sign-ins (django-axes), the locked ones first."""

    template_name = "core/dashboard/lockouts.html"
    context_object_name = "attempts"
    paginate_by = 50

    def get_queryset(self):
        from core.selectors.lockouts import failed_sign_ins

        return failed_sign_ins(self.request.GET.get("q", "").strip())

    def get_context_data(self, **kwargs):
        from django.conf import settings

        ctx = super().get_context_data(**kwargs)
        ctx["failure_limit"] = settings.AXES_FAILURE_LIMIT
        return ctx


class SignInLockoutLiftView(generic.View):
    def post(self, request, pk):
        from axes.models import AccessAttempt

        from core.services.lockouts import lift_lockout

        attempt = get_object_or_404(AccessAttempt, pk=pk)
        lift_lockout(attempt, by=request.user)
        messages.success(
            request,
            _("Sign-in unlocked for “%(who)s”.") % {"who": attempt.username or attempt.ip_address},
        )
        return redirect("dashboard-lockouts")
