"""Chinese product search on the database backend: ranking, words, synonyms, facets, who sees what."""

import io

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from plugins.s2b2b_orders.models import ProductListing
from storefront.models import SynonymGroup
from storefront.search import text
from tests import factories

pytestmark = pytest.mark.django_db

SEARCH = reverse("search:search")


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [p.title for p in response.context["results"]]


def facet(response, name) -> dict[str, int]:
    for f in response.context["facets"]:
        if f["name"] == name:
            return {item["value"].label: item["value"].count for item in f["values"]}
    return {}


@pytest.fixture
def fasteners(db):
    root = factories.category("紧固件")
    bolts = factories.category("螺栓", parent=root)
    nuts = factories.category("螺母", parent=root)
    jg = factories.supplier("jg", "苏州精工五金制品有限公司")
    hx = factories.supplier("hx", "宁波恒鑫紧固件有限公司")
    made = {
        "nut": factories.product("JG-HN-M8", "六角螺母 M8", "1.20", partner=jg, categories=(nuts,)),
        "washer": factories.product("HX-W-8", "平垫圈 M8", "0.30", partner=hx, categories=(root,)),
        "bolt": factories.product("JG-HB-M8-30", "外六角螺栓 M8×30", "32.00", partner=jg, categories=(bolts,)),
        "steel_bolt": factories.product(
            "HX-SS-M10", "304不锈钢外六角螺栓 M10", "56.00", partner=hx, categories=(bolts,)
        ),
        "screw": factories.product("HX-CS-M4", "十字沉头螺钉 M4×12", "0.08", partner=hx, categories=(root,)),
        "wire": factories.product("DF-BV-2.5", "BV铜芯电线 2.5mm²", "218.00"),
    }
    made["nut"].description = "与M8螺栓配套使用"
    made["nut"].save()
    made["washer"].description = "垫在螺栓头下"
    made["washer"].save()
    return {**made, "jg": jg, "hx": hx, "bolts": bolts, "nuts": nuts, "root": root}


# --- words ----------------------------------------------------------------------------------


def test_text_is_segmented_into_words_and_normalised():
    assert text.query_words("不锈钢螺栓") == ["不锈钢", "螺栓"]
    assert set(text.document_words("304不锈钢外六角螺栓")) >= {"304", "不锈钢", "不锈", "外六角", "六角", "螺栓"}
    assert text.query_words("Ｍ８ 螺栓!!") == ["m8", "螺栓"]  # full-width letters and digits, punctuation dropped
    assert text.query_words("%_ ×") == []
    assert text.synonym_words("螺丝，螺钉、 螺丝") == ["螺丝", "螺钉"]


# --- ranking --------------------------------------------------------------------------------


def test_bolts_come_before_nuts_and_products_that_only_mention_bolts(client, fasteners):
    found = titles(client.get(SEARCH, {"q": "螺栓"}))
    assert found[:2] == ["304不锈钢外六角螺栓 M10", "外六角螺栓 M8×30"]
    assert set(found[2:]) == {"六角螺母 M8", "平垫圈 M8"}  # only their descriptions say 螺栓
    assert "十字沉头螺钉 M4×12" not in found


def test_more_words_matched_rank_higher(client, fasteners):
    found = titles(client.get(SEARCH, {"q": "不锈钢螺栓"}))
    assert found[0] == "304不锈钢外六角螺栓 M10"  # both words, though the title does not contain "不锈钢螺栓"
    assert found[1] == "外六角螺栓 M8×30"


def test_an_exact_sku_comes_first(client, fasteners):
    factories.product("JG-HN-M8-BOX", "JG-HN-M8 螺母整盒装", "50.00")
    found = titles(client.get(SEARCH, {"q": "jg-hn-m8"}))
    assert found[0] == "六角螺母 M8"  # its SKU is the query; the box only has it in its title
    assert found[1] == "JG-HN-M8 螺母整盒装"


def test_an_exact_title_comes_before_titles_containing_it(client, fasteners):
    factories.product("X-1", "六角螺母", "1.00")
    assert titles(client.get(SEARCH, {"q": "六角螺母"}))[:2] == ["六角螺母", "六角螺母 M8"]


def test_a_renamed_product_and_a_new_supplier_sku_are_found_at_once(client, fasteners):
    wire = fasteners["wire"]
    wire.title = "BV铜芯电缆 2.5mm²"
    wire.save()
    assert titles(client.get(SEARCH, {"q": "电缆"})) == ["BV铜芯电缆 2.5mm²"]
    offer = wire.stockrecords.get()
    offer.partner_sku = "DF-NEW-77"
    offer.save()
    assert titles(client.get(SEARCH, {"q": "DF-NEW-77"})) == ["BV铜芯电缆 2.5mm²"]


