"""One request cannot exhaust the API: documents past the limits are refused before anything runs
(no row read, nothing written), introspection and GraphiQL are for staff in production, and a
client over its rate limit is told to come back later (HTTP 429, Retry-After) and can after the
window. Messages are the user's language (zh-Hans unless the language cookie says otherwise)."""

import json
import os
import time
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from core.services.api_tokens import issue_token
from tests import factories

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")


def post(client: Client, query: str, variables=None, **headers):
    return client.post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
        **headers,
    )


def refused(response, code: str) -> str:
    """The refusal's message for ``code``: HTTP 400, no data, the code among the errors."""
    assert response.status_code == 400, response.content
    body = response.json()
    assert "data" not in body or body["data"] is None, body
    messages = {error["extensions"].get("code"): error["message"] for error in body["errors"]}
    assert code in messages, body
    return messages[code]


def product_reads(queries) -> list[str]:
    return [q["sql"] for q in queries if "catalogue_product" in q["sql"]]


def test_a_thousand_aliased_product_pages_are_refused_without_reading_a_product(catalogue):
    query = "{" + " ".join(f"p{n}: products(first: 100) {{ items {{ sku title }} }}" for n in range(1000)) + "}"
    with CaptureQueriesContext(connection) as queries:
        response = post(Client(), query)
    message = refused(response, "query_too_large")
    assert message == f"查询长度为 {len(query)} 个字符，最多允许 20000 个。"
    assert product_reads(queries) == []
    assert len(response.content) < 1000


def test_too_many_aliases_are_refused_without_reading_a_product(catalogue):
    query = "{" + " ".join(f"p{n}: products(first: 1) {{ totalCount }}" for n in range(31)) + "}"
    with CaptureQueriesContext(connection) as queries:
        response = post(Client(), query)
    assert refused(response, "too_many_aliases") == "请求使用了 31 个别名，最多允许 30 个。"
    assert product_reads(queries) == []
    # within the limit it runs
    query = "{" + " ".join(f"p{n}: products(first: 1) {{ totalCount }}" for n in range(30)) + "}"
    body = post(Client(), query).json()
    assert body["data"]["p29"]["totalCount"] == 4


def test_a_request_costing_more_than_the_limit_is_refused_before_it_reads(catalogue):
    # each page: 1 + 100 rows × (items 1 + sku, title, supplier 3 + price 1 + its 3 fields) = 801
    page = "products(first: 100) { items { sku title supplier price { exclTax inclTax currency } } }"
    query = "{" + " ".join(f"p{n}: {page}" for n in range(7)) + "}"
    with CaptureQueriesContext(connection) as queries:
        response = post(Client(), query)
    message = refused(response, "too_costly")
    assert message == "请求一次读取的数据过多（成本 5607，最多 5000）：请减小每页条数或减少字段。"
    assert product_reads(queries) == []
    # the same fields on pages of 10 cost a tenth and run
    body = post(Client(), query.replace("first: 100", "first: 10")).json()
    assert sorted(item["sku"] for item in body["data"]["p6"]["items"]) == [
        "DF-BV-2.5",
        "DF-MCB-1P16",
        "JG-HB-M8-30",
        "JG-HN-M8",
    ]


def test_the_page_size_of_a_variable_counts_in_the_cost(catalogue):
    many = (
        "query($n: Int) {" + " ".join(f"a{k}: products(first: $n) {{ items {{ sku title }} }}" for k in range(20)) + "}"
    )
    refused(post(Client(), many, {"n": 100}), "too_costly")  # 20 × 301
    body = post(Client(), many, {"n": 2}).json()
    assert len(body["data"]["a19"]["items"]) == 2


def test_a_request_nested_deeper_than_the_limit_is_refused(buyer_client, buyer, settings):
    settings.GRAPHQL_MAX_DEPTH = 3
    message = refused(post(buyer_client, "{ myOrders { items { lines { sku } } } }"), "too_deep")
    assert message == "请求的嵌套超过 3 层。"
    assert post(buyer_client, "{ myOrders { items { number } } }").status_code == 200


def test_fragments_that_explode_when_expanded_are_refused_by_the_field_limit(catalogue):
    # each fragment spreads the previous one twice: 2^20 selections once expanded
    fragments = ["fragment f0 on Product { sku }"]
    fragments += [f"fragment f{n} on Product {{ ...f{n - 1} ...f{n - 1} }}" for n in range(1, 21)]
    query = "{ products(first: 1) { items { ...f20 } } } " + " ".join(fragments)
    with CaptureQueriesContext(connection) as queries:
        response = post(Client(), query)
    assert refused(response, "too_many_fields") == "请求选择的字段超过 300 个。"
    assert product_reads(queries) == []


def test_three_hundred_aliased_mutations_are_refused_and_none_is_applied(buyer_client, buyer, catalogue):
    query = (
        "mutation {"
        + "".join(f'a{n}:basketAddLine(sku:"JG-HB-M8-30",quantity:1){{errors{{code}}}}' for n in range(300))
        + "}"
    )
    response = post(buyer_client, query)
    assert refused(response, "too_many_mutations") == "请求包含 300 个写操作，一次请求最多允许 10 个。"
    assert not Basket.objects.filter(owner=buyer, lines__isnull=False).exists()


def test_eleven_mutations_are_refused_and_ten_run(buyer_client, buyer, catalogue):
    def mutations(count):
        calls = "".join(
            f'a{n}: basketAddLine(sku: "JG-HB-M8-30", quantity: 1) {{ errors {{ code }} }} ' for n in range(count)
        )
        return "mutation { " + calls + "}"

    refused(post(buyer_client, mutations(11)), "too_many_mutations")
    assert not Basket.objects.filter(owner=buyer, lines__isnull=False).exists()
    body = post(buyer_client, mutations(10)).json()
    assert "errors" not in body and body["data"]["a9"]["errors"] == []
    assert Basket.open.get(owner=buyer).lines.get().quantity == 10


