"""The carrier-tracking adapter interface.

An adapter subscribes parcels at a tracking provider and turns the provider's pushes into
plain event dicts (occurred_at, description, location, status) for services.shipments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


class PushRejected(Exception):
    """A push that must not be applied (bad signature, malformed body): answered with an error."""


@dataclass
class SubscriptionResult:
    ok: bool
    message: str = ""
    retry: bool = False  # a transient failure worth retrying


@dataclass
class ParsedPush:
    company: str  # the provider's carrier code
    number: str  # tracking number
    events: list[dict] = field(default_factory=list)
    finished: bool = False  # the provider stops tracking this parcel


class TrackingAdapter(Protocol):
    name: str

    def subscribe(self, carrier_code: str, tracking_number: str, phone: str = "") -> SubscriptionResult: ...

    def parse_push(self, data: dict) -> ParsedPush: ...

    def push_response(self, ok: bool, message: str = "") -> dict: ...