def test_rebuild_writes_terms_for_products_saved_without_signals(client, fasteners):
    from oscar.core.loading import get_model

    get_model("catalogue", "Product").objects.filter(pk=fasteners["wire"].pk).update(title="阻燃电缆")
    assert titles(client.get(SEARCH, {"q": "阻燃"})) == []
    call_command("search_rebuild", stdout=io.StringIO())
    assert titles(client.get(SEARCH, {"q": "阻燃"})) == ["阻燃电缆"]


# --- synonyms -------------------------------------------------------------------------------


def test_operators_synonyms_apply_at_query_time(client, fasteners, settings):
    settings.LANGUAGE_CODE = "en"  # the platform answers in its language, not the test thread's
    assert titles(client.get(SEARCH, {"q": "螺丝"})) == []
    operator = Client()
    operator.force_login(factories.operator())
    with translation.override("en"):
        response = operator.post(reverse("storefront-dashboard:synonym-list"), {"words": "螺丝，螺钉"})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Synonym group “螺丝 = 螺钉” added."]
    assert titles(client.get(SEARCH, {"q": "螺丝"})) == ["十字沉头螺钉 M4×12"]
    assert titles(client.get(SEARCH, {"q": "螺丝 M4"}))[0] == "十字沉头螺钉 M4×12"

    group = SynonymGroup.objects.get()
    page = operator.get(reverse("storefront-dashboard:synonym-list")).content.decode()
    assert 'data-confirm="' in page and reverse("storefront-dashboard:synonym-delete", args=[group.pk]) in page
    response = operator.post(reverse("storefront-dashboard:synonym-delete", args=[group.pk]))
    assert response.status_code == 302 and not SynonymGroup.objects.exists()
    assert titles(client.get(SEARCH, {"q": "螺丝"})) == []


def test_a_bad_synonym_group_is_refused_and_changes_nothing(fasteners, settings):
    settings.LANGUAGE_CODE = "en"
    operator = Client()
    operator.force_login(factories.operator())
    url = reverse("storefront-dashboard:synonym-list")
    with translation.override("en"):
        assert operator.post(url, {"words": "螺丝 螺钉"}).status_code == 302
        response = operator.post(url, {"words": "螺钉 螺杆"})
        assert response.status_code == 400
        assert "“螺钉” is already in the group 螺丝 = 螺钉." in response.content.decode()
        response = operator.post(url, {"words": "螺丝"})
        assert response.status_code == 400
        assert "Enter at least two different words." in response.content.decode()
    assert [str(g) for g in SynonymGroup.objects.all()] == ["螺丝 = 螺钉"]


def test_only_operators_keep_synonyms(client, buyer_client, fasteners):
    group = SynonymGroup.objects.create(words=" 螺丝 螺钉 ")
    supplier_staff = Client()
    supplier_staff.force_login(factories.supplier_staff(fasteners["jg"]))
    for who in (buyer_client, supplier_staff, client):
        assert who.get(reverse("storefront-dashboard:synonym-list")).status_code in (302, 403, 404)
        response = who.post(reverse("storefront-dashboard:synonym-delete", args=[group.pk]))
        assert response.status_code in (302, 403, 404)
        assert SynonymGroup.objects.filter(pk=group.pk).exists()


# --- facets and visibility ------------------------------------------------------------------


def test_facets_count_the_products_found(client, fasteners):
    response = client.get(SEARCH, {"q": "m8"})
    assert sorted(titles(response)) == ["六角螺母 M8", "外六角螺栓 M8×30", "平垫圈 M8"]
    assert facet(response, "category") == {"紧固件": 1, "螺栓": 1, "螺母": 1}
    assert facet(response, "supplier") == {"苏州精工五金制品有限公司": 2, "宁波恒鑫紧固件有限公司": 1}
    assert facet(response, "price") == {"¥0 – ¥10": 2, "¥10 – ¥50": 1}

    # choosing a supplier narrows the results and the other facets, not its own
    response = client.get(SEARCH, {"q": "m8", "supplier": fasteners["jg"].pk})
    assert sorted(titles(response)) == ["六角螺母 M8", "外六角螺栓 M8×30"]
    assert facet(response, "category") == {"螺栓": 1, "螺母": 1}
    assert facet(response, "supplier") == {"苏州精工五金制品有限公司": 2, "宁波恒鑫紧固件有限公司": 1}
    response = client.get(SEARCH, {"q": "m8", "price": "0-10"})
    assert sorted(titles(response)) == ["六角螺母 M8", "平垫圈 M8"]
    response = client.get(SEARCH, {"q": "螺栓", "category": fasteners["root"].pk})  # with its subcategories
    assert len(titles(response)) == 4


