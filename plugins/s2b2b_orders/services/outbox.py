"""The supplier webhook channel of the kernel's outbox (core.outbox), and the names this
module has always offered its users (drain, redrive, sign, verify …), now the kernel's.

``webhook`` messages carry the supplier (``partner``) as their recipient key: the URL and the
signing secret are read from the supplier's profile when each try is sent, so a retry or a
re-drive goes to the supplier's current URL. Signature, headers and the receiver's replay
window: core.outbox.webhook (README, "Webhook payload").
"""

from __future__ import annotations

from django.conf import settings

from core.outbox import MAX_ATTEMPTS, backoff, drain, enqueue, redrive, run
from core.outbox.webhook import TIMESTAMP_TOLERANCE_SECONDS, Endpoint, SignedWebhook, sign, verify
from plugins.s2b2b_orders.models import Channel, SupplierProfile

__all__ = [
    "MAX_ATTEMPTS",
    "TIMESTAMP_TOLERANCE_SECONDS",
    "SupplierWebhook",
    "backoff",
    "drain",
    "enqueue",
    "redrive",
    "run",
    "sign",
    "verify",
    "webhook_timeout",
]


def webhook_timeout() -> float:
    return float(getattr(settings, "S2B2B_WEBHOOK_TIMEOUT", 5.0))


class SupplierWebhook(SignedWebhook):
    """Registered as the ``webhook`` channel (S2B2BOrdersConfig.outbox_deliverers)."""

    timeout_setting = "S2B2B_WEBHOOK_TIMEOUT"

    def endpoints(self, messages):
        partner_ids = {m.partner_id for m in messages if m.partner_id}
        profiles = {
            p.partner_id: p
            for p in SupplierProfile.objects.filter(partner_id__in=partner_ids).only(
                "partner_id", "channel", "webhook_url", "webhook_secret"
            )
        }
        found = {}
        for m in messages:
            profile = profiles.get(m.partner_id)
            if profile is None or profile.channel != Channel.WEBHOOK or not profile.webhook_url:
                found[m.pk] = None
            else:
                found[m.pk] = Endpoint(profile.webhook_url, profile.webhook_secret)
        return found
