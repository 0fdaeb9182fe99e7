"""This area's back-office routes (under /dashboard/, namespace ``bigdata-dashboard``)."""

from django.urls import path

from plugins.bigdata.marketing import views

urlpatterns: list = [
    path("analytics/marketing/", views.MarketingView.as_view(), name="marketing"),
    path("analytics/marketing/activities/new/", views.ActivityEditView.as_view(), name="marketing-activity-create"),
    path("analytics/marketing/activities/<int:pk>/", views.ActivityEditView.as_view(), name="marketing-activity-edit"),
]