def test_a_hidden_product_is_never_found_nor_counted(client, buyer_client, fasteners):
    hidden_supplier = factories.supplier("new", "新入驻五金有限公司")
    pending = factories.product(
        "NEW-B-1", "高强度螺栓 M8", "9.00", partner=hidden_supplier, categories=(fasteners["bolts"],)
    )
    ProductListing.objects.create(product=pending, partner=hidden_supplier, approved=False)
    factories.product("OFF-1", "停售螺栓 M8", "9.00", partner=hidden_supplier, is_public=False)
    for who in (client, buyer_client):
        response = who.get(SEARCH, {"q": "螺栓 m8"})
        assert not {"高强度螺栓 M8", "停售螺栓 M8"} & set(titles(response))
        assert "新入驻五金有限公司" not in facet(response, "supplier")
        assert facet(response, "category")["螺栓"] == 2
        assert "高强度螺栓" not in response.content.decode()
    response = client.get(SEARCH, {"q": "NEW-B-1"})
    assert titles(response) == []


# --- bad input ------------------------------------------------------------------------------


def test_an_over_long_query_is_refused_with_a_message(client, fasteners, settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        response = client.get(SEARCH, {"q": "螺" * 101}, HTTP_ACCEPT_LANGUAGE="en")
    assert titles(response) == []
    assert response.context["search_error"] == "The search text is limited to 100 characters."


@pytest.mark.parametrize(
    "query",
    ["%", "_", "\\", "' OR 1=1 --", "<script>alert(1)</script>", "\x00\x07", "螺栓\u200b%", "🔩", "  ", "ǅ" * 100],
)
def test_odd_characters_give_a_safe_result(client, fasteners, query):
    response = client.get(SEARCH, {"q": query, "category": "x", "supplier": "-1", "price": "nope", "page": "abc"})
    assert response.status_code == 200
    if query.strip() and query not in ("  ",):
        assert len(titles(response)) < 6  # never "everything" for a wildcard character


def test_a_page_past_the_end_is_empty_not_an_error(client, fasteners):
    response = client.get(SEARCH, {"q": "螺栓", "page": "99"})
    assert response.status_code == 200 and titles(response) == []


# --- query counts ---------------------------------------------------------------------------


def _queries(client, q) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(SEARCH, {"q": q}).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_is_flat_in_the_number_of_results(client, fasteners):
    client.get(SEARCH, {"q": "螺栓"})  # sessions, site and other first-request caches
    few = _queries(client, "螺栓")
    for n in range(12):
        factories.product(
            f"MORE-{n}", f"加长螺栓 M{n + 3}", "3.00", partner=fasteners["hx"], categories=(fasteners["bolts"],)
        )
    assert _queries(client, "螺栓") == few


# --- GraphQL --------------------------------------------------------------------------------

PRODUCT_SEARCH = """
query($search: String, $supplier: ID, $priceRange: String) {
  products(first: 10, search: $search, supplier: $supplier, priceRange: $priceRange) {
    totalCount
    items { sku title }
    facets { name values { key label count selected } }
  }
}"""


def _gql(client, variables):
    return client.post(
        "/graphql/", {"query": PRODUCT_SEARCH, "variables": variables}, content_type="application/json"
    ).json()


def test_graphql_search_ranks_and_counts_like_the_page(client, fasteners):
    body = _gql(client, {"search": "螺栓"})
    page = titles(client.get(SEARCH, {"q": "螺栓"}))
    assert [i["title"] for i in body["data"]["products"]["items"]] == page
    facets = {f["name"]: {v["label"]: v["count"] for v in f["values"]} for f in body["data"]["products"]["facets"]}
    assert facets["supplier"] == {"苏州精工五金制品有限公司": 2, "宁波恒鑫紧固件有限公司": 2}
    body = _gql(client, {"search": "螺栓", "supplier": str(fasteners["jg"].pk)})
    assert [i["sku"] for i in body["data"]["products"]["items"]] == ["JG-HB-M8-30", "JG-HN-M8"]


def test_graphql_refuses_an_over_long_search_and_an_unknown_price_range(client, fasteners, settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        body = _gql(client, {"search": "螺" * 101})
        assert body["errors"][0]["message"] == "The search text is limited to 100 characters."
        body = _gql(client, {"search": "螺栓", "priceRange": "cheap"})
        assert body["errors"][0]["message"] == "There is no price range “cheap”."
