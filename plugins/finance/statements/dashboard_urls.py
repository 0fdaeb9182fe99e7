"""Back-office and supplier-portal routes of this area (namespace ``finance-dashboard``)."""

from django.urls import path

from plugins.finance.statements import dashboard_views as views

urlpatterns = [
    path("finance/statements/", views.StatementListView.as_view(), name="statement-list"),
    path("finance/statements/issue/", views.StatementIssueView.as_view(), name="statement-issue"),
    path("finance/statements/disputes/", views.DisputesView.as_view(), name="statement-disputes"),
    path("finance/statements/periods/", views.ClosedPeriodsView.as_view(), name="statement-periods"),
    path("finance/statements/<str:number>/", views.StatementDetailView.as_view(), name="statement-detail"),
    path(
        "finance/statements/<str:number>/download/<str:fmt>/",
        views.StatementExportView.as_view(),
        name="statement-export",
    ),
    path("finance/portal/statements/", views.PortalStatementListView.as_view(), name="statement-portal-list"),
    path(
        "finance/portal/statements/<str:number>/",
        views.PortalStatementDetailView.as_view(),
        name="statement-portal-detail",
    ),
    path(
        "finance/portal/statements/<str:number>/download/<str:fmt>/",
        views.PortalStatementExportView.as_view(),
        name="statement-portal-export",
    ),
]
