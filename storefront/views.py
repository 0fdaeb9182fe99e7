from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import generic
from oscar.core.loading import get_class

from core import tabular
from core.models import ApiToken
from core.selectors.api_tokens import tokens_of
from core.services.api_tokens import issue_token, revoke_token
from storefront import exports
from storefront.forms import ApiTokenForm, QuickOrderForm
from storefront.selectors import orders_of
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
    """The user's own tokens: the account page here; the supplier portal subclasses it."""

    template_name = "storefront/api_tokens.html"
    form_class = ApiTokenForm
    revoke_url_name = "storefront:api-token-revoke"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            tokens=tokens_of(self.request.user),
            page_title=_("API tokens"),
            active_tab="api-tokens",
            revoke_url_name=self.revoke_url_name,
        )
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
    list_url_name = "storefront:api-tokens"

    def post(self, request, pk):
        token = get_object_or_404(ApiToken, pk=pk, user=request.user)
        revoke_token(token)
        messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
        return redirect(self.list_url_name)


class OrderExportView(generic.View):
    """The order history (``?what=orders``) or its lines (``?what=lines``) as ``?format=csv`` or
    ``xlsx``, with the history page's filters (dates, order number)."""

    tables = {"orders": exports.order_table, "lines": exports.line_table}
    formats = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }

    def get(self, request):
        what, fmt = request.GET.get("what", "orders"), request.GET.get("format", "csv")
        if what not in self.tables or fmt not in self.formats:
            raise Http404
        orders = orders_of(request.user)
        asked = {name: request.GET[name] for name in ("date_from", "date_to", "order_number") if request.GET.get(name)}
        if asked:  # the history page's filters (its form insists on one when bound)
            form = get_class("customer.forms", "OrderSearchForm")(asked)
            if not form.is_valid():
                messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
                return redirect("customer:order-list")
            orders = orders.filter(**form.get_filters())
        header, rows = self.tables[what](orders)
        if fmt == "xlsx":
            body = tabular.xlsx_bytes(header, rows, title=_("Orders") if what == "orders" else _("Order lines"))
        else:
            body = tabular.csv_bytes(header, rows)
        response = HttpResponse(body, content_type=self.formats[fmt])
        stamp = timezone.localdate().strftime("%Y%m%d")
        response["Content-Disposition"] = f'attachment; filename="{what}-{stamp}.{fmt}"'
        return response


class OrderCancelView(generic.View):
    """The buyer cancels their order (POST) while no supplier has accepted it; another company's
    order and one that does not exist are the same 404."""

    http_method_names = ["post"]

    def post(self, request, number):
        from storefront.services.orders import cancel_as_buyer

        order = get_object_or_404(orders_of(request.user), number=number)
        try:
            cancel_as_buyer(order=order, user=request.user, reason=request.POST.get("reason", ""))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Order %(number)s is cancelled; any credit it reserved and any points it used are given back.")
                % {"number": order.number},
            )
        return redirect("customer:order", order_number=order.number)
