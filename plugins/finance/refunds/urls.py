"""Storefront routes of this area (namespace ``finance``)."""

urlpatterns: list = []
