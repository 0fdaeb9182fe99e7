"""Deliverers: how a message of each channel is sent, registered by channel name.

The kernel registers ``email`` and ``notification`` (on CoreConfig); a plugin registers its own
channels on its AppConfig (``core.plugins.PluginAppConfig.outbox_deliverers``)::

    class S2B2BOrdersConfig(PluginAppConfig):
        outbox_deliverers = {"webhook": "plugins.s2b2b_orders.services.outbox.SupplierWebhook"}

A registered path names a ``Deliverer`` subclass (instantiated once per process), an
instance, or a plain function ``fn(message) -> Outcome`` (run in the worker's own thread).

The worker (core.outbox.worker) calls, for each claimed batch and outside any transaction:

1. ``unavailable()`` — a reason when the channel cannot send at all now (e.g. not configured):
   its messages are not claimed and wait, untouched, with the reason as their last error;
2. ``prepare(messages)`` in the worker's thread: what the batch needs from the database, in one
   or two queries (e.g. each supplier's *current* webhook URL and secret) → {message id: context};
3. ``send(message, context, session)`` — one try; in the worker's thread pool when
   ``concurrent`` is true (then it must not touch the database), else in the worker's thread
   through ``send_batch``. ``session`` is the pool thread's ``requests.Session`` (kept alive
   between batches, so connections are reused).

``send`` returns an ``Outcome``: ok, or failed with ``retry`` (5xx, 408/429, network errors,
time-outs: tried again after a backoff) or without (4xx, a recipient that no longer exists:
dead-lettered at once).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.module_loading import import_string

if TYPE_CHECKING:
    import requests

    from core.outbox.models import OutboxMessage


@dataclass
class Outcome:
    ok: bool
    retry: bool = False
    status_code: int | None = None
    response_body: str = ""
    error: str = ""

    @classmethod
    def failed(cls, error: str, *, retry: bool) -> Outcome:
        return cls(ok=False, retry=retry, error=error[:2000])


class Deliverer:
    #: send() touches no database and may run in the worker's thread pool
    concurrent: bool = True

    def unavailable(self) -> str:
        return ""

    def prepare(self, messages: list[OutboxMessage]) -> Mapping[int, Any]:
        return {}

    def send(self, message: OutboxMessage, context: Any, session: requests.Session) -> Outcome:
        raise NotImplementedError

    def send_batch(
        self, messages: list[OutboxMessage], contexts: Mapping[int, Any], session: requests.Session
    ) -> dict[int, Outcome]:
        """The non-concurrent path: every message of the batch, in the worker's thread."""
        return {m.pk: self.send(m, contexts.get(m.pk), session) for m in messages}

    def describe(self, message: OutboxMessage) -> str:
        """Where the message goes if sent now, for the back office (one message: queries are fine)."""
        return message.recipient


class FunctionDeliverer(Deliverer):
    """A plain ``fn(message) -> Outcome``: may do anything, so it runs in the worker's thread."""

    concurrent = False

    def __init__(self, fn: Callable[[OutboxMessage], Outcome]):
        self.fn = fn

    def send(self, message, context, session):
        return self.fn(message)


def load(target: str | Deliverer | type | Callable) -> Deliverer:
    obj = import_string(target) if isinstance(target, str) else target
    if isinstance(obj, Deliverer):
        return obj
    if isinstance(obj, type) and issubclass(obj, Deliverer):
        return obj()
    if callable(obj):
        return FunctionDeliverer(obj)
    raise TypeError(f"not a deliverer: {target!r}")


_cache: dict[str, Deliverer] | None = None


def deliverers() -> dict[str, Deliverer]:
    """channel → deliverer, from every installed plugin app (loaded once per process)."""
    global _cache
    if _cache is None:
        from core.plugins import outbox_deliverers

        _cache = {channel: load(path) for channel, path in outbox_deliverers().items()}
    return _cache


def resolve(overrides: Mapping[str, Deliverer | str | Callable] | None = None) -> dict[str, Deliverer]:
    found = dict(deliverers())
    for channel, target in (overrides or {}).items():
        found[channel] = load(target)
    return found


def channels() -> Iterable[str]:
    return sorted(deliverers())


def reset() -> None:
    """Forget the loaded deliverers (tests that change the installed apps)."""
    global _cache
    _cache = None
