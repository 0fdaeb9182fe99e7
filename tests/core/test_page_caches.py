"""What product list pages remember between requests, and that it stays right: the category tree
(rebuilt after a category is saved or deleted), thumbnails (the same answer without asking sorl's
store again) and the Redis cache client (one per connection pool, not one per call)."""

import os
import uuid

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from oscar.core.thumbnails import get_thumbnailer
from oscar.templatetags.category_tags import get_annotated_list

from core.cache import RedisCache
from core.templatetags import category_menu
from tests import factories

pytestmark = pytest.mark.django_db


def names(tree) -> list[str]:
    return [node.name for node in tree]


def menu_html() -> str:
    return Template(
        "{% load category_menu %}{% cached_category_tree depth=1 as tree %}"
        "{% for c in tree %}<a href='{{ c.get_absolute_url }}'>{{ c.name }}</a>{% endfor %}"
    ).render(Context())


def test_the_remembered_tree_is_oscars_tree_and_follows_changes():
    fasteners = factories.category("紧固件")
    factories.category("螺栓", parent=fasteners)
    assert names(category_menu.cached_category_tree()) == names(get_annotated_list())
    first = menu_html()
    assert "紧固件" in first and "螺栓" not in first  # depth 1 only

    with CaptureQueriesContext(connection) as queries:
        assert menu_html() == first
    assert len(queries) == 0  # remembered: no query for the menu

    tools = factories.category("工具")
    assert "工具" in menu_html()  # a new category shows on the next page
    tools.name = "手动工具"
    tools.save()
    assert "手动工具" in menu_html()
    tools.delete()
    assert "手动工具" not in menu_html()


def test_thumbnails_are_remembered():
    thumbnailer = get_thumbnailer()
    source = f"image_not_found_{uuid.uuid4().hex}.jpg"
    first = thumbnailer.generate_thumbnail(source, size="x155", upscale=False)
    with CaptureQueriesContext(connection) as queries:
        again = thumbnailer.generate_thumbnail(source, size="x155", upscale=False)
    assert again.url == first.url
    assert len(queries) == 0
    other = thumbnailer.generate_thumbnail(source, size="x60", upscale=False)
    assert other.url != first.url  # other options, another thumbnail


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="needs the test run's Redis (TEST_REDIS_URL)")
def test_the_redis_cache_reuses_its_client():
    cache = RedisCache(os.environ["TEST_REDIS_URL"], {"KEY_PREFIX": f"t{uuid.uuid4().hex}"})
    cache.set("k", {"价格": "12.40"})
    assert cache.get("k") == {"价格": "12.40"}
    client = cache._cache.get_client()
    assert cache._cache.get_client() is client
    assert cache._cache.get_client(write=True) is client  # one server: the same pool
    cache.delete("k")
    assert cache.get("k") is None
