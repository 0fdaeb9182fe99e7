"""Storefront pages of contracts: 我的合同 (list, detail with reading and signing, documents, the
evidence report), the company's signing rights (企业中心 → 签章授权) and the public verification
page with the platform's root certificate. Names and parties: ``ContractsConfig.access``."""

from django.urls import path

from plugins.contracts import views

app_name = "contracts"

urlpatterns = [
    path("accounts/contracts/", views.ContractListView.as_view(), name="list"),
    path("accounts/contracts/<str:number>/", views.ContractDetailView.as_view(), name="detail"),
    path(
        "accounts/contracts/<str:number>/documents/<int:revision>/",
        views.DocumentView.as_view(),
        name="document",
    ),
    path("accounts/contracts/<str:number>/reading/", views.ReadingView.as_view(), name="reading"),
    path("accounts/contracts/<str:number>/code/", views.RequestCodeView.as_view(), name="request-code"),
    path("accounts/contracts/<str:number>/sign/", views.SignView.as_view(), name="sign"),
    path("accounts/contracts/<str:number>/comment/", views.CommentView.as_view(), name="comment"),
    path("accounts/contracts/<str:number>/seal-approval/", views.SealApprovalView.as_view(), name="approve-seal"),
    path(
        "accounts/contracts/<str:number>/evidence-report/",
        views.EvidenceReportView.as_view(),
        name="evidence-report",
    ),
    path("accounts/company/signers/", views.SignersView.as_view(), name="signers"),
    path("contracts/verify/", views.VerifyView.as_view(), name="verify"),
    path("contracts/root-ca.pem", views.root_certificate, name="root-certificate"),
]
