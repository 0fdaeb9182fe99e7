from django.urls import path

from companies import approval_views, views

app_name = "companies"

urlpatterns = [
    path("accounts/company/", views.MyCompanyView.as_view(), name="mine"),
    path("accounts/company/register/", views.RegisterView.as_view(), name="register"),
    path("company-signup/", views.SignUpView.as_view(), name="signup"),
    path("accounts/company/people/add/", views.AddMemberView.as_view(), name="member-add"),
    path("accounts/company/people/<int:pk>/<slug:action>/", views.MemberActionView.as_view(), name="member-action"),
    path("accounts/company/invitations/new/", views.InviteView.as_view(), name="invite"),
    path(
        "accounts/company/invitations/<int:pk>/<slug:action>/",
        views.InvitationActionView.as_view(),
        name="invitation-action",
    ),
    path("accounts/company/invitations/<str:token>/", views.InvitationView.as_view(), name="invitation"),
    path("accounts/company/addresses/", views.AddressListView.as_view(), name="addresses"),
    path("accounts/company/addresses/<int:pk>/", views.AddressEditView.as_view(), name="address-edit"),
    path("accounts/company/addresses/<int:pk>/delete/", views.AddressDeleteView.as_view(), name="address-delete"),
    path("company-licences/<int:pk>/", views.licence_download, name="licence"),
    path("accounts/company/approvals/", approval_views.ApprovalListView.as_view(), name="approvals"),
    path(
        "accounts/company/approvals/link/<str:token>/", approval_views.ApprovalLinkView.as_view(), name="approval-link"
    ),
    path(
        "accounts/company/approvals/<str:number>/",
        approval_views.ApprovalDetailView.as_view(),
        name="approval-detail",
    ),
    path(
        "accounts/company/approvals/<str:number>/submitted/",
        approval_views.ApprovalSubmittedView.as_view(),
        name="approval-submitted",
    ),
    path("accounts/company/approval-rules/", approval_views.ApprovalRulesView.as_view(), name="approval-rules"),
    path(
        "accounts/company/approval-rules/<int:pk>/",
        approval_views.ApprovalRuleEditView.as_view(),
        name="approval-rule-edit",
    ),
]
