"""This area's back-office routes (under /dashboard/, namespace ``bigdata-dashboard``)."""

from django.urls import path

from plugins.bigdata.abc import views

urlpatterns: list = [
    path("analytics/abc/", views.AbcView.as_view(), name="abc"),
    path("analytics/abc/xyz/", views.XyzView.as_view(), name="abc-xyz"),
    path("analytics/abc/runs/", views.RunListView.as_view(), name="abc-runs"),
    path("analytics/abc/runs/new/", views.RunCreateView.as_view(), name="abc-run-create"),
    path("analytics/abc/runs/compare/", views.CompareView.as_view(), name="abc-compare"),
    path("analytics/abc/runs/<int:pk>/", views.RunDetailView.as_view(), name="abc-run"),
    path("analytics/abc/classes/", views.ProductClassView.as_view(), name="abc-classes"),
]
