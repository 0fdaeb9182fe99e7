"""快递100 (Kuaidi100) subscription/push adapter, per its public API documentation.

Subscription (订阅): HTTP form POST to https://poll.kuaidi100.com/poll with ``schema=json`` and
``param`` = JSON ``{"company", "number", "key", "parameters": {"callbackurl", "salt",
"resultv2", "phone"}}``. Answer: ``{"result": true, "returnCode": "200", "message": "提交成功"}``;
returnCode 501 means "already subscribed" (treated as success), 500/503/601 are transient.

Push (推送): Kuaidi100 form-POSTs ``param`` (JSON) and ``sign`` to the callback URL, where
``sign = MD5(param + salt)`` in upper-case hex, salt being the one sent at subscription. param::

    {"status": "polling", "billstatus": "got", "message": "", "autoCheck": "0",
     "lastResult": {"message": "ok", "state": "0", "status": "200", "condition": "F00",
                    "ischeck": "0", "com": "yuantong", "nu": "YT...",
                    "data": [{"context": "...", "time": "2012-08-28 16:33:19",
                              "ftime": "2012-08-28 16:33:19", "status": "在途",
                              "areaCode": "310000000000", "areaName": "上海市"}]}}

``status`` is polling / shutdown (tracking finished) / abort / updateall; ``state`` in
lastResult: 0 在途, 1 揽收, 2 疑难, 3 签收, 4 退签, 5 派件, 6 退回, 7 转投, 8 清关, 14 拒签.
The receiver must answer ``{"result": true, "returnCode": "200", "message": "成功"}``
(anything else makes Kuaidi100 push again later).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from datetime import datetime
from zoneinfo import ZoneInfo

import requests
from django.conf import settings

from plugins.logistics.adapters.base import ParsedPush, PushRejected, SubscriptionResult

SUBSCRIBE_URL = "https://poll.kuaidi100.com/poll"
CHINA = ZoneInfo("Asia/Shanghai")

#: Kuaidi100 state → our shipment status.
STATE_STATUS = {
    "0": "in_transit",
    "1": "shipped",
    "2": "problem",
    "3": "delivered",
    "4": "returned",
    "5": "delivering",
    "6": "returned",
    "7": "in_transit",
    "8": "in_transit",
    "10": "in_transit",
    "14": "returned",
}
#: Per-event status words (resultv2) → our status.
WORD_STATUS = {
    "揽收": "shipped",
    "在途": "in_transit",
    "派件": "delivering",
    "签收": "delivered",
    "疑难": "problem",
    "退签": "returned",
    "退回": "returned",
    "拒签": "returned",
    "转投": "in_transit",
    "清关": "in_transit",
}


def _setting(name: str) -> str:
    return getattr(settings, name, None) or os.environ.get(name, "")


def sign(param: str, salt: str) -> str:
    return hashlib.md5((param + salt).encode("utf-8"), usedforsecurity=False).hexdigest().upper()


class Kuaidi100Adapter:
    name = "kuaidi100"

    def __init__(self, key: str | None = None, salt: str | None = None, callback_url: str | None = None, session=None):
        self.key = key if key is not None else _setting("KUAIDI100_KEY")
        self.salt = salt if salt is not None else _setting("KUAIDI100_SALT")
        self.callback_url = callback_url if callback_url is not None else _setting("KUAIDI100_CALLBACK_URL")
        #: Kuaidi100's endpoint unless KUAIDI100_SUBSCRIBE_URL names another (a staging or test receiver)
        self.subscribe_url = _setting("KUAIDI100_SUBSCRIBE_URL") or SUBSCRIBE_URL
        self.session = session or requests

    @property
    def configured(self) -> bool:
        return bool(self.key and self.salt and self.callback_url)

    def subscription_form(self, company: str, number: str, phone: str = "") -> dict[str, str]:
        """The form fields of a subscription request, exactly as posted."""
        parameters = {"callbackurl": self.callback_url, "salt": self.salt, "resultv2": "1"}
        if phone:
            parameters["phone"] = phone
        param = {"company": company, "number": number, "key": self.key, "parameters": parameters}
        return {"schema": "json", "param": json.dumps(param, ensure_ascii=False, separators=(",", ":"))}

    def subscribe(self, carrier_code: str, tracking_number: str, phone: str = "") -> SubscriptionResult:
        if not self.configured:
            return SubscriptionResult(False, "KUAIDI100_KEY, KUAIDI100_SALT or KUAIDI100_CALLBACK_URL is not set")
        try:
            response = self.session.post(
                self.subscribe_url, data=self.subscription_form(carrier_code, tracking_number, phone), timeout=10
            )
            body = response.json()
        except (requests.RequestException, ValueError) as exc:
            return SubscriptionResult(False, str(exc), retry=True)
        code = str(body.get("returnCode", ""))
        if body.get("result") is True or code in ("200", "501"):
            return SubscriptionResult(True, body.get("message", ""))
        message = f"{code} {body.get('message', '')}".strip()
        return SubscriptionResult(False, message, retry=code in ("500", "503", "601"))

    def verify(self, param: str, signature: str) -> bool:
        if not self.salt or not signature:
            return False
        return hmac.compare_digest(sign(param, self.salt), signature.strip().upper())

    def parse_push(self, data: dict) -> ParsedPush:
        """Check the signature and turn the push into events; PushRejected when it is bad."""
        param = data.get("param") or ""
        if not self.verify(param, data.get("sign") or ""):
            raise PushRejected("bad signature")
        try:
            body = json.loads(param)
            last = body["lastResult"]
            company, number = last["com"], last["nu"]
            rows = last.get("data") or []
        except (ValueError, KeyError, TypeError) as exc:
            raise PushRejected(f"malformed param: {exc}") from exc
        state_status = STATE_STATUS.get(str(last.get("state", "")), "in_transit")
        events = []
        for i, row in enumerate(rows):
            try:
                when = datetime.strptime(row.get("ftime") or row["time"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=CHINA)
            except (KeyError, ValueError) as exc:
                raise PushRejected(f"malformed event time: {exc}") from exc
            word = (row.get("status") or "").strip()
            # Data is newest first: the newest event takes the parcel state, older ones their word.
            status = state_status if i == 0 else WORD_STATUS.get(word, "in_transit")
            events.append(
                {
                    "occurred_at": when,
                    "description": (row.get("context") or "").strip() or word or "-",
                    "location": (row.get("areaName") or row.get("location") or "").strip(),
                    "status": status,
                }
            )
        return ParsedPush(company=company, number=number, events=events, finished=body.get("status") == "shutdown")

    def push_response(self, ok: bool, message: str = "") -> dict:
        if ok:
            return {"result": True, "returnCode": "200", "message": message or "成功"}
        return {"result": False, "returnCode": "500", "message": message or "失败"}
