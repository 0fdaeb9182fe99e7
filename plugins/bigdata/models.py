"""Sales facts and their monthly rollup.

``SalesFact`` is one denormalised row per thing that moved sales: an order line sold (``sale``), a
refund line paid back (``refund``), an order line given back by the order's cancellation
(``cancellation``), an order line handed from one supplier to its backup (``reroute``: a negative
row under the old supplier, a positive one under the new). Rows are only ever inserted: each is
keyed by ``source_id``, the id of what caused it (``sale:<line>``, ``refund:<refund line>`` …), so a
re-delivered event inserts nothing and sums stay right. Money is integer fen; ``date`` and
``month`` are the day and month in Asia/Shanghai of ``occurred_at``.

Dimensions are copied, not referenced (ids without foreign keys): the fact keeps the names it was
written with, and deleting a product or a company never touches history.

``MonthlySales`` adds up the facts per month × product × province × supplier × category ×
salesperson; the writer keeps it current in the same transaction as the facts (``ON CONFLICT …
DO UPDATE SET x = x + EXCLUDED.x``). Unknown dimensions are 0 / "" there so the key is unique.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FactKind(models.TextChoices):
    SALE = "sale", _("Sale")
    REFUND = "refund", _("Refund")
    CANCELLATION = "cancellation", _("Cancellation")
    REROUTE = "reroute", _("Supplier change")


class SalesFact(models.Model):
    source_id = models.CharField(_("source"), max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=FactKind.choices)
    occurred_at = models.DateTimeField(_("occurred at"))
    date = models.DateField(_("date"))
    month = models.DateField(_("month"))
    order_id = models.BigIntegerField(_("order"))
    order_number = models.CharField(_("order number"), max_length=128)
    order_line_id = models.BigIntegerField(_("order line"))
    company_id = models.BigIntegerField(_("company"), null=True, blank=True)
    company_name = models.CharField(_("company"), max_length=255, blank=True)
    tier_code = models.CharField(_("tier"), max_length=64, blank=True)
    tier_name = models.CharField(_("tier"), max_length=128, blank=True)
    salesperson_id = models.BigIntegerField(_("salesperson"), null=True, blank=True)
    salesperson_name = models.CharField(_("salesperson"), max_length=255, blank=True)
    province_code = models.CharField(_("province code"), max_length=6, blank=True)
    province = models.CharField(_("province"), max_length=64, blank=True)
    city = models.CharField(_("city"), max_length=255, blank=True)
    supplier_id = models.BigIntegerField(_("supplier"), null=True, blank=True)
    supplier_name = models.CharField(_("supplier"), max_length=255, blank=True)
    product_id = models.BigIntegerField(_("product"), null=True, blank=True)
    sku = models.CharField(_("SKU"), max_length=128, blank=True)
    product_title = models.CharField(_("product"), max_length=255, blank=True)
    category_id = models.BigIntegerField(_("category"), null=True, blank=True)
    category_name = models.CharField(_("category"), max_length=255, blank=True)
    quantity = models.IntegerField(_("quantity"))
    revenue = models.BigIntegerField(_("revenue (fen)"))
    cost = models.BigIntegerField(_("cost (fen)"))
    freight = models.BigIntegerField(_("freight (fen)"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sales fact")
        verbose_name_plural = _("sales facts")
        constraints = [models.UniqueConstraint(fields=["source_id"], name="bd_fact_source_once")]
        indexes = [
            models.Index(fields=["date"], name="bd_fact_date"),
            models.Index(fields=["order_id"], name="bd_fact_order"),
            models.Index(fields=["province_code", "date"], name="bd_fact_province_date"),
            models.Index(fields=["product_id", "date"], name="bd_fact_product_date"),
        ]

    def __str__(self):
        return self.source_id


class MonthlySales(models.Model):
    month = models.DateField(_("month"))
    product_id = models.BigIntegerField(_("product"), default=0)
    province_code = models.CharField(_("province code"), max_length=6, default="", blank=True)
    supplier_id = models.BigIntegerField(_("supplier"), default=0)
    category_id = models.BigIntegerField(_("category"), default=0)
    salesperson_id = models.BigIntegerField(_("salesperson"), default=0)
    quantity = models.BigIntegerField(_("quantity"), default=0)
    revenue = models.BigIntegerField(_("revenue (fen)"), default=0)
    cost = models.BigIntegerField(_("cost (fen)"), default=0)
    freight = models.BigIntegerField(_("freight (fen)"), default=0)
    facts = models.BigIntegerField(_("facts"), default=0)

    class Meta:
        verbose_name = _("monthly sales")
        verbose_name_plural = _("monthly sales")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "product_id", "province_code", "supplier_id", "category_id", "salesperson_id"],
                name="bd_monthly_key",
            )
        ]
        indexes = [models.Index(fields=["month", "province_code"], name="bd_monthly_month_province")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.product_id}"


class PendingOrder(models.Model):
    """An order whose facts are to be brought up to date: written by the event receivers in the
    same transaction as the change (so an event is never lost, even with the broker down), taken
    in batches by the drain task (``services.queue``), deleted once its facts are written."""

    order_id = models.BigIntegerField(_("order"), primary_key=True)
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("order awaiting its facts")
        verbose_name_plural = _("orders awaiting their facts")

    def __str__(self):
        return str(self.order_id)


# --- Elasticsearch: facts waiting for the search index (services/search_index.py) -------------


class PendingFactIndex(models.Model):
    """A fact still to be written to the search index. Marked by ``services.facts.write`` in the
    fact's own transaction (only when ``ELASTICSEARCH_URL`` is set), deleted once the cluster has
    stored the document: a cluster that is down or refuses a batch loses nothing, the marks wait
    for the next drain (after commit, and every minute on beat)."""

    source_id = models.CharField(_("source"), max_length=64, primary_key=True)
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fact awaiting the search index")
        verbose_name_plural = _("facts awaiting the search index")

    def __str__(self):
        return self.source_id


# --- the areas' models: ABC runs and product classes; marketing activities; sales targets ---
from plugins.bigdata.abc.models import *  # noqa: E402, F403
from plugins.bigdata.marketing.models import *  # noqa: E402, F403
from plugins.bigdata.performance.models import *  # noqa: E402, F403
