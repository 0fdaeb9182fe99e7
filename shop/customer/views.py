"""Oscar's order history and order page over ``storefront.selectors``: the lines of every order
on the page (products, options, suppliers) are read in a fixed number of queries, not per
order or per line."""

from django.shortcuts import get_object_or_404
from oscar.apps.customer import views as oscar_views

from storefront.selectors import with_order_lines


class OrderHistoryView(oscar_views.OrderHistoryView):
    def get_queryset(self):
        return with_order_lines(super().get_queryset())


class OrderDetailView(oscar_views.OrderDetailView):
    def get_object(self, queryset=None):
        orders = with_order_lines(self.model._default_manager.filter(user=self.request.user))
        return get_object_or_404(orders, number=self.kwargs["order_number"])
