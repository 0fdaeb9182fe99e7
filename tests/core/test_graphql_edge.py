"""Internal exception text never reaches an API client. Values the GraphQL scalars let through but a
column or ``decimal`` cannot take (NaN, Infinity, 1e30, more digits than the column, a NUL
character, an integer past a small column) are refused at the edge as errors on the input, in the
user's language, and change nothing; anything still unexpected is one generic message with a
request id that is also in the log, with the traceback."""

import json
import logging
from decimal import InvalidOperation

import pytest
from django.test import Client, RequestFactory
from graphql import parse

from config.schema import schema
from core.graphql.errors import camel_case
from core.graphql.mutations import mutation_classes
from core.graphql.view import PlatformGraphQLView
from tests.core import test_graphql_api
from tests.core.test_graphql_api import BAD_INPUTS, changed_tables, client_of, snapshot

pytestmark = pytest.mark.django_db

world = test_graphql_api.world  # the API tests' world: two suppliers, buyers, an order, an operator …

INTERNAL_TEXTS = (
    "decimal.",
    "PostgreSQL",
    "numeric field overflow",
    "DETAIL",
    "out of range",
    "Traceback",
    "NUL (0x00)",
)


def gql(client, query, variables=None):
    response = client.post(
        "/graphql/", json.dumps({"query": query, "variables": variables or {}}), content_type="application/json"
    )
    return response.json()


def payload_errors(body, name) -> dict:
    assert "errors" not in body, body
    return {error["field"]: (error["code"], error["message"]) for error in body["data"][name]["errors"]}


