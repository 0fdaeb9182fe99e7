"""Storefront routes: the product page shows only approved products."""

from django.urls import re_path

from plugins.s2b2b_orders import views

urlpatterns = [
    re_path(r"^catalogue/(?P<product_slug>[\w-]*)_(?P<pk>\d+)/$", views.ReviewedProductDetailView.as_view()),
]
