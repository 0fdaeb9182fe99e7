"""Storefront routes (namespace ``aftersales``). Who may open each: AfterSalesConfig.access."""

from django.urls import path

from plugins.aftersales import views

app_name = "aftersales"
urlpatterns = [
    path("accounts/aftersales/", views.RequestListView.as_view(), name="list"),
    path("accounts/aftersales/new/<str:number>/", views.RequestCreateView.as_view(), name="create"),
    path("accounts/aftersales/<str:number>/", views.RequestDetailView.as_view(), name="detail"),
    path("aftersales/photos/<int:pk>/", views.photo_download, name="photo"),
]
