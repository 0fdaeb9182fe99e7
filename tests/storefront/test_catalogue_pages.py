import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shop.search.views.base import BaseSearchView
from tests import factories

pytestmark = pytest.mark.django_db


def product_titles(response):
    hits = response.context["products"] if "products" in response.context else response.context["results"]
    # the catalogue's hits carry the product as .object (Oscar's templates), search results are products
    return [getattr(hit, "object", hit).title for hit in hits]


def test_catalogue_lists_public_products_with_prices(client, catalogue):
    response = client.get(reverse("catalogue:index"))
    body = response.content.decode()
    assert response.status_code == 200
    assert len(product_titles(response)) == 4  # the unpublished product is not listed
    assert "外六角螺栓 M8×30" in body and "¥32.00" in body
    assert "停售商品" not in body


def test_search_matches_chinese_text_inside_titles_and_skus(client, catalogue):
    response = client.get(reverse("search:search"), {"q": "螺栓"})
    assert product_titles(response) == ["外六角螺栓 M8×30"]
    # part of a SKU: the product whose SKU contains it first, then those sharing a word of it (df)
    response = client.get(reverse("search:search"), {"q": "df-mcb"})
    assert product_titles(response) == ["小型断路器 1P C16", "BV铜芯电线 2.5mm²"]
    response = client.get(reverse("search:search"), {"q": "电线 2.5"})  # the product with both words first
    assert product_titles(response)[0] == "BV铜芯电线 2.5mm²"


def test_category_page_includes_subcategories(client, catalogue):
    fasteners = catalogue["categories"]["fasteners"]
    response = client.get(fasteners.get_absolute_url())
    assert sorted(product_titles(response)) == ["六角螺母 M8", "外六角螺栓 M8×30"]


def test_sorting_by_price(client, catalogue):
    response = client.get(reverse("catalogue:index"), {"sort_by": "price-desc"})
    assert product_titles(response)[0] == "BV铜芯电线 2.5mm²"


def test_product_page_and_unpublished_product(client, catalogue):
    response = client.get(catalogue["bolt"].get_absolute_url())
    assert response.status_code == 200 and "JG-HB-M8-30" in response.content.decode()
    assert client.get(catalogue["hidden"].get_absolute_url()).status_code == 404


def test_catalogue_page_query_count_does_not_grow_with_page_size(client, monkeypatch):
    partner = factories.supplier()
    for n in range(100):
        factories.product(f"P-{n:03d}", price="5.00", partner=partner)
    counts = {}
    for size in (20, 100):
        monkeypatch.setattr(BaseSearchView, "paginate_by", size)
        client.get(reverse("catalogue:index"))  # warm the category and thumbnail caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("catalogue:index"))
        assert len(product_titles(response)) == size
        counts[size] = len(queries)
    assert counts[20] == counts[100], counts
