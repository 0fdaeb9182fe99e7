"""Storefront routes of this area (namespace ``finance``)."""

from django.urls import path

from plugins.finance.receipts import views

urlpatterns: list = [
    path("accounts/finance/receipts/", views.ReceiptListView.as_view(), name="receipt-list"),
    path("accounts/finance/receipts/claim/", views.ClaimView.as_view(), name="receipt-claim"),
]
