"""Back-office and supplier-portal routes of this area (namespace ``finance-dashboard``)."""

from django.urls import path

from plugins.finance.receipts import dashboard_views as views

urlpatterns: list = [
    path("finance/receipts/", views.ReceiptListView.as_view(), name="receipt-list"),
    path("finance/receipts/unclaimed/", views.UnclaimedView.as_view(), name="receipt-unclaimed"),
    path("finance/receipts/new/", views.RecordReceiptView.as_view(), name="receipt-create"),
    path("finance/receipts/import/", views.StatementImportView.as_view(), name="receipt-import"),
    path("finance/receipts/import/<int:pk>/", views.StatementPreviewView.as_view(), name="receipt-import-preview"),
    path("finance/receipts/<str:number>/", views.ReceiptDetailView.as_view(), name="receipt-detail"),
]
