"""The template editor in the back office: every page works for an operator (list, detail, new
version, edit, preview, publish, compare), publishing a version without a clause lists the
problem and changes nothing, and a distributor, a supplier's staff and an anonymous visitor are
refused on every route, whatever they post.

The lead includes ``template_urls`` under /dashboard/contracts/templates/ in the namespace
"contracts-dashboard"; this module's URLconf does the same in front of the site's, so the access
middleware and Oscar's dashboard layout run as they will on the site."""

import re

import pytest
from django.test import Client
from django.urls import include, path, reverse

import config.urls
from plugins.contracts.dashboard import template_urls
from plugins.contracts.models import ContractTemplate, TemplateState, TemplateVersion
from plugins.contracts.services import templates as services
from tests import factories

urlpatterns = [
    path("dashboard/contracts/templates/", include((template_urls.urlpatterns, "contracts-dashboard"))),
    *config.urls.urlpatterns,
]
handler403 = config.urls.handler403

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def world():
    operator = factories.operator()
    services.ensure_default_templates(by=operator)
    sales = ContractTemplate.objects.get(kind="sales")
    v1 = services.published_version("sales")
    v2 = services.create_version(
        template=sales, body=v1.body.replace("万分之五", "万分之三"), notes="违约金", by=operator
    )
    return {"operator": operator, "sales": sales, "v1": v1, "v2": v2}


def names():
    return {p.name for p in template_urls.urlpatterns}


def routes(w):
    """(method, url, data) for every route, aimed at real objects."""
    t, v1, v2 = w["sales"].pk, w["v1"].pk, w["v2"].pk
    return {
        "template-list": [
            ("get", reverse("contracts-dashboard:template-list"), None),
            ("post", reverse("contracts-dashboard:template-list"), {"action": "install-defaults"}),
        ],
        "template-detail": [("get", reverse("contracts-dashboard:template-detail", args=[t]), None)],
        "version-create": [
            ("get", reverse("contracts-dashboard:version-create", args=[t]), None),
            ("post", reverse("contracts-dashboard:version-create", args=[t]), {"body": "<p>x</p>", "notes": "n"}),
        ],
        "version-edit": [
            ("get", reverse("contracts-dashboard:version-edit", args=[v2]), None),
            ("post", reverse("contracts-dashboard:version-edit", args=[v2]), {"body": "<p>改</p>", "notes": "n"}),
        ],
        "version-preview": [("get", reverse("contracts-dashboard:version-preview", args=[v1]), None)],
        "version-publish": [("post", reverse("contracts-dashboard:version-publish", args=[v2]), {"action": "publish"})],
        "version-compare": [
            ("get", reverse("contracts-dashboard:version-compare", args=[t]) + f"?a={v1}&b={v2}", None),
        ],
    }


def state():
    return (
        sorted(ContractTemplate.objects.values_list("pk", "kind", "name")),
        sorted(TemplateVersion.objects.values_list("pk", "state", "body", "notes")),
    )


def test_every_route_is_walked(world):
    assert set(routes(world)) == names()


def test_operator_pages(world):
    client = client_for(world["operator"])
    r = routes(world)
    for name in ("template-list", "template-detail", "version-create", "version-edit", "version-preview"):
        response = client.get(r[name][0][1])
        assert response.status_code == 200, name
    page = client.get(reverse("contracts-dashboard:template-list")).content.decode()
    assert "购销合同（标准版）" in page and "框架协议（标准版）" in page and "补充协议（标准版）" in page
    detail = client.get(reverse("contracts-dashboard:template-detail", args=[world["sales"].pk])).content.decode()
    assert "v1" in detail and "v2" in detail
    new = client.get(reverse("contracts-dashboard:version-create", args=[world["sales"].pk])).content.decode()
    assert "万分之三" in new  # prefilled with the latest version's text
    from_v1 = client.get(
        reverse("contracts-dashboard:version-create", args=[world["sales"].pk]) + f"?from={world['v1'].pk}"
    ).content.decode()
    assert "万分之五" in from_v1


def test_preview_renders_the_sample_escaped_in_a_sandbox(world):
    client = client_for(world["operator"])
    page = client.get(reverse("contracts-dashboard:version-preview", args=[world["v1"].pk])).content.decode()
    frame = re.search(r'<iframe[^>]*sandbox=""[^>]*srcdoc="([^"]*)"', page)
    assert frame is not None
    assert "&lt;h1&gt;购销合同&lt;/h1&gt;" in frame.group(1)
    assert "深圳市示例五金贸易有限公司" in frame.group(1)


def test_preview_against_an_order(world):
    buyer = factories.distributor("previewbuyer")
    order = factories.place_order(buyer, [(factories.product("PV-1", "预览商品", "12.34"), 3)], secure=False)
    client = client_for(world["operator"])
    url = reverse("contracts-dashboard:version-preview", args=[world["v1"].pk])
    page = client.get(url, {"order": order.number}).content.decode()
    assert "预览商品" in page and factories.company_of(buyer).legal_name in page
    missing = client.get(url, {"order": "NOPE"}).content.decode()
    assert 'id="preview-error"' in missing


