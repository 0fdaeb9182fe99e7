from django.urls import path

from companies import views

app_name = "companies"

urlpatterns = [
    path("accounts/company/", views.MyCompanyView.as_view(), name="mine"),
    path("accounts/company/register/", views.RegisterView.as_view(), name="register"),
    path("company-signup/", views.SignUpView.as_view(), name="signup"),
    path("accounts/company/people/add/", views.AddMemberView.as_view(), name="member-add"),
    path("accounts/company/people/<int:pk>/<slug:action>/", views.MemberActionView.as_view(), name="member-action"),
    path("company-licences/<int:pk>/", views.licence_download, name="licence"),
]
