from django.urls import path

from companies.dashboard import views

app_name = "companies-dashboard"

urlpatterns = [
    path("companies/", views.CompanyListView.as_view(), name="company-list"),
    path("companies/verification/", views.VerificationQueueView.as_view(), name="verification-queue"),
    path("companies/<int:pk>/", views.CompanyDetailView.as_view(), name="company-detail"),
    path("companies/import/", views.ImportBatchListView.as_view(), name="import-list"),
    path("companies/import/upload/", views.ImportUploadView.as_view(), name="import-upload"),
    path("companies/import/template.csv", views.import_template, name="import-template"),
    path("companies/import/<int:pk>/", views.ImportBatchDetailView.as_view(), name="import-detail"),
]
