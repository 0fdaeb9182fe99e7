"""Logistics GraphQL: freightQuote, template management with permissions, scoped shipments."""

from decimal import Decimal

import pytest
from django.test import Client

from plugins.logistics.models import FreightTemplate, TrackingEvent
from plugins.logistics.services.shipments import record_shipment
from tests import factories
from tests.storefront.test_graphql import gql

pytestmark = pytest.mark.django_db

QUOTE = """
query($lines: [FreightLineInput!]!, $province: String!) {
  freightQuote(lines: $lines, province: $province) {
    province total deliverable message undeliverableSkus parts { supplier amount explanations }
  }
}"""

SAVE = """
mutation($id: ID, $supplier: String, $input: FreightTemplateInput!) {
  freightTemplateSave(id: $id, supplierCode: $supplier, input: $input) {
    template { id name supplierCode mode regionRules { provinces firstPrice } freeRules { minAmount } }
    errors { field message code }
  }
}"""

TEMPLATE = {
    "name": "零担物流",
    "mode": "volume",
    "firstUnit": "0.1",
    "firstPrice": "30.00",
    "additionalUnit": "0.1",
    "additionalPrice": "15.00",
    "isDefault": False,
    "excludedProvinces": ["台湾省"],
    "regionRules": [
        {
            "provinces": ["新疆维吾尔自治区"],
            "firstUnit": "0.1",
            "firstPrice": "80",
            "additionalUnit": "0.1",
            "additionalPrice": "40",
        }
    ],
    "freeRules": [{"provinces": [], "minAmount": "5000"}],
}


def login(user):
    client = Client()
    client.force_login(user)
    return client


def test_freight_quote_for_guangdong_and_xinjiang(freight, client):
    lines = [
        {"sku": "JG-HB-M8-30", "quantity": 3},
        {"sku": "jg-hn-m8", "quantity": 5},
        {"sku": "DF-BV-2.5", "quantity": 3},
    ]
    status, body = gql(client, QUOTE, {"lines": lines, "province": "广东省"})
    quote = body["data"]["freightQuote"]
    assert quote["deliverable"] and Decimal(quote["total"]) == Decimal("25.00")
    amounts = {p["supplier"]: Decimal(p["amount"]) for p in quote["parts"]}
    assert amounts == {"苏州精工五金制品有限公司": Decimal("12.00"), "宁波东方电气设备有限公司": Decimal("13.00")}
    status, body = gql(client, QUOTE, {"lines": lines, "province": "新疆维吾尔自治区"})
    assert Decimal(body["data"]["freightQuote"]["total"]) == Decimal("100.00")
    status, body = gql(client, QUOTE, {"lines": lines[:1], "province": "台湾省"})
    quote = body["data"]["freightQuote"]
    assert not quote["deliverable"] and quote["undeliverableSkus"] == ["JG-HB-M8-30"]
    assert "外六角螺栓" in quote["message"]


@pytest.mark.parametrize(
    "lines, province, field",
    [
        ([{"sku": "JG-HB-M8-30", "quantity": 1}], "Guangdong", "province"),
        ([{"sku": "NOPE", "quantity": 1}], "广东省", "lines"),
        ([{"sku": "JG-HB-M8-30", "quantity": 0}], "广东省", "lines"),
        ([{"sku": "JG-HB-M8-30", "quantity": -3}], "广东省", "lines"),
        ([], "广东省", "lines"),
    ],
)
def test_freight_quote_bad_input(freight, client, lines, province, field):
    status, body = gql(client, QUOTE, {"lines": lines, "province": province})
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["field"] == field


def test_supplier_saves_its_template_and_sees_only_its_own(freight):
    jg, df = freight["suppliers"]["jg"], freight["suppliers"]["df"]
    client = login(factories.supplier_staff(jg, "jgstaff"))
    status, body = gql(client, SAVE, {"supplier": "jg", "input": TEMPLATE})
    payload = body["data"]["freightTemplateSave"]
    assert payload["errors"] == []
    assert payload["template"]["supplierCode"] == "jg" and payload["template"]["mode"] == "volume"
    assert FreightTemplate.objects.get(name="零担物流").partner == jg

    count = FreightTemplate.objects.count()
    for variables, field in (
        ({"supplier": "df", "input": TEMPLATE}, "supplierCode"),  # another supplier's: not found
        ({"id": str(freight["templates"]["df"].pk), "supplier": "jg", "input": TEMPLATE}, "id"),
    ):
        status, body = gql(client, SAVE, variables)
        errors = body["data"]["freightTemplateSave"]["errors"]
        assert [(e["field"], e["code"]) for e in errors] == [(field, "not_found")]
    status, body = gql(client, SAVE, {"input": TEMPLATE})  # platform templates are operators' only
    assert body["data"]["freightTemplateSave"] is None
    assert body["errors"][0]["extensions"]["code"] == "forbidden"
    assert FreightTemplate.objects.count() == count

    status, body = gql(client, "{ freightTemplates { totalCount items { name supplierCode } } }")
    names = {t["name"] for t in body["data"]["freightTemplates"]["items"]}
    assert names == {"标准快递", "零担物流"}
    assert df.freight_templates.exists()


