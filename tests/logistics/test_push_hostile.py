"""A validly signed Kuaidi100 push whose body is not what the documentation shows gets a clear 400
naming the field, never a server error, and stores nothing (tests/test_input_properties.py has the
property over random bodies)."""

import json

import pytest
from django.urls import reverse

from plugins.logistics.adapters.kuaidi100 import sign
from plugins.logistics.models import TrackingEvent
from tests.logistics.test_tracking import SALT, documented_push, kuaidi100, parcel  # noqa: F401  fixtures

pytestmark = pytest.mark.django_db

EVENT = {"time": "2026-05-01 10:00:00", "ftime": "2026-05-01 10:00:00", "context": "已揽收", "status": "揽收"}


def with_last(**changes) -> dict:
    body = documented_push(data=[dict(EVENT)])
    body["lastResult"].update(changes)
    return body


def with_event(**changes) -> dict:
    return documented_push(data=[{**EVENT, **changes}])


CASES = {
    "data is an object": (with_last(data={"context": "x"}), "param.lastResult.data: must be a list of objects"),
    "data is text": (with_last(data="在途"), "param.lastResult.data: must be a list of objects"),
    "data is a number": (with_last(data=7), "param.lastResult.data: must be a list of objects"),
    "data holds a list": (
        with_last(data=[["2026-05-01 10:00:00"]]),
        "param.lastResult.data: must be a list of objects",
    ),
    "lastResult is a list": ({"lastResult": [1, 2]}, "param.lastResult: must be an object"),
    "body is a list": ([{"lastResult": {}}], "param.lastResult: must be an object"),
    "number is a number": (with_last(nu=6789012345678), "param.lastResult.nu: must be text"),
    "number missing": (with_last(nu=None), "param.lastResult.nu: missing"),
    "number too long": (with_last(nu="YT" + "9" * 10_000), "param.lastResult.nu: longer than 64 characters"),
    "time is a number": (with_event(ftime=20260501, time=20260501), "param.lastResult.data[0].ftime: must be text"),
    "time is not a time": (with_event(ftime="yesterday"), "param.lastResult.data[0].ftime: not a time"),
    "time out of range": (with_event(ftime="0001-01-01 00:00:00"), "is not a plausible time"),
    "context is a list": (with_event(context=["x"]), "param.lastResult.data[0].context: must be text"),
    "status is a number": (with_event(status=3), "param.lastResult.data[0].status: must be text"),
    "NUL in context": (with_event(context="已揽收\x00"), "param.lastResult.data[0].context: contains a NUL character"),
    "NUL in place": (with_event(areaName="上海\x00"), "param.lastResult.data[0].areaName: contains a NUL"),
}


def post(client, param: str, signature: str | None = None):
    return client.post(reverse("logistics:kuaidi100-push"), {"param": param, "sign": signature or sign(param, SALT)})


@pytest.mark.parametrize("body, message", CASES.values(), ids=CASES.keys())
def test_a_signed_push_with_a_malformed_body_is_a_clear_400(client, parcel, kuaidi100, body, message):  # noqa: F811
    client.raise_request_exception = True
    response = post(client, json.dumps(body, ensure_ascii=False))
    assert response.status_code == 400
    assert response.json()["result"] is False and message in response.json()["message"]
    assert TrackingEvent.objects.count() == 0


def test_param_that_is_not_json_deeply_nested_or_huge_is_a_clear_400(client, parcel, kuaidi100):  # noqa: F811
    client.raise_request_exception = True
    for param, message in [
        ("not json", "param: not JSON"),
        ("[" * 100_000, "param: "),  # nesting past the parser's recursion limit, or past the size cap
        (json.dumps(documented_push(data=[{**EVENT, "context": "x" * 300_000}])), "param: longer than"),
    ]:
        response = post(client, param)
        assert response.status_code == 400 and message in response.json()["message"], param[:40]
    assert TrackingEvent.objects.count() == 0


def test_a_signature_in_other_characters_is_refused_not_a_server_error(client, parcel, kuaidi100):  # noqa: F811
    client.raise_request_exception = True
    response = post(client, json.dumps(documented_push()), signature="签名é")
    assert response.status_code == 400 and response.json()["message"] == "bad signature"


def test_the_documented_push_still_applies(client, parcel, kuaidi100):  # noqa: F811
    response = post(client, json.dumps(documented_push(data=[dict(EVENT)]), ensure_ascii=False))
    assert response.status_code == 200
    assert TrackingEvent.objects.get().description == "已揽收"
