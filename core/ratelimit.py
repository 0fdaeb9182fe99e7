"""Request rate limits on the shared cache (Redis in production, so every web process counts together).

A window opens at a key's first request and lasts ``window`` seconds; within it at most ``limit``
requests pass. The counter is one atomic increment (Redis ``INCR``, which keeps the key's expiry),
so concurrent requests never pass together beyond the limit.
"""

import logging
import math
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)


def hit(key: str, *, limit: int, window: int) -> int | None:
    """Count one request against ``key``: None while it is within ``limit`` per ``window`` seconds,
    else the whole seconds until the window ends (for ``Retry-After``). ``limit`` 0 turns it off.

    When the cache cannot be reached the request passes (logged): a limiter must not take the
    service down with it."""
    if limit <= 0:
        return None
    counter, opened = f"ratelimit:{key}", f"ratelimit:{key}:opened"
    try:
        # the opening time is written after the counter, so the window it tells of never ends
        # before the counter expires (Retry-After is never too short)
        if cache.add(counter, 0, timeout=window):
            cache.set(opened, time.time(), timeout=window)
        try:
            count = cache.incr(counter)
        except ValueError:  # the window closed between add and incr: this request opens the next
            cache.set(counter, 1, timeout=window)
            cache.set(opened, time.time(), timeout=window)
            count = 1
        if count <= limit:
            return None
        started = cache.get(opened)
    except Exception:  # noqa: BLE001 — any cache failure: fail open, but say so
        logger.warning("rate limit not checked: the cache is unreachable", exc_info=True)
        return None
    now = time.time()
    return max(1, math.ceil((started if started is not None else now) + window - now))
