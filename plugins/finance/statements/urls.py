"""Storefront routes of this area (namespace ``finance``): a company's 对账单."""

from django.urls import path

from plugins.finance.statements import views

urlpatterns = [
    path("accounts/finance/statements/", views.StatementListView.as_view(), name="statement-list"),
    path("accounts/finance/statements/<str:number>/", views.StatementDetailView.as_view(), name="statement-detail"),
    path(
        "accounts/finance/statements/<str:number>/download/<str:fmt>/",
        views.StatementExportView.as_view(),
        name="statement-export",
    ),
]
