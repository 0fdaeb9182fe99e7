"""Back-office routes of the contracts plugin (operators only: the default under /dashboard/).

The template editor's routes (``template_urls``, the templates branch's) sit under
``contracts/templates/`` in the same namespace."""

from django.urls import include, path

from plugins.contracts.dashboard import template_urls, views

app_name = "contracts-dashboard"

urlpatterns = [
    path("contracts/", views.ContractListView.as_view(), name="contract-list"),
    path("contracts/templates/", include(template_urls.urlpatterns)),
    path("contracts/countersign/", views.CountersignBatchView.as_view(), name="countersign-batch"),
    path("contracts/frameworks/new/", views.FrameworkCreateView.as_view(), name="framework-create"),
    path("contracts/policies/", views.PolicyListView.as_view(), name="policy-list"),
    path("contracts/policies/<int:company_pk>/", views.PolicyEditView.as_view(), name="policy-edit"),
    path("contracts/<str:number>/", views.ContractDetailView.as_view(), name="contract-detail"),
    path("contracts/<str:number>/redline/", views.ContractRedlineView.as_view(), name="contract-redline"),
    path(
        "contracts/<str:number>/documents/<int:revision>/",
        views.ContractDocumentView.as_view(),
        name="contract-document",
    ),
]
