"""Partial shipments: a quantity per line in the service, the portal's ship form and the supplier
API; what is shipped and outstanding per line and each shipment's lines on every page that shows
a supplier order (the buyer's, the operator's, the portal, the packing slip, GraphQL, webhooks);
bad input refused with nothing changed, also when two ship requests race (PostgreSQL)."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.orders import status as order_status
from core.outbox.models import OutboxMessage
from plugins.logistics.models import Shipment, ShipmentLine
from plugins.s2b2b_orders.models import State, SupplierOrder, SupplierOrderEvent, SupplierOrderLine
from plugins.s2b2b_orders.services import lifecycle
from plugins.s2b2b_orders.services.notify import supplier_order_payload
from tests.s2b2b_orders.conftest import client_for, place_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def parts(shop):
    """10 bolts and 4 nuts from jg, 2 rolls of wire from df; jg has accepted its part."""
    order = place_order(shop["buyer"], [(shop["bolt"], 10), (shop["nut"], 4), (shop["wire"], 2)])
    jg = SupplierOrder.objects.get(order=order, partner=shop["jg"])
    df = SupplierOrder.objects.get(order=order, partner=shop["df"])
    lifecycle.accept(jg, actor=shop["jg_staff"])
    return order, jg, df


def line_of(so, sku) -> SupplierOrderLine:
    return so.lines.get(sku=sku)


def quantities(so) -> dict[str, tuple[int, int]]:
    return {line.sku: (line.shipped_quantity, line.outstanding_quantity) for line in so.lines.order_by("id")}


def everything(so) -> tuple:
    so.refresh_from_db()
    return (
        so.state,
        quantities(so),
        Shipment.objects.count(),
        ShipmentLine.objects.count(),
        SupplierOrderEvent.objects.count(),
        OutboxMessage.objects.count(),
    )


def test_shipping_part_of_the_lines_then_the_rest(shop, parts):
    order, jg, df = parts
    bolt = line_of(jg, "JG-HB-M8-30")
    lifecycle.ship(
        jg, carrier_code="sf", tracking_numbers=["SF1234567890001"], quantities={bolt.pk: 4}, actor=shop["jg_staff"]
    )
    jg.refresh_from_db()
    assert jg.state == State.PARTIALLY_SHIPPED
    assert quantities(jg) == {"JG-HB-M8-30": (4, 6), "JG-HN-M8": (0, 4)}
    first = Shipment.objects.get(reference=jg.number)
    assert [(i.sku, i.quantity) for i in first.line_items] == [("JG-HB-M8-30", 4)]
    assert jg.events.get(to_state=State.PARTIALLY_SHIPPED).reason == "顺丰速运: SF1234567890001 — JG-HB-M8-30 × 4"
    order.refresh_from_db()
    assert order.status == order_status.PROCESSING

    # another parcel with both lines, still not everything
    nut = line_of(jg, "JG-HN-M8")
    lifecycle.ship(jg, carrier_code="sf", tracking_numbers=["SF1234567890002"], quantities={bolt.pk: 5, nut.pk: 4})
    jg.refresh_from_db()
    assert jg.state == State.PARTIALLY_SHIPPED
    assert quantities(jg) == {"JG-HB-M8-30": (9, 1), "JG-HN-M8": (4, 0)}

    # without quantities: everything outstanding (the last bolt), and the part is shipped
    lifecycle.ship(jg, carrier_code="sf", tracking_numbers=["SF1234567890003"])
    jg.refresh_from_db()
    assert jg.state == State.SHIPPED
    assert quantities(jg) == {"JG-HB-M8-30": (10, 0), "JG-HN-M8": (4, 0)}
    last = Shipment.objects.filter(reference=jg.number).order_by("-id").first()
    assert [(i.sku, i.quantity) for i in last.line_items] == [("JG-HB-M8-30", 1)]
    order.refresh_from_db()
    assert order.status == order_status.PROCESSING  # df's part has not shipped yet
    lifecycle.accept(df)
    lifecycle.ship(df, carrier_code="sf", tracking_numbers=["SF1234567890004"])
    order.refresh_from_db()
    assert order.status == order_status.SHIPPED


def test_a_ship_without_quantities_ships_everything_as_before(shop, parts):
    order, jg, df = parts
    lifecycle.ship(jg, carrier_code="sf", tracking_numbers=["SF1234567890001"])
    jg.refresh_from_db()
    assert jg.state == State.SHIPPED
    assert quantities(jg) == {"JG-HB-M8-30": (10, 0), "JG-HN-M8": (4, 0)}
    shipment = Shipment.objects.get(reference=jg.number)
    assert sorted((i.sku, i.quantity) for i in shipment.line_items) == [("JG-HB-M8-30", 10), ("JG-HN-M8", 4)]


def test_an_uncounted_parcel_keeps_the_part_partially_shipped_until_one_completes_it(shop, parts):
    order, jg, df = parts
    lifecycle.ship(jg, carrier_code="sf", tracking_numbers=["SF1234567890001"], complete=False)
    jg.refresh_from_db()
    assert (jg.state, quantities(jg)) == (State.PARTIALLY_SHIPPED, {"JG-HB-M8-30": (0, 10), "JG-HN-M8": (0, 4)})
    lifecycle.ship(jg, carrier_code="sf", tracking_numbers=["SF1234567890002"], complete=True)
    jg.refresh_from_db()
    assert (jg.state, quantities(jg)) == (State.SHIPPED, {"JG-HB-M8-30": (10, 0), "JG-HN-M8": (4, 0)})


@pytest.mark.parametrize(
    "ask, message",
    [
        (lambda jg, df: {line_of(jg, "JG-HB-M8-30").pk: 11}, "JG-HB-M8-30：仅剩 10 件待发，不能发 11 件。"),
        (lambda jg, df: {line_of(jg, "JG-HB-M8-30").pk: 0}, "JG-HB-M8-30：发货数量至少为 1。"),
        (lambda jg, df: {line_of(jg, "JG-HN-M8").pk: -2}, "JG-HN-M8：发货数量至少为 1。"),
        (lambda jg, df: {line_of(df, "DF-BV-2.5").pk: 1}, "不属于此供应商订单"),
        (lambda jg, df: {}, "已没有待发货的商品。"),
    ],
    ids=["over", "zero", "negative", "another-supplier-order", "nothing"],
)
def test_bad_quantities_are_refused_and_change_nothing(shop, parts, ask, message):
    order, jg, df = parts
    before = everything(jg)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        lifecycle.ship(jg, carrier_code="sf", tracking_numbers=["SF1234567890001"], quantities=ask(jg, df))
    assert any(message in m for m in refused.value.message_dict["lines"]), refused.value.message_dict
    assert everything(jg) == before


def test_over_shipping_after_a_partial_shipment_is_refused(shop, parts):
    order, jg, df = parts
    bolt = line_of(jg, "JG-HB-M8-30")
    lifecycle.ship(jg, carrier_code="sf", tracking_numbers=["SF1234567890001"], quantities={bolt.pk: 7})
    before = everything(jg)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        lifecycle.ship(jg, carrier_code="sf", tracking_numbers=["SF1234567890002"], quantities={bolt.pk: 4})
    assert refused.value.message_dict["lines"] == ["JG-HB-M8-30: only 3 left to ship, not 4."]
    assert everything(jg) == before


# --- the portal ---------------------------------------------------------------------------------


def test_the_portal_ship_form_takes_a_quantity_per_line(shop, parts):
    order, jg, df = parts
    client = client_for(shop["jg_staff"])
    url = reverse("s2b2b-portal-order", args=[jg.number])
    bolt, nut = line_of(jg, "JG-HB-M8-30"), line_of(jg, "JG-HN-M8")
    page = client.get(url)
    form = page.context["ship_form"]
    assert (form[f"qty_{bolt.pk}"].initial, form[f"qty_{nut.pk}"].initial) == (10, 4)  # all outstanding
    assert "待发 10" in page.content.decode() or "10" in form[f"qty_{bolt.pk}"].label

    post = {"action": "ship", "carrier": "sf", "tracking_numbers": "SF1234567890001", f"qty_{bolt.pk}": "6"}
    response = client.post(url, post | {f"qty_{nut.pk}": ""})  # empty: not in this shipment
    assert response.status_code == 302
    jg.refresh_from_db()
    assert (jg.state, quantities(jg)) == (State.PARTIALLY_SHIPPED, {"JG-HB-M8-30": (6, 4), "JG-HN-M8": (0, 4)})
    page = client.get(url).content.decode()
    assert "JG-HB-M8-30 外六角螺栓 M8×30 × 6" in page  # the shipment's lines
    assert 'class="shipped">6<' in page and 'class="outstanding">4<' in page

    # more than is left: the form again with the reason, nothing changed
    before = everything(jg)
    response = client.post(
        url,
        {"action": "ship", "carrier": "sf", "tracking_numbers": "SF1234567890002", f"qty_{bolt.pk}": "5"},
    )
    assert response.status_code == 400
    assert "JG-HB-M8-30：仅剩 4 件待发，不能发 5 件。" in response.content.decode()
    assert everything(jg) == before


def test_the_packing_slip_lists_shipped_and_outstanding_and_each_shipment(shop, parts):
    order, jg, df = parts
    bolt = line_of(jg, "JG-HB-M8-30")
    lifecycle.ship(jg, carrier_code="sf", tracking_numbers=["SF1234567890001"], quantities={bolt.pk: 3})
    so = SupplierOrder.objects.get(pk=jg.pk)
    with translation.override("zh-hans"):
        html = render_to_string(
            "s2b2b_orders/pdf/packing_slip.html",
            {"so": so, "now": timezone.now(), "shipments": list(Shipment.objects.filter(reference=so.number))},
        )
    assert "<td>10</td><td>3</td><td>7</td>" in html
    assert "SF1234567890001" in html and "JG-HB-M8-30 × 3" in html
    response = client_for(shop["jg_staff"]).get(reverse("s2b2b-packing-slip", args=[jg.number]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_buyer_and_operator_pages_show_shipped_and_outstanding(shop, parts):
    order, jg, df = parts
    bolt = line_of(jg, "JG-HB-M8-30")
    lifecycle.ship(jg, carrier_code="sf", tracking_numbers=["SF1234567890001"], quantities={bolt.pk: 4})
    buyer_page = client_for(shop["buyer"]).get(reverse("customer:order", args=[order.number])).content.decode()
    assert '<tr data-sku="JG-HB-M8-30"><td>外六角螺栓 M8×30</td><td>10</td><td class="shipped">4</td>' in buyer_page
    assert '<td class="outstanding">6</td>' in buyer_page
    assert "JG-HB-M8-30 × 4" in buyer_page  # the shipment's lines
    operator_page = (
        client_for(shop["operator"]).get(reverse("dashboard:order-detail", args=[order.number])).content.decode()
    )
    assert "JG-HB-M8-30 × 10 · 已发 4，待发 6" in operator_page


# --- GraphQL and the webhook payload -------------------------------------------------------------

SHIP = """mutation($n: String!, $t: [String!]!, $lines: [ShipLineInput!]) {
  shipSupplierOrder(number: $n, carrier: "sf", trackingNumbers: $t, lines: $lines) {
    supplierOrder { state lines { sku quantity shippedQuantity outstandingQuantity }
                    shipments { trackingNumbers lines { sku quantity } } }
    errors { field message code } } }"""


def gql(user, query, variables):
    response = client_for(user).post(
        "/graphql/", json.dumps({"query": query, "variables": variables}), content_type="application/json"
    )
    return response.json()


def test_the_supplier_api_ships_quantities_per_line(shop, parts):
    order, jg, df = parts
    body = gql(
        shop["jg_staff"],
        SHIP,
        {"n": jg.number, "t": ["SF1234567890001"], "lines": [{"sku": "JG-HB-M8-30", "quantity": 4}]},
    )
    result = body["data"]["shipSupplierOrder"]
    assert result["errors"] == []
    assert result["supplierOrder"]["state"] == "partially_shipped"
    assert result["supplierOrder"]["lines"] == [
        {"sku": "JG-HB-M8-30", "quantity": 10, "shippedQuantity": 4, "outstandingQuantity": 6},
        {"sku": "JG-HN-M8", "quantity": 4, "shippedQuantity": 0, "outstandingQuantity": 4},
    ]
    assert result["supplierOrder"]["shipments"] == [
        {"trackingNumbers": ["SF1234567890001"], "lines": [{"sku": "JG-HB-M8-30", "quantity": 4}]}
    ]


@pytest.mark.parametrize(
    "lines, code",
    [
        ([{"sku": "JG-HB-M8-30", "quantity": 11}], "over_shipped"),
        ([{"sku": "JG-HB-M8-30", "quantity": 0}], "out_of_range"),
        ([{"sku": "DF-BV-2.5", "quantity": 1}], "not_in_order"),  # df's line: not in jg's order
        ([{"sku": "JG-HB-M8-30", "quantity": 1}, {"sku": "JG-HB-M8-30", "quantity": 1}], "duplicate"),
        ([], "nothing_to_ship"),
    ],
)
def test_bad_lines_in_the_api_are_errors_on_lines_and_change_nothing(shop, parts, lines, code):
    order, jg, df = parts
    before = everything(jg)
    body = gql(shop["jg_staff"], SHIP, {"n": jg.number, "t": ["SF1234567890001"], "lines": lines})
    result = body["data"]["shipSupplierOrder"]
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("lines", code)], result
    assert result["errors"][0]["message"]
    assert everything(jg) == before


def test_the_buyer_reads_shipped_and_outstanding_in_graphql(shop, parts):
    order, jg, df = parts
    lifecycle.ship(
        jg, carrier_code="sf", tracking_numbers=["SF1234567890001"], quantities={line_of(jg, "JG-HN-M8").pk: 1}
    )
    query = """query($o: String!) { orderSupplierParts(orderNumber: $o) { number state canConfirmReceipt
      lines { sku quantity shippedQuantity outstandingQuantity } shipments { lines { sku quantity } } } }"""
    parts_seen = gql(shop["buyer"], query, {"o": order.number})["data"]["orderSupplierParts"]
    assert parts_seen[0] == {
        "number": jg.number,
        "state": "partially_shipped",
        "canConfirmReceipt": False,
        "lines": [
            {"sku": "JG-HB-M8-30", "quantity": 10, "shippedQuantity": 0, "outstandingQuantity": 10},
            {"sku": "JG-HN-M8", "quantity": 4, "shippedQuantity": 1, "outstandingQuantity": 3},
        ],
        "shipments": [{"lines": [{"sku": "JG-HN-M8", "quantity": 1}]}],
    }
    from tests import factories

    stranger = factories.distributor("stranger")
    assert gql(stranger, query, {"o": order.number})["data"]["orderSupplierParts"] == []


def test_the_webhook_payload_carries_shipped_and_outstanding_and_the_shipments(shop, parts):
    order, jg, df = parts
    forwarded = supplier_order_payload(df, "supplier_order.forwarded")["supplier_order"]
    assert forwarded["lines"][0] | {} == forwarded["lines"][0]
    assert (forwarded["lines"][0]["shipped_quantity"], forwarded["lines"][0]["outstanding_quantity"]) == (0, 2)
    assert forwarded["shipments"] == []
    lifecycle.ship(
        jg, carrier_code="sf", tracking_numbers=["SF1234567890001"], quantities={line_of(jg, "JG-HB-M8-30").pk: 4}
    )
    jg = SupplierOrder.objects.get(pk=jg.pk)
    payload = supplier_order_payload(jg, "supplier_order.partially_shipped")["supplier_order"]
    assert [(x["sku"], x["quantity"], x["shipped_quantity"], x["outstanding_quantity"]) for x in payload["lines"]] == [
        ("JG-HB-M8-30", 10, 4, 6),
        ("JG-HN-M8", 4, 0, 4),
    ]
    assert payload["shipments"] == [
        {
            "carrier": "sf",
            "tracking_numbers": ["SF1234567890001"],
            "shipped_at": payload["shipments"][0]["shipped_at"],
            "lines": [{"sku": "JG-HB-M8-30", "quantity": 4}],
        }
    ]
    json.dumps(payload)  # one JSON type per field


# --- two ship requests at once ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_ship_requests_at_once_cannot_over_ship(shop):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    from tests.storefront.test_basket_concurrency import at_once

    order = place_order(shop["buyer"], [(shop["bolt"], 10)])
    jg = SupplierOrder.objects.get(order=order, partner=shop["jg"])
    lifecycle.accept(jg)
    bolt = line_of(jg, "JG-HB-M8-30")

    def ship(n: int):
        try:
            lifecycle.ship(
                SupplierOrder.objects.get(pk=jg.pk),
                carrier_code="sf",
                tracking_numbers=[f"SF123456789000{n}"],
                quantities={bolt.pk: 6},
            )
        except ValidationError as exc:
            return exc.message_dict["lines"]
        return "shipped"

    results = at_once(2, ship)
    assert sorted(map(str, results)) == sorted(["shipped", str(["JG-HB-M8-30: only 4 left to ship, not 6."])])
    jg.refresh_from_db()
    assert (jg.state, quantities(jg)) == (State.PARTIALLY_SHIPPED, {"JG-HB-M8-30": (6, 4)})
    assert Shipment.objects.filter(reference=jg.number).count() == 1
    assert ShipmentLine.objects.get().quantity == 6
