"""Catalogue browsing and search straight from the database.

Oscar browses the catalogue through a Haystack search backend; the database backend
cannot list without a query and cannot match Chinese text inside a title. This view
keeps Oscar's interface (its forms, templates and the `.object` of each result) and
reads products from storefront.selectors, where the query is prefetched for pricing.
"""

from django.conf import settings
from django.views.generic import ListView
from django.views.generic.edit import FormMixin

from storefront.selectors import browsable_products, sort_products


class ProductHit:
    """What Oscar's templates expect of a search result: the product as `.object`."""

    __slots__ = ("object",)

    def __init__(self, product):
        self.object = product


class ProductHits:
    """A lazily sliced product queryset that yields ProductHit objects to the paginator."""

    def __init__(self, queryset):
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [ProductHit(p) for p in self.queryset[index]]
        return ProductHit(self.queryset[index])


class BaseSearchView(FormMixin, ListView):
    paginate_by = settings.OSCAR_PRODUCTS_PER_PAGE
    form_name = "form"

    def get(self, request, *args, **kwargs):
        self.form = self.get_form()
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {"data": self.request.GET, "selected_facets": [], "searchqueryset": None, "load_all": False}

    def get_queryset(self):
        query = self.request.GET.get("q", "")
        products = browsable_products(search=query)
        categories = self.get_form_kwargs().get("categories")
        if categories is not None:
            products = products.filter(categories__in=categories).distinct()
        return ProductHits(sort_products(products, self.request.GET.get("sort_by", "")))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                self.form_name: self.form,
                "query": self.request.GET.get("q", ""),
                "facet_data": {},
                "has_facets": False,
                "selected_facets": [],
                "page": context["page_obj"],
            }
        )
        return context
