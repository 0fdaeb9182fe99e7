"""The outbox tables: one row per message to send, one row per attempt to send it.

A message is written in the same transaction as the change that causes it (``enqueue``) and
moved through ``MACHINE`` by the worker (``core.outbox.worker``) and by operators (re-drive):

=========  ==========================================================================================
status     meaning
=========  ==========================================================================================
pending    waiting to be sent; ``next_attempt_at`` says from when (now, or after a backoff)
sending    claimed by a worker (``claim_token``, ``claimed_by``) until ``next_attempt_at``, the end
           of its lease; a worker that dies leaves it here, and the next claim after the lease
           records the interrupted attempt and sends it again
delivered  the recipient took it (for a webhook: answered 2xx)
dead       dead-lettered: refused (4xx), out of attempts, or no way left to reach the recipient;
           an operator may re-drive it (→ pending, with a fresh budget of attempts)
=========  ==========================================================================================

The attempt rows are the audit of the worker's moves (one per try: when, result, response, how
long; an interrupted try says so). Those moves are recorded in bulk for a whole batch, so they
write no ``core.TransitionLog`` row per message; an operator's re-drive does (who, when, why).
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.statemachine import StateMachine

#: tries before a message is dead-lettered (a re-drive grants as many again)
MAX_ATTEMPTS = 8


class Status(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    DELIVERED = "delivered", _("Sent")
    DEAD = "dead", _("Dead-lettered")


MACHINE = StateMachine(
    name="outbox",
    transitions={
        Status.PENDING: frozenset({Status.SENDING}),
        # sending → sending: a claim whose lease ran out is taken over by another worker
        Status.SENDING: frozenset({Status.DELIVERED, Status.PENDING, Status.DEAD, Status.SENDING}),
        Status.DEAD: frozenset({Status.PENDING}),
        Status.DELIVERED: frozenset(),
    },
    labels=dict(Status.choices),
    subject=_("Outbox message %(subject)s"),
    state_field="status",
    timestamps={Status.DELIVERED: "delivered_at"},
)

#: the states a worker looks at (both ordered by ``next_attempt_at``)
CLAIMABLE = (Status.PENDING, Status.SENDING)


class OutboxMessage(models.Model):
    """Something to send out, written in the same transaction as the change that causes it.

    What it is about is named generically — ``reference`` (a number people recognise, e.g. a
    supplier order number or a tracking number) and optionally the row itself (``content_type``
    + ``object_id``) and the ``partner`` concerned — so the kernel knows no plugin's models.
    ``recipient`` is a key the channel's deliverer resolves *when it sends* (a user id, an
    e-mail address, a partner id for a supplier's webhook), never a copy of an address that
    may change in the meantime.
    """

    event_id = models.UUIDField(_("Event id"), default=uuid.uuid4, unique=True, editable=False)
    #: one message per (subject, event, channel, recipient): a retried change never sends twice
    dedup_key = models.CharField(max_length=255, unique=True)
    topic = models.CharField(_("Event"), max_length=64)
    channel = models.CharField(_("Channel"), max_length=32)
    recipient = models.CharField(_("Recipient"), max_length=500)
    reference = models.CharField(_("Related to"), max_length=128, blank=True, db_index=True)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    partner = models.ForeignKey(
        "partner.Partner", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("Partner")
    )
    payload = models.JSONField(_("Payload"))
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    #: tries so far (an interrupted try counts): the number of attempt rows
    attempts = models.PositiveIntegerField(_("Attempts"), default=0)
    #: dead-lettered when ``attempts`` reaches this; a re-drive raises it by MAX_ATTEMPTS
    attempt_limit = models.PositiveIntegerField(default=MAX_ATTEMPTS)
    #: pending: due from then on; sending: the end of the claim's lease
    next_attempt_at = models.DateTimeField(_("Next attempt"))
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    claimed_by = models.CharField(max_length=100, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("Last error"), blank=True)
    created_at = models.DateTimeField(_("Created"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("Sent at"), null=True, blank=True)

    class Meta:
        app_label = "core"
        ordering = ("-created_at", "-id")
        verbose_name = _("Outbox message")
        verbose_name_plural = _("Outbox messages")
        indexes = [
            # the worker's claim: due rows in order; delivered and dead rows stay out of it
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=Q(status__in=CLAIMABLE),
                name="core_outbox_claimable",
            ),
            models.Index(fields=["status", "channel", "-created_at"], name="core_outbox_status_channel"),
            models.Index(fields=["content_type", "object_id"], name="core_outbox_subject"),
        ]

    def __str__(self):
        return f"{self.topic} → {self.channel}:{self.recipient}"

    @property
    def can_redrive(self) -> bool:
        return self.status in (Status.DEAD, Status.PENDING)


class OutboxAttempt(models.Model):
    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="attempt_log")
    attempted_at = models.DateTimeField(_("When"))
    ok = models.BooleanField(default=False)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    #: the worker that made the try (host:pid)
    worker = models.CharField(max_length=100, blank=True)

    class Meta:
        app_label = "core"
        ordering = ("attempted_at", "id")
        verbose_name = _("Outbox attempt")
        verbose_name_plural = _("Outbox attempts")

    def __str__(self):
        return f"{self.message_id} @ {self.attempted_at}"
