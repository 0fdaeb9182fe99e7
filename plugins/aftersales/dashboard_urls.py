"""Supplier portal and back-office routes (namespace ``aftersales-dashboard``)."""

from django.urls import path

from plugins.aftersales import dashboard

app_name = "aftersales-dashboard"
urlpatterns = [
    path("aftersales/", dashboard.PortalListView.as_view(), name="list"),
    path("aftersales/<str:number>/", dashboard.PortalDetailView.as_view(), name="detail"),
]
