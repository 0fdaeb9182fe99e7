"""Back office: operators see every API token and can revoke any (e.g. a leaked one)."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import generic

from core.models import ApiToken
from core.selectors.api_tokens import all_tokens
from core.services.api_tokens import revoke_token

staff_only = method_decorator(staff_member_required(login_url="customer:login"), name="dispatch")


@staff_only
class DashboardApiTokenListView(generic.ListView):
    template_name = "core/dashboard/api_tokens.html"
    context_object_name = "tokens"
    paginate_by = 50

    def get_queryset(self):
        return all_tokens(self.request.GET.get("q", "").strip())


@staff_only
class DashboardApiTokenRevokeView(generic.View):
    def post(self, request, pk):
        token = get_object_or_404(ApiToken, pk=pk)
        revoke_token(token)
        messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
        return redirect("dashboard-api-tokens")
