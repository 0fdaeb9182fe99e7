"""Storefront routes of this area (namespace ``finance``): a company's 财务/admin requests invoices
for paid orders, downloads and confirms them, asks for a red-letter invoice."""

from django.urls import path

from plugins.finance.invoices import views

urlpatterns = [
    path("accounts/finance/invoices/", views.InvoiceListView.as_view(), name="invoice-list"),
    path("accounts/finance/invoices/details/", views.InvoicingDetailsView.as_view(), name="invoice-details"),
    path("accounts/finance/invoices/<str:number>/pdf/", views.invoice_pdf, name="invoice-pdf"),
    path("accounts/finance/invoices/<str:number>/confirm/", views.ConfirmView.as_view(), name="invoice-confirm"),
    path("accounts/finance/invoices/<str:number>/red/", views.RedView.as_view(), name="invoice-red"),
]
