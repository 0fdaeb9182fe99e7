from django.urls import path

from core.dashboard import views

urlpatterns = [
    # before Oscar's dashboard:index, which it serves for operators
    path("", views.DashboardHomeView.as_view(), name="dashboard-home"),
    path("api-tokens/", views.DashboardApiTokenListView.as_view(), name="dashboard-api-tokens"),
    path("api-tokens/<int:pk>/revoke/", views.DashboardApiTokenRevokeView.as_view(), name="dashboard-api-token-revoke"),
]
