"""This area's back-office routes (under /dashboard/, namespace ``bigdata-dashboard``)."""

from django.urls import path

from plugins.bigdata.performance import views

urlpatterns: list = [
    path("analytics/performance/", views.PerformanceView.as_view(), name="performance"),
    path("analytics/performance/targets/", views.TargetsView.as_view(), name="performance-targets"),
    path("analytics/performance/targets/edit/", views.TargetEditorView.as_view(), name="performance-target-editor"),
    path("analytics/performance/weights/", views.WeightsView.as_view(), name="performance-weights"),
]
