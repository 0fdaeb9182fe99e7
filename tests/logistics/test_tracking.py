"""Tracking: Kuaidi100 subscription requests and signed pushes (payloads shaped as its public
documentation shows them), subscriptions through the kernel's outbox (channel kuaidi100), and
events entered by hand."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from plugins.logistics.adapters.kuaidi100 import Kuaidi100Adapter, sign
from plugins.logistics.models import Parcel, Shipment, TrackingEvent
from plugins.logistics.services.shipments import add_tracking_event, record_shipment
from plugins.logistics.services.tracking import send_pending_subscriptions, subscription_of
from tests import factories

pytestmark = pytest.mark.django_db
SALT = "s2b2b-test-salt"
CHINA = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def kuaidi100(settings):
    settings.KUAIDI100_KEY = "test-key"
    settings.KUAIDI100_SALT = SALT
    settings.KUAIDI100_CALLBACK_URL = "https://shop.example.cn/logistics/kuaidi100/push/"


@pytest.fixture
def parcel(buyer, catalogue):
    order = factories.place_order(buyer, [(catalogue["bolt"], 2)])
    shipment = record_shipment(
        order=order,
        partner=catalogue["suppliers"]["jg"],
        reference=f"{order.number}-S1",
        carrier_code="yto",
        tracking_numbers=["YT6789012345678"],
    )
    return shipment.parcels.get()


def documented_push(number="YT6789012345678", com="yuantong", state="0", status="polling", data=None):
    """A push body in the shape of Kuaidi100's push documentation (newest event first)."""
    return {
        "status": status,
        "billstatus": "got",
        "message": "",
        "autoCheck": "0",
        "comOld": "",
        "comNew": "",
        "lastResult": {
            "message": "ok",
            "nu": number,
            "ischeck": "1" if state == "3" else "0",
            "condition": "F00",
            "com": com,
            "status": "200",
            "state": state,
            "data": data
            or [
                {
                    "time": "2026-11-20 16:33:19",
                    "ftime": "2026-11-20 16:33:19",
                    "context": "【上海市】快件已到达 上海分拨中心",
                    "status": "在途",
                    "areaCode": "310000000000",
                    "areaName": "上海市",
                },
                {
                    "time": "2026-11-20 09:12:02",
                    "ftime": "2026-11-20 09:12:02",
                    "context": "【苏州市】圆通速递 江苏省苏州市工业园区公司 已揽收",
                    "status": "揽收",
                    "areaCode": "320500000000",
                    "areaName": "江苏,苏州市",
                },
            ],
        },
    }


def post_push(client, body, salt=SALT, signature=None):
    param = json.dumps(body, ensure_ascii=False)
    return client.post(reverse("logistics:kuaidi100-push"), {"param": param, "sign": signature or sign(param, salt)})


def test_subscription_request_has_the_documented_fields(kuaidi100):
    form = Kuaidi100Adapter().subscription_form("yuantong", "YT6789012345678", phone="13800138000")
    assert form["schema"] == "json"
    param = json.loads(form["param"])
    assert param == {
        "company": "yuantong",
        "number": "YT6789012345678",
        "key": "test-key",
        "parameters": {
            "callbackurl": "https://shop.example.cn/logistics/kuaidi100/push/",
            "salt": SALT,
            "resultv2": "1",
            "phone": "13800138000",
        },
    }


def test_signature_is_upper_md5_of_param_plus_salt():
    # MD5 of the bytes "{}abc", computed with coreutils' md5sum, in upper case
    assert sign("{}", "abc") == "417B110F1E71BD2CFE96366E67849B0B"


def test_a_signed_push_adds_the_timeline_and_updates_status(client, parcel, kuaidi100):
    response = post_push(client, documented_push())
    assert response.status_code == 200
    assert response.json() == {"result": True, "returnCode": "200", "message": "2"}
    events = list(parcel.events.order_by("occurred_at"))
    assert [e.description for e in events] == [
        "【苏州市】圆通速递 江苏省苏州市工业园区公司 已揽收",
        "【上海市】快件已到达 上海分拨中心",
    ]
    assert events[1].occurred_at == datetime(2026, 11, 20, 16, 33, 19, tzinfo=CHINA)
    assert events[1].location == "上海市"
    assert {e.source for e in events} == {TrackingEvent.KUAIDI100}
    parcel.refresh_from_db()
    assert parcel.status == Shipment.IN_TRANSIT
    assert parcel.shipment.status == Shipment.IN_TRANSIT

    # the same push again (Kuaidi100 pushes the whole history every time) adds nothing
    assert post_push(client, documented_push()).json()["message"] == "0"
    assert parcel.events.count() == 2

    # signed for: state 3
    delivered = documented_push(state="3", status="shutdown")
    delivered["lastResult"]["data"].insert(
        0,
        {
            "time": "2026-11-21 10:00:00",
            "ftime": "2026-11-21 10:00:00",
            "context": "您的快件已签收，签收人：前台",
            "status": "签收",
            "areaName": "广东,深圳市",
        },
    )
    post_push(client, delivered)
    parcel.shipment.refresh_from_db()
    assert parcel.shipment.status == Shipment.DELIVERED


