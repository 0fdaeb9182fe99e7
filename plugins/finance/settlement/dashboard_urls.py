"""Back-office and supplier-portal routes of this area (namespace ``finance-dashboard``)."""

from django.urls import path

from plugins.finance.settlement import dashboard_views as views

urlpatterns = [
    # back office (operators; paying, drafting and rates: the finance group)
    path("finance/settlement/", views.BatchListView.as_view(), name="settlement-batches"),
    path("finance/settlement/new/", views.NewBatchView.as_view(), name="settlement-batch-new"),
    path("finance/settlement/rates/", views.RatesView.as_view(), name="settlement-rates"),
    path("finance/settlement/rates/<int:pk>/", views.SupplierRatesView.as_view(), name="settlement-supplier-rates"),
    path("finance/settlement/income/", views.IncomeView.as_view(), name="settlement-income"),
    path("finance/settlement/<str:number>/", views.BatchView.as_view(), name="settlement-batch"),
    path("finance/settlement/<str:number>/export.xlsx", views.BatchExportView.as_view(), name="settlement-export"),
    # supplier portal (its own batches)
    path("finance/portal/settlement/", views.PortalBatchListView.as_view(), name="settlement-portal-batches"),
    path("finance/portal/settlement/<str:number>/", views.PortalBatchView.as_view(), name="settlement-portal-batch"),
    path(
        "finance/portal/settlement/<str:number>/export.xlsx",
        views.BatchExportView.as_view(),
        name="settlement-portal-export",
    ),
]
