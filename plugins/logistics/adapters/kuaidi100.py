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


#: a real push carries a few dozen events; anything far larger is refused before it is parsed
MAX_PARAM = 256 * 1024
#: carrier codes and tracking numbers are short (the columns hold 30 and 40 characters)
MAX_CODE = 64


def _text(row: dict, key: str, where: str, *, required: bool = False, limit: int | None = None) -> str:
    """A text field of the push: a string (or absent, unless required), without NUL, within limit."""
    value = row.get(key)
    if value is None or value == "":
        if required:
            raise PushRejected(f"{where}.{key}: missing")
        return ""
    if not isinstance(value, str):
        raise PushRejected(f"{where}.{key}: must be text")
    if "\x00" in value:
        raise PushRejected(f"{where}.{key}: contains a NUL character")
    if limit is not None and len(value) > limit:
        raise PushRejected(f"{where}.{key}: longer than {limit} characters")
    return value


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
        # as bytes: compare_digest refuses non-ASCII str, and a forged signature may be anything
        return hmac.compare_digest(sign(param, self.salt).encode(), signature.strip().upper().encode("utf-8"))

    def parse_push(self, data: dict) -> ParsedPush:
        """Check the signature and turn the push into events; PushRejected when it is bad.

        A validly signed push is still checked field by field (Kuaidi100 or whoever holds the salt
        may send anything): ``param`` a JSON object no larger than MAX_PARAM, ``lastResult`` an
        object with text ``com`` and ``nu``, ``data`` a list of objects whose texts are strings
        without NUL and whose ``ftime``/``time`` is "YYYY-mm-dd HH:MM:SS"."""
        param = data.get("param") or ""
        if not self.verify(param, data.get("sign") or ""):
            raise PushRejected("bad signature")
        if len(param) > MAX_PARAM:
            raise PushRejected(f"param: longer than {MAX_PARAM} characters")
        try:
            body = json.loads(param)
        except (ValueError, RecursionError) as exc:
            raise PushRejected(f"param: not JSON ({exc.__class__.__name__})") from exc
        last = body.get("lastResult") if isinstance(body, dict) else None
        if not isinstance(last, dict):
            raise PushRejected("param.lastResult: must be an object")
        company = _text(last, "com", "param.lastResult", required=True, limit=MAX_CODE)
        number = _text(last, "nu", "param.lastResult", required=True, limit=MAX_CODE)
        rows = last.get("data")
        rows = [] if rows is None else rows
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise PushRejected("param.lastResult.data: must be a list of objects")
        state_status = STATE_STATUS.get(str(last.get("state", "")), "in_transit")
        events = []
        for i, row in enumerate(rows):
            where = f"param.lastResult.data[{i}]"
            stamp = _text(row, "ftime", where) or _text(row, "time", where, required=True)
            try:
                when = datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S").replace(tzinfo=CHINA)
            except ValueError as exc:
                raise PushRejected(f"{where}.ftime: not a time YYYY-mm-dd HH:MM:SS") from exc
            if not 2000 <= when.year <= 2100:
                raise PushRejected(f"{where}.ftime: {stamp} is not a plausible time")
            word = _text(row, "status", where).strip()
            # Data is newest first: the newest event takes the parcel state, older ones their word.
            status = state_status if i == 0 else WORD_STATUS.get(word, "in_transit")
            events.append(
                {
                    "occurred_at": when,
                    "description": _text(row, "context", where).strip() or word or "-",
                    "location": (_text(row, "areaName", where) or _text(row, "location", where)).strip(),
                    "status": status,
                }
            )
        return ParsedPush(company=company, number=number, events=events, finished=body.get("status") == "shutdown")

    def push_response(self, ok: bool, message: str = "") -> dict:
        if ok:
            return {"result": True, "returnCode": "200", "message": message or "成功"}
        return {"result": False, "returnCode": "500", "message": message or "失败"}
