"""This area's back-office routes (under /dashboard/, namespace ``bigdata-dashboard``)."""

from django.urls import path

from plugins.bigdata.customers import views

urlpatterns: list = [
    path("analytics/customers/funnel/", views.FunnelView.as_view(), name="customers-funnel"),
    path("analytics/customers/cycle/", views.SalesCycleView.as_view(), name="customers-cycle"),
    path("analytics/customers/value/", views.CustomerValueView.as_view(), name="customers-value"),
]