CASES = {
    # the cases: (who, query, variables, field, code, message)
    "a NaN price": (
        "operator",
        'mutation { priceRuleCreate(tierCode: "gold", sku: "JG-HB-M8-30", kind: "fixed", value: "NaN") '
        "{ rule { id } errors { field code message } } }",
        {},
        "value",
        "invalid",
        "请输入有限的数值。",
    ),
    "an infinite margin floor": (
        "operator",
        'mutation { priceRuleCreate(tierCode: "gold", sku: "JG-HB-M8-30", kind: "fixed", value: "20", '
        'floorMarginPercent: "-Infinity") { rule { id } errors { field code message } } }',
        {},
        "floorMarginPercent",
        "invalid",
        "请输入有限的数值。",
    ),
    "a receipt of 1e30": (
        "operator",
        'mutation { recordReceipt(bankReference: "X-1", receivedOn: "2026-01-05", amount: "1e30", payerName: "甲") '
        "{ errors { field code message } } }",
        {},
        "amount",
        "max_digits",
        "确认总共不超过 14 个数字.",
    ),
    "a credit line past its column": (
        "operator",
        'mutation($id: ID!) { memberSetCreditLine(memberId: $id, limit: "1234567890123", paymentTermsDays: 30, '
        'reason: "调整") { member { id } errors { field code message } } }',
        lambda w: {"id": str(w["membership"].pk)},
        "limit",
        "max_whole_digits",
        "确认小数点前不超过 12 位。",
    ),
    "a freight price with too many decimals": (
        "jg_staff",
        'mutation { freightTemplateSave(supplierCode: "jg", input: {name: "快递", mode: "weight", firstUnit: "1", '
        'firstPrice: "8", additionalUnit: "1", additionalPrice: "2", regionRules: [{provinces: ["西藏自治区"], '
        'firstUnit: "1", firstPrice: "9", additionalUnit: "1", additionalPrice: "3"}, {provinces: ["青海省"], '
        'firstUnit: "1", firstPrice: "9.001", additionalUnit: "1", additionalPrice: "3"}]}) '
        "{ template { id } errors { field code message } } }",
        {},
        "input.regionRules.1.firstPrice",
        "max_decimal_places",
        "确认小数不超过 2 位.",
    ),
    "a step past a small-integer column": (
        "buyer",
        "mutation($id: ID!) { updateApprovalRule(id: $id, input: {step: 40000}) { rule { id } "
        "errors { field code message } } }",
        lambda w: {"id": str(w["approval_rule"].pk)},
        "input.step",
        "max_value",
        "确保该值小于或等于32767。",
    ),
    "a NUL in a rejection reason": (
        "jg_staff",
        "mutation($n: String!, $r: String!) { rejectSupplierOrder(number: $n, reason: $r) "
        "{ supplierOrder { state } errors { field code message } } }",
        lambda w: {"n": w["supplier_order"].number, "r": "缺货\x00"},
        "reason",
        "invalid",
        "此值不能包含 NUL 字符。",
    ),
    "a NUL in a carrier code": (
        "jg_staff",
        'mutation { trackingEventAdd(trackingNumber: "SF1234567890123", carrierCode: "s\\u0000f", '
        'occurredAt: "2026-01-05T10:00:00+08:00", description: "已揽收", status: "in_transit") '
        "{ event { description } errors { field code message } } }",
        {},
        "carrierCode",
        "invalid",
        "此值不能包含 NUL 字符。",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_value_no_column_can_take_is_an_error_on_the_input_and_changes_nothing(world, case):
    who, query, variables, field, code, message = CASES[case]
    variables = variables(world) if callable(variables) else variables
    name = parse(query).definitions[0].selection_set.selections[0].name.value
    client = client_of(world[who])
    before = snapshot(world)
    body = gql(client, query, variables)
    assert payload_errors(body, name) == {field: (code, message)}
    assert changed_tables(before, snapshot(world)) == []


def test_a_nul_in_a_query_argument_is_an_error_naming_it(world):
    body = gql(Client(), '{ products(first: 5, search: "螺栓\\u0000") { totalCount } }')
    assert body["data"] is None, body  # products is non-null: its null empties data
    [error] = body["errors"]
    assert (error["message"], error["extensions"]) == (
        "此值不能包含 NUL 字符。",
        {"field": "search", "code": "invalid"},
    )


def test_every_declared_input_field_names_an_input_of_its_mutation():
    for name, cls in mutation_classes(schema).items():
        for path in cls.input_fields:
            assert all(camel_case(part) in cls.input_names() for part in path.split(".")), (name, path)


# --- whatever the edge does not know: every String and Decimal variable of every mutation -------


def _hostile_variables(query: str) -> dict[str, list]:
    hostile = {"String": ["甲\x00乙"], "Decimal": ["NaN", "Infinity", "1e30", "123456789012345678.901"]}
    found = {}
    for definition in parse(query).definitions[0].variable_definitions:
        kind = definition.type
        while hasattr(kind, "type"):
            kind = kind.type
        if kind.name.value in hostile:
            found[definition.variable.name.value] = hostile[kind.name.value]
    return found


HOSTILE = sorted(name for name, (_, query, *_rest) in BAD_INPUTS.items() if _hostile_variables(query))


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_variables_never_show_internal_text_and_change_nothing(world, name):
    who, query, variables, _expected, prepare = BAD_INPUTS[name]
    if prepare:
        prepare(world)
    client = client_of(world[who])
    for variable, values in _hostile_variables(query).items():
        for value in values:
            before = snapshot(world)
            body = gql(client, query, {**variables(world), variable: value})
            text = json.dumps(body, ensure_ascii=False)
            assert not any(internal in text for internal in INTERNAL_TEXTS), (variable, value, body)
            for error in body.get("errors", []):  # a top-level error is a known one, or carries a request id
                extensions = error.get("extensions") or {}
                assert extensions.get("code") or "Variable" in error["message"], (variable, value, body)
                if extensions.get("code") == "internal_error":
                    assert extensions["requestId"] in error["message"]
            assert changed_tables(before, snapshot(world)) == [], (variable, value)


# --- the unexpected: one generic message, the request id in the log --------------------------


def test_an_unexpected_failure_is_a_generic_error_with_a_request_id_that_is_logged(world, caplog):
    # points past the balance's integer column: nothing at the edge knows the balance, the
    # database refuses it ("integer out of range"): the client sees a request id, not SQL
    query = (
        'mutation($id: ID!) { memberAdjustPoints(memberId: $id, points: 2147483647, reason: "年度奖励") '
        "{ member { id } errors { field code message } } }"
    )
    client = client_of(world["operator"])
    variables = {"id": str(world["membership"].pk)}
    gql(client, query, variables)
    before = snapshot(world)
    with caplog.at_level(logging.ERROR, logger="core.graphql"):
        body = gql(client, query, variables)
    assert changed_tables(before, snapshot(world)) == []
    text = json.dumps(body, ensure_ascii=False)
    assert not any(internal in text for internal in INTERNAL_TEXTS), body
    if "errors" not in body:  # should the service one day refuse it itself: a field error then
        assert body["data"]["memberAdjustPoints"]["errors"], body
        return
    [error] = body["errors"]
    request_id = error["extensions"]["requestId"]
    assert error["extensions"]["code"] == "internal_error"
    assert error["message"] == f"服务器内部出错。如需联系我们，请提供请求编号 {request_id}。"
    [record] = [r for r in caplog.records if request_id in r.getMessage()]
    assert record.exc_info is not None and "out of range" in str(record.exc_info[1])


def test_the_view_keeps_the_text_of_an_unexpected_exception_in_the_log(caplog):
    from graphql import GraphQLError

    request = RequestFactory().post("/graphql/")
    request.graphql_request_id = "abc123"
    view = PlatformGraphQLView()
    view.setup(request)
    try:
        raise InvalidOperation([InvalidOperation])
    except InvalidOperation as exc:
        error = GraphQLError(str(exc), path=["claimReceipt"], original_error=exc)
    with caplog.at_level(logging.ERROR, logger="core.graphql"):
        formatted = view.format_error(error)
    assert formatted == {
        "message": "服务器内部出错。如需联系我们，请提供请求编号 abc123。",
        "extensions": {"code": "internal_error", "requestId": "abc123"},
        "path": ["claimReceipt"],
    }
    [record] = caplog.records
    assert "abc123" in record.getMessage() and record.exc_info[1] is error.original_error
    # the API's own errors pass as they are
    known = GraphQLError("您无权执行此操作。", path=["x"], extensions={"code": "forbidden"})
    assert view.format_error(known)["extensions"] == {"code": "forbidden"}
