"""Back-office routes of refunds (namespace ``finance-dashboard``; operators)."""

from django.urls import path

from plugins.finance.refunds import dashboard_views as views

urlpatterns: list = [
    path("finance/refunds/", views.RefundQueueView.as_view(), name="refund-list"),
    path("finance/refunds/<str:number>/", views.RefundDetailView.as_view(), name="refund-detail"),
    path("finance/refunds/order/<str:number>/request/", views.RefundRequestView.as_view(), name="refund-request"),
]
