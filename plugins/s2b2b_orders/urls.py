"""Storefront routes: the product page and add-to-basket see only approved products."""

from django.urls import path, re_path

from plugins.s2b2b_orders import views

urlpatterns = [
    re_path(
        r"^catalogue/(?P<product_slug>[\w-]*)_(?P<pk>\d+)/$",
        views.ReviewedProductDetailView.as_view(),
        name="s2b2b-product-detail",
    ),
    path("basket/add/<int:pk>/", views.ReviewedBasketAddView.as_view(), name="s2b2b-basket-add"),
    path(
        "accounts/orders/parts/<str:number>/confirm-receipt/",
        views.ConfirmReceiptView.as_view(),
        name="s2b2b-confirm-receipt",
    ),
]
