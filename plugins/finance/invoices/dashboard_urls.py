"""Back-office routes of this area (namespace ``finance-dashboard``): invoice and red-letter
requests (issue, reject), invoice PDFs, tax rates of categories and products."""

from django.urls import path

from plugins.finance.invoices import dashboard_views as views

urlpatterns = [
    path("finance/invoices/", views.RequestListView.as_view(), name="invoice-request-list"),
    path("finance/invoices/requests/<str:number>/", views.RequestDetailView.as_view(), name="invoice-request-detail"),
    path("finance/invoices/pdf/<str:number>/", views.invoice_pdf, name="invoice-pdf"),
    path("finance/invoices/red/<str:number>/", views.RedView.as_view(), name="invoice-red"),
    path("finance/invoices/tax/", views.TaxRatesView.as_view(), name="invoice-tax-rates"),
    path("finance/invoices/tax/categories/<int:pk>/", views.CategoryTaxView.as_view(), name="invoice-tax-category"),
    path("finance/invoices/tax/products/", views.ProductTaxView.as_view(), name="invoice-tax-product"),
]
