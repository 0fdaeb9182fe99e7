"""The storefront's own data: what product search reads (search terms, synonyms)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductSearchTerms(models.Model):
    """A product's text as search reads it (storefront.search.text): derived from the product and
    its offers, rewritten when either is saved (services.index_product) or by
    ``manage.py search_rebuild``. Never edited by hand."""

    product = models.OneToOneField(
        "catalogue.Product", on_delete=models.CASCADE, primary_key=True, related_name="search_terms"
    )
    #: the product's UPC and its suppliers' SKUs, normalised, space-padded: `` jg-hb-m8-30 ``
    codes = models.TextField(default=" ")
    #: the normalised title (for "the title is the query" / "the title contains the query")
    title = models.TextField(default="")
    #: words of the title; words of the rest (description, category and supplier names, SKUs)
    title_words = models.TextField(default=" ")
    other_words = models.TextField(default=" ")
    #: what the facets count, copied here so one scan answers results and facets: the product's
    #: categories and suppliers (ids, space-padded) and its listed price (its lowest offer)
    category_ids = models.TextField(default=" ")
    partner_ids = models.TextField(default=" ")
    listed_price = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Product search terms")

    def __str__(self):
        return f"{self.product_id}: {self.title}"


class SynonymGroup(models.Model):
    """Words a buyer may use for the same thing (螺丝 = 螺钉): a query for any finds all.
    Kept by operators in the back office."""

    #: the normalised words, space-padded like the search terms: `` 螺丝 螺钉 ``
    words = models.CharField(_("Words"), max_length=700)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Synonym group")
        ordering = ("words", "id")

    def __str__(self):
        return " = ".join(self.word_list())

    def word_list(self) -> list[str]:
        return self.words.split()
