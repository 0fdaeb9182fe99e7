"""The search results page (/search/?q=…): storefront.search ranks the products and counts the
facets; this view only reads the request and renders one page."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.views.generic import TemplateView
from oscar.apps.search.signals import user_search

from storefront.search import selectors


class _Counted:
    """What the paginator needs of the whole result list: its size (the page is already loaded)."""

    def __init__(self, total: int):
        self.total = total

    def count(self) -> int:
        return self.total


def _links(facet, params) -> dict:
    """A facet with the link that selects each value (or, for the selected one, clears it)."""
    values = []
    for value in facet.values:
        linked = params.copy()
        if value.selected:
            linked.pop(facet.name, None)
        else:
            linked[facet.name] = value.key
        values.append({"value": value, "url": f"?{linked.urlencode()}"})
    return {"name": facet.name, "label": facet.label, "values": values}


class FacetedSearchView(TemplateView):
    template_name = "storefront/search_results.html"  # ours, not a copy of Oscar's (its Haystack page)

    def get(self, request, *args, **kwargs):
        user_search.send(sender=self, session=request.session, user=request.user, query=request.GET.get("q", ""))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        query, error = selectors.parse(self.request.GET)
        per_page = settings.OSCAR_PRODUCTS_PER_PAGE
        number = selectors._int(self.request.GET.get("page")) or 1
        found = selectors.search(query, offset=(number - 1) * per_page, limit=per_page)
        paginator = Paginator(_Counted(found.total), per_page)
        page = Page(found.products, number, paginator)
        params = self.request.GET.copy()
        params.pop("page", None)
        return super().get_context_data(
            query=query.text,
            search_error=error,
            found=found,
            facets=[_links(facet, params) for facet in found.facets if facet.values],
            paginator=paginator,
            page=page,
            page_obj=page,
            results=found.products,
            sort_by=query.sort_by,
            sort_options=selectors.sort_options(),
            params=params,
            **kwargs,
        )
