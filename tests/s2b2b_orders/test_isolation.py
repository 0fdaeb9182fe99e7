"""Isolation: walk every route of the plugin as another supplier and as a distributor, with the
payloads of each action (the site-wide walk, tests/test_isolation_site.py, sends one per route).
Nothing of supplier jg's is visible or changeable, whatever id is guessed."""

import json

import pytest
from django.urls import URLPattern, reverse

from core.models import ApiToken
from core.outbox.models import OutboxMessage
from core.services.api_tokens import issue_token
from plugins.logistics.models import Shipment
from plugins.s2b2b_orders.dashboard import urls as dashboard_urls
from plugins.s2b2b_orders.models import (
    Escalation,
    ProductChange,
    SupplierLegalProfile,
    SupplierOrder,
    SupplierOrderEvent,
    SupplierProfile,
)
from plugins.s2b2b_orders.services import escalation, legal
from tests.s2b2b_orders.conftest import client_for, place_order
from tests.s2b2b_orders.test_legal import details as legal_details
from tests.s2b2b_orders.test_legal import png

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(shop):
    order = place_order(shop["buyer"], [(shop["bolt"], 2), (shop["wire"], 1)])
    jg_so = SupplierOrder.objects.get(order=order, partner=shop["jg"])
    late = place_order(shop["buyer"], [(shop["nut"], 1)])
    late_so = SupplierOrder.objects.get(order=late)
    escalation.escalate(late_so)
    client_for(shop["jg_staff"]).post(
        reverse("s2b2b-portal-product", args=[shop["bolt"].pk]),
        {"title": "改名", "description": "", "price": "40.00", "stock": "500"},
    )
    jg_legal = legal.approve(
        legal.submit(partner=shop["jg"], user=shop["jg_staff"], data=legal_details(), licence=png()),
        reviewer=shop["operator"],
    )
    jg_legal_pending = legal.submit(
        partner=shop["jg"], user=shop["jg_staff"], data=legal_details(representative="机密代表人"), licence=None
    )
    return {
        **shop,
        "legal": jg_legal,
        "legal_pending": jg_legal_pending,
        "so": jg_so,
        "change": ProductChange.objects.get(product=shop["bolt"]),
        "message": OutboxMessage.objects.filter(partner=shop["jg"]).first(),
        "escalation": Escalation.objects.get(supplier_order=late_so),
        "profile": SupplierProfile.objects.get(partner=shop["jg"]),
        "token": issue_token(shop["jg_staff"], "ERP 对接").token,
    }


def snapshot():
    return (
        sorted(SupplierOrder.objects.values_list("number", "state", "partner_id")),
        SupplierOrderEvent.objects.count(),
        Shipment.objects.count(),
        sorted(ProductChange.objects.values_list("pk", "status")),
        sorted(OutboxMessage.objects.values_list("pk", "status", "attempts")),
        sorted(Escalation.objects.values_list("pk", "resolution")),
        sorted(SupplierProfile.objects.values_list("pk", "channel", "acceptance_hours")),
        sorted(SupplierLegalProfile.objects.values_list("pk", "status", "address", "uscc")),
        sorted(ApiToken.objects.values_list("pk", "name", "revoked_at")),
    )