@pytest.mark.parametrize("how", ["wrong salt", "tampered", "no sign"])
def test_a_push_with_a_bad_signature_is_rejected_and_changes_nothing(client, parcel, kuaidi100, how):
    body = documented_push()
    if how == "wrong salt":
        response = post_push(client, body, salt="not-our-salt")
    elif how == "tampered":
        good = sign(json.dumps(body, ensure_ascii=False), SALT)
        body["lastResult"]["state"] = "3"
        response = post_push(client, body, signature=good)
    else:
        response = client.post(reverse("logistics:kuaidi100-push"), {"param": json.dumps(body)})
    assert response.status_code == 400
    assert response.json()["result"] is False
    assert TrackingEvent.objects.count() == 0
    parcel.refresh_from_db()
    assert parcel.status == Shipment.SHIPPED


def test_pushes_without_a_salt_configured_are_all_rejected(client, parcel, settings):
    settings.KUAIDI100_SALT = ""
    assert post_push(client, documented_push(), salt="").status_code == 400
    assert TrackingEvent.objects.count() == 0


def test_a_malformed_push_is_rejected(client, parcel, kuaidi100):
    response = client.post(reverse("logistics:kuaidi100-push"), {"param": "not json", "sign": sign("not json", SALT)})
    assert response.status_code == 400
    bad_time = documented_push(data=[{"time": "yesterday", "context": "x", "status": "在途"}])
    assert post_push(client, bad_time).status_code == 400
    assert TrackingEvent.objects.count() == 0


def test_a_push_for_an_unknown_parcel_is_acknowledged_and_ignored(client, parcel, kuaidi100):
    response = post_push(client, documented_push(number="YT0000000000000"))
    assert response.status_code == 200
    assert TrackingEvent.objects.count() == 0