def test_template_mutation_errors_name_the_field_and_save_nothing(freight):
    client = login(factories.operator())
    bad = {
        **TEMPLATE,
        "firstUnit": "0",
        "regionRules": TEMPLATE["regionRules"] * 2,
        "excludedProvinces": ["火星"],
    }
    count = FreightTemplate.objects.count()
    status, body = gql(client, SAVE, {"input": bad})
    errors = {e["field"]: e["message"] for e in body["data"]["freightTemplateSave"]["errors"]}
    assert errors["firstUnit"] == "计费单位必须大于零。"
    assert "regionRules.1.provinces" in errors and "excludedProvinces" in errors
    assert FreightTemplate.objects.count() == count
    status, body = gql(client, SAVE, {"input": TEMPLATE})  # operators may make platform templates
    assert body["data"]["freightTemplateSave"]["template"]["supplierCode"] is None


SHIPMENTS = """
query($order: String) { shipments(orderNumber: $order) { totalCount items {
  orderNumber reference supplier status carrier { code name } parcels { trackingNumber trackingLink events { description } }
} } }"""


def test_shipments_are_visible_to_their_parties_only(freight, buyer):
    order = factories.place_order(buyer, [(freight["bolt"], 1)])
    shipment = record_shipment(
        order=order,
        partner=freight["suppliers"]["jg"],
        reference="S1",
        carrier_code="sf",
        tracking_numbers=["SF1234567890123"],
    )
    other_buyer = factories.distributor("other")
    jg_staff = factories.supplier_staff(freight["suppliers"]["jg"], "jgstaff")
    df_staff = factories.supplier_staff(freight["suppliers"]["df"], "dfstaff")
    for user, expected in ((buyer, 1), (jg_staff, 1), (factories.operator(), 1), (other_buyer, 0), (df_staff, 0)):
        status, body = gql(login(user), SHIPMENTS, {"order": order.number})
        assert body["data"]["shipments"]["totalCount"] == expected, user
    status, body = gql(Client(), SHIPMENTS)
    assert body["errors"][0]["extensions"]["code"] == "unauthenticated"

    add = """mutation($n: String!) { trackingEventAdd(trackingNumber: $n, carrierCode: "sf",
        occurredAt: "2026-11-20T10:00:00+08:00", description: "已揽收", status: "shipped") {
        event { description } errors { field message } } }"""
    status, body = gql(login(df_staff), add, {"n": "SF1234567890123"})
    assert body["data"]["trackingEventAdd"]["errors"][0]["field"] == "trackingNumber"
    status, body = gql(login(buyer), add, {"n": "SF1234567890123"})  # buyers only read
    assert body["errors"][0]["extensions"]["code"] == "forbidden"
    assert TrackingEvent.objects.count() == 0
    status, body = gql(login(jg_staff), add, {"n": "sf1234567890123"})
    assert body["data"]["trackingEventAdd"]["event"]["description"] == "已揽收"
    status, body = gql(login(buyer), SHIPMENTS, {"order": order.number})
    parcel = body["data"]["shipments"]["items"][0]["parcels"][0]
    assert parcel["events"] == [{"description": "已揽收"}]
    assert parcel["trackingLink"].endswith("SF1234567890123")
    assert shipment.pk


def test_shipments_query_count_does_not_grow_with_shipments(freight, buyer, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    order = factories.place_order(buyer, [(freight["bolt"], 1)])
    client = login(buyer)
    counts = []
    for n in range(6):
        record_shipment(
            order=order,
            partner=freight["suppliers"]["jg"],
            reference=f"S{n}",
            carrier_code="sf",
            tracking_numbers=[f"SF12345678901{n:02d}", f"SF12345678902{n:02d}"],
        )
        if n in (0, 5):
            with CaptureQueriesContext(connection) as queries:
                status, body = gql(client, SHIPMENTS, {"order": order.number})
            assert body["data"]["shipments"]["totalCount"] == n + 1
            counts.append(len(queries))
    assert counts[0] == counts[1]