def test_create_edit_and_publish(world):
    client = client_for(world["operator"])
    t = world["sales"]
    body = world["v1"].body.replace("万分之五", "万分之四")
    response = client.post(reverse("contracts-dashboard:version-create", args=[t.pk]), {"body": body, "notes": "新"})
    v3 = TemplateVersion.objects.get(template=t, number=3)
    assert response.status_code == 302 and response["Location"] == reverse(
        "contracts-dashboard:version-edit", args=[v3.pk]
    )
    assert v3.state == TemplateState.DRAFT and v3.created_by == world["operator"]

    edited = body.replace("万分之四", "万分之六")
    response = client.post(reverse("contracts-dashboard:version-edit", args=[v3.pk]), {"body": edited, "notes": "改"})
    assert response.status_code == 302
    v3.refresh_from_db()
    assert v3.body == edited and v3.notes == "改"

    response = client.post(reverse("contracts-dashboard:version-publish", args=[v3.pk]), {"action": "publish"})
    assert response.status_code == 302
    assert services.published_version("sales") == v3
    assert TemplateVersion.objects.get(pk=world["v1"].pk).state == TemplateState.RETIRED

    # a published version is not edited
    before = state()
    response = client.post(reverse("contracts-dashboard:version-edit", args=[v3.pk]), {"body": "<p>x</p>", "notes": ""})
    assert response.status_code == 400 and state() == before
    assert "只能编辑草稿" in response.content.decode()  # the page speaks Chinese by default


def test_publish_lists_every_missing_clause_and_changes_nothing(world):
    client = client_for(world["operator"])
    body = world["v1"].body.replace('data-clause="breach"', "").replace('data-clause="signing_place"', "")
    v = services.create_version(template=world["sales"], body=body, notes="", by=world["operator"])
    before = state()
    response = client.post(reverse("contracts-dashboard:version-publish", args=[v.pk]), {"action": "publish"})
    assert response.status_code == 400
    page = response.content.decode()
    errors = re.search(r'id="publish-errors">(.*?)</div>', page, re.S).group(1)
    assert "breach" in errors and "signing_place" in errors
    assert state() == before
    assert services.published_version("sales") == world["v1"]


def test_bad_drafts_are_refused_with_the_reason(world):
    client = client_for(world["operator"])
    before = state()
    response = client.post(
        reverse("contracts-dashboard:version-create", args=[world["sales"].pk]), {"body": "{% if %}", "notes": ""}
    )
    assert response.status_code == 400 and "模板内容有错误" in response.content.decode()
    response = client.post(
        reverse("contracts-dashboard:version-create", args=[world["sales"].pk]), {"body": "", "notes": ""}
    )
    assert response.status_code == 400
    assert state() == before


def test_compare_shows_a_redline(world):
    client = client_for(world["operator"])
    url = reverse("contracts-dashboard:version-compare", args=[world["sales"].pk])
    page = client.get(url, {"a": world["v1"].pk, "b": world["v2"].pk}).content.decode()
    redline = re.search(r'id="redline">(.*?)</div>', page, re.S).group(1)
    assert "<del>五</del><ins>三</ins>" in redline
    source = client.get(url, {"a": world["v1"].pk, "b": world["v2"].pk, "mode": "source"}).content.decode()
    assert "&lt;h1&gt;购销合同&lt;/h1&gt;" in source  # markup shown as text, never interpreted
    other = services.published_version("framework")
    bad = client.get(url, {"a": other.pk, "b": world["v2"].pk})
    assert bad.status_code == 200 and 'id="redline"' not in bad.content.decode()  # another template's version


def test_unknown_ids_are_404(world):
    client = client_for(world["operator"])
    assert client.get(reverse("contracts-dashboard:template-detail", args=[9999])).status_code == 404
    assert client.get(reverse("contracts-dashboard:version-edit", args=[9999])).status_code == 404
    assert client.get(reverse("contracts-dashboard:version-preview", args=[9999])).status_code == 404


@pytest.mark.parametrize("who", ["distributor", "supplier", "salesperson", "anonymous"])
def test_refused_for_everyone_but_operators(world, who):
    user = {
        "distributor": lambda: factories.distributor("tplbuyer"),
        "supplier": lambda: factories.supplier_staff(factories.supplier("tplsup", "模板供应商有限公司"), "tplsupstaff"),
        "salesperson": lambda: factories.User.objects.create_user("tplsales", "tplsales@example.cn", is_staff=True),
        "anonymous": lambda: None,
    }[who]()
    client = client_for(user)
    before = state()
    for name, calls in routes(world).items():
        for method, url, data in calls:
            response = getattr(client, method)(url, data or {})
            if user is None:
                assert response.status_code == 302 and "login" in response["Location"], (name, method)
            else:
                assert response.status_code == 403, (who, name, method, response.status_code)
    assert state() == before