class FakeKuaidi100Endpoint:
    """Stands in for Kuaidi100's server (not our code): records requests, answers as documented."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.requests = []

    def post(self, url, data=None, timeout=None):
        self.requests.append((url, data))
        answer = self.answers.pop(0)

        class Response:
            def json(self_inner):
                return answer

        return Response()


def test_subscription_outbox_is_sent_once_and_retried_on_transient_errors(parcel, kuaidi100):
    endpoint = FakeKuaidi100Endpoint(
        [
            {"result": False, "returnCode": "500", "message": "服务器错误"},
            {"result": True, "returnCode": "200", "message": "提交成功"},
        ]
    )
    adapter = Kuaidi100Adapter(session=endpoint)
    assert send_pending_subscriptions(adapter) == (0, 1)
    sub = subscription_of(parcel)
    assert (sub.status, sub.attempts) == ("pending", 1)
    assert send_pending_subscriptions(adapter) == (1, 0)
    sub.refresh_from_db()
    assert sub.status == "delivered"
    assert [(a.ok, a.error) for a in sub.attempt_log.all()] == [(False, "500 服务器错误"), (True, "")]
    url, data = endpoint.requests[-1]
    assert url == "https://poll.kuaidi100.com/poll"
    assert json.loads(data["param"])["number"] == "YT6789012345678"
    assert send_pending_subscriptions(adapter) == (0, 0)  # nothing sent twice
    assert len(endpoint.requests) == 2


def test_a_refused_subscription_fails_without_retrying(parcel, kuaidi100):
    endpoint = FakeKuaidi100Endpoint([{"result": False, "returnCode": "700", "message": "不支持的快递公司"}])
    assert send_pending_subscriptions(Kuaidi100Adapter(session=endpoint)) == (0, 0)
    sub = subscription_of(parcel)
    assert sub.status == "dead"
    assert "700" in sub.last_error


def test_manual_events_by_supplier_and_operator(parcel, catalogue):
    staff = factories.supplier_staff(catalogue["suppliers"]["jg"])
    now = timezone.now()
    add_tracking_event(
        parcel=parcel,
        occurred_at=now - timedelta(hours=2),
        description="已交给物流专线",
        status=Shipment.IN_TRANSIT,
        location="苏州",
        entered_by=staff,
    )
    add_tracking_event(
        parcel=parcel, occurred_at=now, description="客户已签收", status=Shipment.DELIVERED, entered_by=staff
    )
    parcel.refresh_from_db()
    assert parcel.status == Shipment.DELIVERED
    assert Shipment.objects.get().status == Shipment.DELIVERED
    assert [e.description for e in parcel.events.all()] == ["客户已签收", "已交给物流专线"]
    assert parcel.events.first().created_by == staff


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"description": " ", "status": "in_transit"}, "description"),
        ({"description": "x", "status": "teleported"}, "status"),
        ({"description": "x", "status": "in_transit", "occurred_at": None}, "occurred_at"),
        ({"description": "x", "status": "in_transit", "future": True}, "occurred_at"),
    ],
)
def test_bad_manual_events_are_refused(parcel, kwargs, field):
    occurred_at = kwargs.pop("occurred_at", timezone.now())
    if kwargs.pop("future", False):
        occurred_at = timezone.now() + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        add_tracking_event(parcel=parcel, occurred_at=occurred_at, **kwargs)
    assert field in exc.value.message_dict
    assert TrackingEvent.objects.count() == 0
    assert Parcel.objects.get().status == Shipment.SHIPPED


def test_redrive_command_sends_failed_subscriptions_again(parcel, settings):
    from io import StringIO

    from django.core.management import call_command

    sub = subscription_of(parcel)
    sub.status, sub.attempts, sub.last_error = "dead", 8, "700"
    sub.save()
    settings.KUAIDI100_KEY = ""  # not configured: nothing is sent, the row waits as pending
    out = StringIO()
    call_command("logistics_send_subscriptions", "--retry-failed", stdout=out)
    sub.refresh_from_db()
    # pending again with a fresh budget of tries (attempts keeps counting the tries made)
    assert (sub.status, sub.attempts, sub.attempt_limit) == ("pending", 8, 16)
    assert "not configured" in sub.last_error
    assert "0" in out.getvalue()


@pytest.fixture
def kuaidi100_receiver(settings, kuaidi100):
    """Kuaidi100's subscription endpoint played by a local HTTP server (its documented answers)."""
    from tests.core.outbox_support import Receiver

    answer = {"result": True, "returnCode": "200", "message": "提交成功"}
    receiver = Receiver(answer=answer)
    settings.KUAIDI100_SUBSCRIBE_URL = receiver.url
    yield receiver
    receiver.close()


def test_subscriptions_go_through_the_kernels_outbox_over_http(parcel, kuaidi100_receiver):
    from core import outbox

    sub = subscription_of(parcel)
    assert (sub.channel, sub.status, sub.reference) == ("kuaidi100", "pending", "YT6789012345678")
    assert sub.partner == parcel.shipment.partner
    assert sub.payload["company"] == "yuantong"
    outbox.drain()  # the outbox's own drain, every channel
    sub.refresh_from_db()
    assert (sub.status, sub.attempts) == ("delivered", 1)
    (request,) = kuaidi100_receiver.requests
    param = json.loads(request["data"]["param"])
    assert (param["company"], param["number"], param["key"]) == ("yuantong", "YT6789012345678", "test-key")
    assert param["parameters"]["salt"] == SALT


def test_a_transient_kuaidi100_answer_is_retried_with_backoff(parcel, kuaidi100_receiver):
    from core import outbox

    kuaidi100_receiver.answer = {"result": False, "returnCode": "503", "message": "服务繁忙"}
    now = timezone.now()
    outbox.drain(now=now)
    sub = subscription_of(parcel)
    assert (sub.status, sub.attempts, sub.next_attempt_at) == ("pending", 1, now + timedelta(seconds=30))
    kuaidi100_receiver.answer = {"result": True, "returnCode": "200", "message": "提交成功"}
    outbox.drain(now=now + timedelta(seconds=30))
    sub.refresh_from_db()
    assert (sub.status, sub.attempts) == ("delivered", 2)


def test_without_kuaidi100_settings_subscriptions_wait(parcel, settings):
    from core import outbox

    settings.KUAIDI100_KEY = ""
    assert outbox.drain() == 0
    sub = subscription_of(parcel)
    assert (sub.status, sub.attempts) == ("pending", 0) and "not configured" in sub.last_error
