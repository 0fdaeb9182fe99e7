from django.urls import path

from storefront import views

app_name = "storefront"

urlpatterns = [
    path("quick-order/", views.QuickOrderView.as_view(), name="quick-order"),
    path("accounts/orders/export/", views.OrderExportView.as_view(), name="order-export"),
    path("accounts/orders/<str:number>/cancel/", views.OrderCancelView.as_view(), name="order-cancel"),
    path("accounts/api-tokens/", views.ApiTokenListView.as_view(), name="api-tokens"),
    path("accounts/api-tokens/<int:pk>/revoke/", views.ApiTokenRevokeView.as_view(), name="api-token-revoke"),
]
