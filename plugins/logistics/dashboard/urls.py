from django.urls import path

from plugins.logistics.dashboard import views

app_name = "logistics-dashboard"

urlpatterns = [
    path("logistics/templates/", views.TemplateListView.as_view(), name="template-list"),
    path("logistics/templates/new/", views.TemplateEditView.as_view(), name="template-create"),
    path("logistics/templates/<int:pk>/", views.TemplateEditView.as_view(), name="template-edit"),
    path("logistics/templates/<int:pk>/delete/", views.TemplateDeleteView.as_view(), name="template-delete"),
    path("logistics/templates/<int:pk>/products/", views.TemplateProductsView.as_view(), name="template-products"),
    path("logistics/templates/preview/", views.TemplatePreviewView.as_view(), name="template-preview"),
    path("logistics/carriers/", views.CarrierListView.as_view(), name="carrier-list"),
    path("logistics/shipments/", views.ShipmentListView.as_view(), name="shipment-list"),
    path("logistics/shipments/<int:pk>/", views.ShipmentDetailView.as_view(), name="shipment-detail"),
]
