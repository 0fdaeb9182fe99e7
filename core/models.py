from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.outbox.models import OutboxAttempt, OutboxMessage  # noqa: F401  the outbox tables are core's


class ApiToken(models.Model):
    """A per-user token for machine clients of the GraphQL API.

    Only a SHA-256 digest of the secret is stored; the full token is shown once, when
    it is issued. The prefix identifies a token in lists without revealing it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class TransitionLog(models.Model):
    """Audit row of a state machine transition (core.statemachine): who, when, from, to, why."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    machine = models.CharField(_("process"), max_length=64)
    from_state = models.CharField(_("from"), max_length=32, blank=True)
    to_state = models.CharField(_("to"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    via = models.CharField(max_length=16, default="system")
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("time"))

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")

    def __str__(self) -> str:
        return f"{self.machine} {self.object_id}: {self.from_state} → {self.to_state}"
