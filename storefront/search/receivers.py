"""Keeping the search terms current: a product, its offers, categories or suppliers saved.

Written at once, in the saving transaction (a product and its terms commit together). Writes
that send no signals (``bulk_create``, ``QuerySet.update``, raw SQL, imports) are caught up by
``manage.py search_rebuild``."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from oscar.core.loading import get_model

from storefront.search import services

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")
Partner = get_model("partner", "Partner")


def product_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        services.index_products([instance.pk])


def offer_changed(sender, instance, raw=False, **kwargs):
    if not raw and instance.product_id:
        services.index_products([instance.product_id])


def categories_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        services.index_products([instance.pk])
    elif pk_set:
        services.index_products(pk_set)
    else:
        services.index_products(instance.product_set.values_list("pk", flat=True))


def category_saved(sender, instance, created=False, raw=False, **kwargs):
    if not raw and not created:
        services.index_products(instance.product_set.values_list("pk", flat=True))


def partner_saved(sender, instance, created=False, raw=False, **kwargs):
    if not raw and not created:
        services.index_products(instance.stockrecords.values_list("product_id", flat=True))


def connect() -> None:
    post_save.connect(product_saved, sender=Product, dispatch_uid="search.product")
    post_save.connect(offer_changed, sender=StockRecord, dispatch_uid="search.offer_saved")
    post_delete.connect(offer_changed, sender=StockRecord, dispatch_uid="search.offer_deleted")
    m2m_changed.connect(categories_changed, sender=Product.categories.through, dispatch_uid="search.categories")
    post_save.connect(category_saved, sender=Category, dispatch_uid="search.category")
    post_save.connect(partner_saved, sender=Partner, dispatch_uid="search.partner")
