from django.urls import path

from companies.dashboard import views

app_name = "companies-dashboard"

urlpatterns = [
    path("companies/", views.CompanyListView.as_view(), name="company-list"),
    path("companies/verification/", views.VerificationQueueView.as_view(), name="verification-queue"),
    path("companies/<int:pk>/", views.CompanyDetailView.as_view(), name="company-detail"),
]
