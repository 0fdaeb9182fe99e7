"""Storefront routes of refunds (namespace ``finance``; a company's 财务/admin)."""

from django.urls import path

from plugins.finance.refunds import views

urlpatterns: list = [
    path("accounts/finance/refunds/", views.RefundListView.as_view(), name="refund-list"),
    path("accounts/finance/refunds/<str:number>/", views.RefundDetailView.as_view(), name="refund-detail"),
    path("accounts/finance/refunds/order/<str:number>/", views.RefundRequestView.as_view(), name="refund-request"),
]