def routes(w):
    """(method, url, data) for every route of the plugin, aimed at supplier jg's objects."""
    so, pk = w["so"].number, w["bolt"].pk
    ship = {"action": "ship", "carrier": "sf", "tracking_numbers": "SF1234567890123", "complete": "on"}
    return {
        "s2b2b-portal-order": [
            ("get", reverse("s2b2b-portal-order", args=[so]), None),
            ("post", reverse("s2b2b-portal-order", args=[so]), {"action": "accept"}),
            ("post", reverse("s2b2b-portal-order", args=[so]), {"action": "reject", "reason": "x"}),
            ("post", reverse("s2b2b-portal-order", args=[so]), ship),
            ("post", reverse("s2b2b-portal-order", args=[so]), {"action": "deliver"}),
            ("get", reverse("s2b2b-portal-order", args=["999999-S1"]), None),
        ],
        "s2b2b-packing-slip": [
            ("get", reverse("s2b2b-packing-slip", args=[so]), None),
            ("get", reverse("s2b2b-packing-slip", args=["999999-S9"]), None),
        ],
        "s2b2b-portal-product": [
            ("get", reverse("s2b2b-portal-product", args=[pk]), None),
            ("post", reverse("s2b2b-portal-product", args=[pk]), {"title": "x", "price": "1", "stock": "0"}),
            ("get", reverse("s2b2b-portal-product", args=[999999]), None),
        ],
        "s2b2b-ops-orders": [("get", reverse("s2b2b-ops-orders"), None)],
        "s2b2b-ops-order": [
            ("get", reverse("s2b2b-ops-order", args=[so]), None),
            ("post", reverse("s2b2b-ops-order", args=[so]), {"action": "cancel", "reason": "x"}),
        ],
        "s2b2b-ops-escalations": [("get", reverse("s2b2b-ops-escalations"), None)],
        "s2b2b-ops-escalation": [
            ("post", reverse("s2b2b-ops-escalation", args=[w["escalation"].pk]), {"action": "dismiss"})
        ],
        "s2b2b-ops-profiles": [("get", reverse("s2b2b-ops-profiles"), None)],
        "s2b2b-ops-profile-create": [("get", reverse("s2b2b-ops-profile-create"), None)],
        "s2b2b-ops-profile": [
            ("get", reverse("s2b2b-ops-profile", args=[w["profile"].pk]), None),
            ("post", reverse("s2b2b-ops-profile", args=[w["profile"].pk]), {"acceptance_hours": "1"}),
        ],
        "s2b2b-ops-scorecard": [("get", reverse("s2b2b-ops-scorecard"), None)],
        "s2b2b-ops-review": [("get", reverse("s2b2b-ops-review"), None)],
        "s2b2b-ops-review-action": [
            ("post", reverse("s2b2b-ops-review-action", args=[w["change"].pk]), {"action": "approve"})
        ],
        "s2b2b-legal-licence": [
            ("get", reverse("s2b2b-legal-licence", args=[w["legal"].pk]), None),
            ("get", reverse("s2b2b-legal-licence", args=[w["legal_pending"].pk]), None),
            ("get", reverse("s2b2b-legal-licence", args=[999999]), None),
        ],
        "s2b2b-ops-legal": [("get", reverse("s2b2b-ops-legal"), None)],
        "s2b2b-ops-legal-review": [
            ("get", reverse("s2b2b-ops-legal-review", args=[w["legal_pending"].pk]), None),
            ("post", reverse("s2b2b-ops-legal-review", args=[w["legal_pending"].pk]), {"action": "approve"}),
            (
                "post",
                reverse("s2b2b-ops-legal-review", args=[w["legal_pending"].pk]),
                {"action": "reject", "reason": "x"},
            ),
        ],
        # list pages and the create page: reachable by a supplier, but showing only its own rows
        "s2b2b-portal-legal": [("get", reverse("s2b2b-portal-legal"), None)],
        "s2b2b-portal-orders": [("get", reverse("s2b2b-portal-orders"), None)],
        "s2b2b-portal-products": [("get", reverse("s2b2b-portal-products"), None)],
        "s2b2b-portal-product-create": [("get", reverse("s2b2b-portal-product-create"), None)],
        # the supplier's own API tokens: the list shows only the asker's, revoking another's is 404
        "s2b2b-portal-api-tokens": [("get", reverse("s2b2b-portal-api-tokens"), None)],
        "s2b2b-portal-api-token-revoke": [
            ("post", reverse("s2b2b-portal-api-token-revoke", args=[w["token"].pk]), None),
        ],
        "s2b2b-oscar-product": [  # Oscar's product editor, gated
            ("get", f"/dashboard/catalogue/products/{pk}/", None),
            ("post", f"/dashboard/catalogue/products/{pk}/", {"title": "x"}),
        ],
        "s2b2b-oscar-product-create": [("get", "/dashboard/catalogue/products/create/", None)],
        "s2b2b-oscar-product-create-class": [("get", "/dashboard/catalogue/products/create/industrial/", None)],
    }


OWN_LISTS = {
    "s2b2b-portal-orders",
    "s2b2b-portal-products",
    "s2b2b-portal-product-create",
    "s2b2b-portal-legal",
    "s2b2b-portal-api-tokens",
}


def test_every_route_of_the_plugin_is_walked(world):
    named = {p.name for p in dashboard_urls.urlpatterns if isinstance(p, URLPattern) and p.name}
    assert named == set(routes(world))


@pytest.mark.parametrize("who", ["df_staff", "buyer"])
def test_another_supplier_or_a_distributor_can_neither_see_nor_change(world, who):
    client = client_for(world[who])
    before = snapshot()
    secret_bits = [
        world["so"].number,
        "外六角螺栓 M8×30",
        "改名",
        "机密代表人",
        world["legal"].uscc,
        "沈建国",
        "ERP 对接",
    ]
    for name, calls in routes(world).items():
        for method, url, data in calls:
            response = getattr(client, method)(url, data or {})
            if who == "df_staff" and name in OWN_LISTS:
                assert response.status_code == 200, url
                page = response.content.decode()
                assert not any(bit in page for bit in secret_bits), url
            elif who == "df_staff" and name.startswith("s2b2b-oscar-product"):
                # sent to the portal editor, which does not find jg's product
                assert response.status_code == 302, url
                assert client.get(response["Location"]).status_code in (200, 404), url
            else:
                assert response.status_code in (403, 404), (url, response.status_code)
    assert snapshot() == before


@pytest.mark.parametrize("who", ["df_staff", "buyer"])
def test_the_supplier_api_shows_and_changes_nothing_of_another_supplier(world, who):
    token = issue_token(world[who], "ERP").secret
    before = snapshot()
    number = world["so"].number

    def call(query, variables):
        response = client_for(world[who]).post(
            "/graphql/",
            json.dumps({"query": query, "variables": variables}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        return response.json()

    listing = call("{ supplierOrders(first: 100) { totalCount items { number } } }", {})
    single = call("query($n: String!) { supplierOrder(number: $n) { number } }", {"n": number})
    mutations = [
        call("mutation($n: String!) { acceptSupplierOrder(number: $n) { errors { field code } } }", {"n": number}),
        call(
            'mutation($n: String!) { rejectSupplierOrder(number: $n, reason: "x") { errors { field code } } }',
            {"n": number},
        ),
        call(
            'mutation($n: String!) { shipSupplierOrder(number: $n, carrier: "sf", '
            'trackingNumbers: ["SF1234567890123"]) { errors { field code } } }',
            {"n": number},
        ),
    ]
    if who == "df_staff":
        assert number not in json.dumps(listing)
        assert listing["data"]["supplierOrders"]["totalCount"] == 1  # its own part only
        assert single["data"]["supplierOrder"] is None
        for body in mutations:
            payload = next(iter(body["data"].values()))
            assert payload["errors"] == [{"field": "number", "code": "not_found"}]
    else:
        for body in [listing, single, *mutations]:
            assert body["errors"][0]["extensions"]["code"] == "forbidden"
    assert snapshot() == before
