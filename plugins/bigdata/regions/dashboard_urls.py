"""This area's back-office routes (under /dashboard/, namespace ``bigdata-dashboard``)."""

from django.urls import path

from plugins.bigdata.regions import views

urlpatterns: list = [
    path("analytics/regions/", views.RegionsView.as_view(), name="regions"),
    path("analytics/regions/<str:code>/", views.CitiesView.as_view(), name="region-cities"),
]
