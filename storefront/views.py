from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import generic

from core.models import ApiToken
from core.selectors.api_tokens import tokens_of
from core.services.api_tokens import issue_token, revoke_token
from storefront.forms import ApiTokenForm, QuickOrderForm
from storefront.services.quick_order import place_quick_order


class QuickOrderView(generic.FormView):
    template_name = "storefront/quick_order.html"
    form_class = QuickOrderForm

    def form_valid(self, form):
        result = place_quick_order(self.request.basket, form.cleaned_data["lines"])
        if result.problems:
            return self.render_to_response(self.get_context_data(form=form, problems=result.problems))
        count = len(result.additions)
        messages.success(
            self.request,
            ngettext("%(n)d product added to your basket.", "%(n)d products added to your basket.", count)
            % {"n": count},
        )
        return redirect("basket:summary")


class ApiTokenListView(generic.FormView):
    template_name = "storefront/api_tokens.html"
    form_class = ApiTokenForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(tokens=tokens_of(self.request.user), page_title=_("API tokens"), active_tab="api-tokens")
        return ctx

    def form_valid(self, form):
        try:
            issued = issue_token(self.request.user, form.cleaned_data["name"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        # The secret is shown on this response only; it is never stored in clear.
        return self.render_to_response(self.get_context_data(form=ApiTokenForm(), new_secret=issued.secret))


class ApiTokenRevokeView(generic.View):
    def post(self, request, pk):
        token = get_object_or_404(ApiToken, pk=pk, user=request.user)
        revoke_token(token)
        messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
        return redirect("storefront:api-tokens")
