"""Signed webhooks: the platform's one way of POSTing an event to a partner's system.

Each try is a ``POST`` of the JSON body ``{"event_id": …, **payload}`` (UTF-8, keys sorted) with

==========================  =====================================================================
header                      value
==========================  =====================================================================
``Content-Type``            ``application/json; charset=utf-8``
``X-S2B2B-Event-Id``        the message's UUID, the same on every retry: de-duplicate on it
``X-S2B2B-Event``           the topic, e.g. ``supplier_order.forwarded``
``X-S2B2B-Timestamp``       Unix seconds when this try was signed
``X-S2B2B-Signature``       hex HMAC-SHA256 with the partner's secret over ``"{timestamp}.{body}"``
==========================  =====================================================================

A receiver verifies the signature in constant time, **rejects a timestamp more than
``TIMESTAMP_TOLERANCE_SECONDS`` (300 s) away from its own clock** (a captured request replayed
later fails), and stores the event id so that a retry, a re-drive or a replay inside the window
changes nothing (``verify`` below does the first two). 2xx means stored; 4xx dead-letters the
message at once (nothing is retried); 5xx, 408, 429, time-outs and network errors are retried with
backoff. The URL and the secret are looked up when each try is sent (``endpoints``), so a retry or
an operator's re-drive goes to the partner's *current* URL with its current secret.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings

from core.outbox.registry import Deliverer, Outcome

TIMESTAMP_TOLERANCE_SECONDS = 300
RETRY_STATUSES = frozenset({408, 429})


def sign(secret: str, timestamp: str, body: str) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()


def verify(
    secret: str,
    timestamp: str,
    body: str,
    signature: str,
    *,
    tolerance: int = TIMESTAMP_TOLERANCE_SECONDS,
    now: float | None = None,
) -> bool:
    """What a receiver does: the timestamp is within ``tolerance`` seconds of now, and the
    signature matches (compared in constant time)."""
    try:
        age = abs((time.time() if now is None else now) - int(timestamp))
    except (TypeError, ValueError):
        return False
    return age <= tolerance and hmac.compare_digest(sign(secret, timestamp, body), signature)


@dataclass(frozen=True)
class Endpoint:
    url: str
    secret: str


class SignedWebhook(Deliverer):
    """Base of a webhook channel: a subclass says where each message goes now (``endpoints``)."""

    concurrent = True
    #: setting holding the time-out in seconds of one try
    timeout_setting = "OUTBOX_WEBHOOK_TIMEOUT"

    def endpoints(self, messages: list) -> Mapping[int, Endpoint | None]:
        """message id → the recipient's current endpoint (None: it no longer takes webhooks)."""
        raise NotImplementedError

    def timeout(self) -> float:
        return float(getattr(settings, self.timeout_setting, 5.0))

    def prepare(self, messages):
        timeout = self.timeout()
        return {pk: (endpoint, timeout) for pk, endpoint in self.endpoints(messages).items()}

    @staticmethod
    def body(message) -> str:
        return json.dumps({"event_id": str(message.event_id), **message.payload}, ensure_ascii=False, sort_keys=True)

    def send(self, message, context, session):
        endpoint, timeout = context or (None, 5.0)
        if endpoint is None or not endpoint.url:
            return Outcome.failed("The recipient has no webhook URL any more", retry=False)
        body = self.body(message)
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-S2B2B-Event-Id": str(message.event_id),
            "X-S2B2B-Event": message.topic,
            "X-S2B2B-Timestamp": timestamp,
            "X-S2B2B-Signature": sign(endpoint.secret, timestamp, body),
        }
        try:
            response = session.post(endpoint.url, data=body.encode(), headers=headers, timeout=timeout)
        except Exception as exc:  # requests' and urllib3's errors of any kind: retried
            return Outcome.failed(f"{type(exc).__name__}: {exc}", retry=True)
        # the receiver's answer as sent (no charset guessing: that costs more than the request)
        text = response.content[:4000].decode(response.encoding or "utf-8", errors="replace")
        if 200 <= response.status_code < 300:
            return Outcome(ok=True, status_code=response.status_code, response_body=text)
        return Outcome(
            ok=False,
            retry=response.status_code >= 500 or response.status_code in RETRY_STATUSES,
            status_code=response.status_code,
            response_body=text,
            error=f"HTTP {response.status_code}",
        )

    def describe(self, message) -> str:
        endpoint = self.endpoints([message]).get(message.pk)
        return endpoint.url if endpoint and endpoint.url else message.recipient
