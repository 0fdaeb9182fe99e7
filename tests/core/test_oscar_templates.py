"""The platform's templates over Oscar's: block overrides where Oscar has blocks, pinned copies
where it has none, slots for the plugins, and no shared template that knows a plugin.

A template under templates/ with the name of one of Oscar's either extends the Oscar template
it shadows (``{% extends "<its own name>" %}``: Django's loader skips the file doing the
extending and finds Oscar's) or is a copy pinned to the Oscar file it came from by a first line

    {# oscar-copy: <Oscar template name> sha256=<hash of Oscar's file> (whole file | blocks …) #}

An upgrade of Oscar that changes a copied file fails here until the copy is made again.
"""

import hashlib
import re
from pathlib import Path

import graphene_django
import oscar
import pytest
from django.template import Context, Template, engines
from django.template.loader import get_template
from django.template.loader_tags import ExtendsNode
from django.urls import reverse

from core.templatetags import slots
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT / "templates"
OSCAR = Path(oscar.__file__).parent / "templates"
#: graphene-django's GraphiQL page is copied too (its assets served by the platform, not a CDN)
GRAPHENE = Path(graphene_django.__file__).parent / "templates"


def origin(name: str) -> Path:
    return GRAPHENE if name.startswith("graphene/") else OSCAR


PIN = re.compile(r"\{# oscar-copy: (?P<name>\S+) sha256=(?P<sha>[0-9a-f]{64}) \((?P<what>[^)]*)\) #\}")
EXTENDS = re.compile(r"\{% extends ['\"](?P<name>[^'\"]+)['\"] %\}")
PLUGIN_APPS = ("logistics", "member_tiers", "s2b2b_orders")


def shared_templates() -> list[tuple[str, str]]:
    return sorted(
        (path.relative_to(SHARED).as_posix(), path.read_text(encoding="utf-8")) for path in SHARED.rglob("*.html")
    )


def sha256(name: str) -> str:
    return hashlib.sha256((origin(name) / name).read_bytes()).hexdigest()


@pytest.mark.parametrize("name, source", shared_templates(), ids=[name for name, _ in shared_templates()])
def test_each_template_over_oscars_is_a_block_override_or_a_pinned_copy(name, source):
    assert (origin(name) / name).exists(), f"{name} shadows no Oscar (or graphene-django) template"
    extends = EXTENDS.search(source)
    pin = PIN.search(source)
    if pin:
        assert pin["name"] == name, f"{name} is pinned to another file ({pin['name']})"
        assert pin["sha"] == sha256(name), (
            f"{name} was copied from an Oscar {name} that is no longer the installed one: copy it (or its "
            f"{pin['what']}) again from {origin(name) / name}, re-apply the changes marked 'ours', update the hash"
        )
    else:
        assert extends and extends["name"] == name, f"{name} is neither a block override of Oscar's nor pinned"


def test_the_pinned_copies_are_the_ones_we_know():
    """Keep the list short: a new copy needs a reason (Oscar has no block for what we change)."""
    pinned = {name: PIN.search(source)["what"] for name, source in shared_templates() if PIN.search(source)}
    assert pinned == {
        # a basket line has no block: the copy shows its SKU, supplier and order terms
        "oscar/basket/partials/basket_content.html": "whole file",
        "oscar/catalogue/partials/stock_record.html": "whole file",
        "oscar/customer/order/order_detail.html": "whole file",
        "oscar/customer/order/order_list.html": "whole file",
        "oscar/dashboard/orders/line_detail.html": "whole file",
        # line_actions is emptied, not copied: line statuses follow the supplier orders
        "oscar/dashboard/orders/order_detail.html": "blocks order_information, order_lines, order_actions, "
        "order_status_changes",
        "oscar/dashboard/orders/order_list.html": "blocks order_list, order_actions",
        # Oscar's jQuery block names and loads a CDN copy: the copy loads the platform's own
        "oscar/base.html": "whole file",
        # Oscar's image upload widget has inline onload/onerror (refused by the Content-Security-Policy)
        # and no blocks: the copy leaves them to core/behaviours.js
        "oscar/forms/widgets/image_input_widget.html": "whole file",
        # graphene-django has no blocks: its CDN URLs become the platform's static files
        "graphene/graphiql.html": "whole file",
    }


def test_a_block_override_extends_the_oscar_template_it_shadows():
    """Django's loader skips the template doing the extending, so the parent is Oscar's file."""
    template = get_template("oscar/checkout/thank_you.html").template
    assert Path(template.origin.name) == SHARED / "oscar/checkout/thank_you.html"
    context = Context({})
    with context.render_context.push_state(template), context.bind_template(template):
        parent = template.nodelist.get_nodes_by_type(ExtendsNode)[0].get_parent(context)
    assert Path(parent.origin.name) == OSCAR / "oscar/checkout/thank_you.html"


def test_the_account_pages_keep_oscars_tabs_and_add_ours(db, client):
    client.force_login(factories.distributor())
    body = client.get(reverse("customer:profile-view")).content.decode()
    assert reverse("customer:order-list") in body  # Oscar's tabs (block.super)
    assert reverse("storefront:api-tokens") in body  # ours
    assert reverse("membership:mine") in body  # member_tiers, through the slot "customer.account.tabs"


def plugin_tag_libraries() -> set[str]:
    libraries = engines["django"].engine.template_libraries
    return {name for name, library in libraries.items() if _module_of(library).startswith("plugins.")}


def _module_of(library) -> str:
    functions = [*library.tags.values(), *library.filters.values()]
    return getattr(functions[0], "__module__", "") if functions else ""


@pytest.mark.parametrize("name, source", shared_templates(), ids=[name for name, _ in shared_templates()])
def test_no_shared_template_loads_a_plugins_tags_or_names_its_templates(name, source):
    loaded = {lib for tag in re.findall(r"\{% load ([^%]+?) %\}", source) for lib in tag.split()}
    assert not loaded & plugin_tag_libraries(), f"{name} loads a plugin's template tags"
    for app in PLUGIN_APPS:
        assert f"{app}/" not in source, f"{name} names a template of {app}"


def test_a_slot_renders_each_plugins_templates_in_the_pages_context(monkeypatch):
    monkeypatch.setattr(slots, "slot_templates", lambda name: {"page.part": ["a.html", "b.html"]}.get(name, []))
    monkeypatch.setattr(
        "django.template.engine.Engine.get_template",
        lambda self, name: Template({"a.html": "A{{ order }}{{ slot }}", "b.html": "B{{ extra }}<{{ order }}"}[name]),
    )
    page = Template('{% load slots %}[{% slot "page.part" extra=2 %}][{% slot "empty" %}]{{ extra|default:"-" }}')
    assert page.render(Context({"order": "<1>"})) == "[A&lt;1&gt;page.partB2<&lt;1&gt;][]-"
