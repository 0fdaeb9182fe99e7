"""Oscar's order history and order page over ``storefront.selectors``: the lines of every order
on the page (products, options, suppliers) are read in a fixed number of queries, not per
order or per line. The sign-in page sends each party to where it works (core.urlaccess.landing_url)."""

from django.shortcuts import get_object_or_404, redirect
from oscar.apps.customer import views as oscar_views
from oscar.core.loading import get_model

from companies.selectors import order_scope, sees_company_orders
from core.urlaccess import landing_url
from storefront.selectors import with_order_lines

Order = get_model("order", "Order")


class AccountAuthView(oscar_views.AccountAuthView):
    """登录 / 注册: after signing in, the ``next=`` page when the user may open it, else their start
    page (supplier staff: their portal, not the storefront; operators: the back office)."""

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect(landing_url(request, request.GET.get(self.redirect_field_name)))
        return super().get(request, *args, **kwargs)

    def get_login_success_url(self, form):
        return landing_url(self.request, form.cleaned_data.get("redirect_url"))


def _visible_orders(request):
    """The orders this person may open: their company's or their own (companies.selectors)."""
    return Order._default_manager.filter(order_scope(request.user)).select_related("user", "company")


class OrderHistoryView(oscar_views.OrderHistoryView):
    def get_queryset(self):
        qs = _visible_orders(self.request)
        if self.form.is_bound and self.form.is_valid():
            qs = qs.filter(**self.form.get_filters())
        return with_order_lines(qs)

    def get_context_data(self, *args, **kwargs):
        ctx = super().get_context_data(*args, **kwargs)
        ctx["company_orders"] = sees_company_orders(self.request.user)
        return ctx


class OrderDetailView(oscar_views.OrderDetailView):
    def get_object(self, queryset=None):
        orders = with_order_lines(_visible_orders(self.request))
        return get_object_or_404(orders, number=self.kwargs["order_number"])


class OrderLineView(oscar_views.OrderLineView):
    def get_object(self, queryset=None):
        order = get_object_or_404(_visible_orders(self.request), number=self.kwargs["order_number"])
        return get_object_or_404(order.lines.all(), id=self.kwargs["line_id"])
