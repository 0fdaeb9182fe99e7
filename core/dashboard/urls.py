from django.urls import path

from core.dashboard import views
from core.outbox import views as outbox_views

urlpatterns = [
    # before Oscar's dashboard:index, which it serves for operators
    path("", views.DashboardHomeView.as_view(), name="dashboard-home"),
    path("api-tokens/", views.DashboardApiTokenListView.as_view(), name="dashboard-api-tokens"),
    path("api-tokens/<int:pk>/revoke/", views.DashboardApiTokenRevokeView.as_view(), name="dashboard-api-token-revoke"),
    path("sign-in-lockouts/", views.SignInLockoutListView.as_view(), name="dashboard-lockouts"),
    path("sign-in-lockouts/<int:pk>/lift/", views.SignInLockoutLiftView.as_view(), name="dashboard-lockout-lift"),
    path("outbox/", outbox_views.OutboxListView.as_view(), name="core-outbox"),
    path("outbox/<int:pk>/", outbox_views.OutboxDetailView.as_view(), name="core-outbox-detail"),
    path("outbox/<int:pk>/redrive/", outbox_views.OutboxRedriveView.as_view(), name="core-outbox-redrive"),
]