# --- introspection and GraphiQL --------------------------------------------------------------

INTROSPECT = "{ __schema { queryType { name } } }"


@pytest.fixture
def production_tools(settings):
    """What DJANGO_ENV=production sets (checked below in a real production settings load)."""
    settings.GRAPHQL_INTROSPECTION_FOR_ALL = False


def test_introspection_is_refused_to_anyone_but_staff_in_production(production_tools, buyer_client, catalogue):
    message = refused(post(Client(), INTROSPECT), "introspection_disabled")
    assert message == "仅已登录的平台人员可以查询接口结构。"
    refused(post(buyer_client, '{ __type(name: "ProductType") { name } }'), "introspection_disabled")
    operator = Client()
    operator.force_login(factories.operator())
    body = post(operator, INTROSPECT).json()
    assert body == {"data": {"__schema": {"queryType": {"name": "Query"}}}}
    # __typename is no introspection: anyone may ask
    assert post(Client(), "{ __typename }").json() == {"data": {"__typename": "Query"}}


def test_graphiql_is_for_staff_in_production(production_tools, buyer_client):
    response = Client().get("/graphql/", HTTP_ACCEPT="text/html")
    assert response.status_code == 403
    assert response.json()["errors"][0]["message"] == "仅已登录的平台人员可以使用 GraphiQL。"
    assert buyer_client.get("/graphql/", HTTP_ACCEPT="text/html").status_code == 403
    operator = Client()
    operator.force_login(factories.operator())
    response = operator.get("/graphql/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and b"graphiql" in response.content.lower()


def test_introspection_and_graphiql_are_open_outside_production():
    assert post(Client(), INTROSPECT).json() == {"data": {"__schema": {"queryType": {"name": "Query"}}}}
    assert Client().get("/graphql/", HTTP_ACCEPT="text/html").status_code == 200


def test_production_settings_keep_introspection_for_staff():
    from tests.core.test_settings import run

    probe = "import django; django.setup(); from django.conf import settings as s; print(s.GRAPHQL_INTROSPECTION_FOR_ALL, s.GRAPHQL_RATE_LIMIT_PER_IP > 0, s.GRAPHQL_RATE_LIMIT_PER_TOKEN > 0)"
    result = run(probe, DJANGO_ENV="production", SECRET_KEY="x" * 60, ALLOWED_HOSTS="shop.example.cn")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True"]
    result = run(probe, DJANGO_ENV="development")
    assert result.stdout.split()[0] == "True"


# --- rate limits -----------------------------------------------------------------------------

CACHES = {"locmem": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("TEST_REDIS_URL"):
    CACHES["redis"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["TEST_REDIS_URL"],
    }


@pytest.fixture(params=["locmem", "redis"])
def rate_limits(request, settings):
    """Two requests per 3-second window, counted in the cache the settings name: Redis as in
    production (when the test run has one), the local-memory cache as with no REDIS_URL."""
    if request.param not in CACHES:
        pytest.skip("needs the Redis that bin/test starts (TEST_REDIS_URL)")
    # a key prefix of its own: parallel test runs share the Redis server
    settings.CACHES = {"default": {**CACHES[request.param], "KEY_PREFIX": uuid.uuid4().hex}}
    settings.GRAPHQL_RATE_LIMIT_WINDOW_SECONDS = 3
    settings.GRAPHQL_RATE_LIMIT_PER_IP = 2
    settings.GRAPHQL_RATE_LIMIT_PER_TOKEN = 2
    return request.param


def too_many(response) -> int:
    assert response.status_code == 429, response.content
    retry_after = int(response["Retry-After"])
    assert 1 <= retry_after <= 3
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "rate_limited", "retryAfter": retry_after}
    assert error["message"] == f"请求过于频繁，请 {retry_after} 秒后再试。"
    return retry_after


def test_an_address_over_its_limit_gets_429_and_recovers_after_the_window(rate_limits):
    client = Client()
    assert [post(client, "{ __typename }").status_code for _ in range(2)] == [200, 200]
    retry_after = too_many(post(client, "{ __typename }"))
    # another address has its own count
    assert post(client, "{ __typename }", REMOTE_ADDR="10.0.0.9").status_code == 200
    time.sleep(retry_after)
    assert post(client, "{ __typename }").status_code == 200


def test_a_token_over_its_limit_gets_429_and_another_token_does_not(rate_limits, buyer):
    first, second = issue_token(buyer, "ERP").secret, issue_token(buyer, "WMS").secret
    client = Client()

    def as_token(secret):
        return post(client, "{ __typename }", HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert [as_token(first).status_code for _ in range(2)] == [200, 200]
    retry_after = too_many(as_token(first))
    assert as_token(second).status_code == 200  # counted per token, not per address
    assert post(client, "{ __typename }").status_code == 200  # the address's own count is untouched
    time.sleep(retry_after)
    assert as_token(first).status_code == 200


def test_wrong_tokens_count_against_the_address(rate_limits):
    client = Client()
    wrong = {"HTTP_AUTHORIZATION": "Bearer s2b_nope_nope"}
    assert [post(client, "{ __typename }", **wrong).status_code for _ in range(2)] == [401, 401]
    too_many(post(client, "{ __typename }", **wrong))
    too_many(post(client, "{ __typename }"))
