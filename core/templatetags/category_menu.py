"""``{% cached_category_tree %}``: Oscar's ``category_tree`` remembered in the process.

Oscar builds the category tree on every page (the navigation's menu, and the whole tree beside a
product list): a query and a URL per category, twice per page. The tree changes when a category
is saved or deleted; those bump a version kept in the cache (``core.receivers``), so each process
rebuilds on its next page. Moves done by treebeard without a save are picked up within ``TTL``."""

from __future__ import annotations

import threading
import time

from django import template
from django.core.cache import cache
from django.utils.translation import get_language
from oscar.templatetags.category_tags import get_annotated_list

register = template.Library()

VERSION_KEY = "core:category-tree-version"
TTL = 60
_memo: dict = {}
_lock = threading.Lock()


def tree_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(VERSION_KEY, version, None)
    return version


def bump_tree_version(**kwargs) -> None:
    cache.set(VERSION_KEY, time.time_ns(), None)


@register.simple_tag(name="cached_category_tree")
def cached_category_tree(depth: int | None = None) -> list:
    key = (depth, get_language())
    version, now = tree_version(), time.monotonic()
    with _lock:
        hit = _memo.get(key)
    if hit is not None and hit[0] == version and hit[1] > now:
        return hit[2]
    tree = get_annotated_list(depth=depth)
    with _lock:
        _memo[key] = (version, now + TTL, tree)
    return tree
