"""The kernel's own channels: ``email`` (recipient: an address) and ``notification`` (recipient:
a user id; Oscar's communication Notification, shown in the user's inbox). Payload of both:
``{"subject": …, "body": …}``."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from oscar.core.loading import get_model

from core.digits import digits
from core.outbox.registry import Deliverer, Outcome


class Email(Deliverer):
    concurrent = True  # SMTP only, no database

    def send(self, message, context, session):
        try:
            send_mail(
                message.payload.get("subject", ""),
                message.payload.get("body", ""),
                settings.DEFAULT_FROM_EMAIL,
                [message.recipient],
            )
        except Exception as exc:  # SMTP errors of any kind are retried
            return Outcome.failed(f"{type(exc).__name__}: {exc}", retry=True)
        return Outcome(ok=True)


class Notification(Deliverer):
    """Writes rows in our own database, so the whole batch is written by one statement in the
    worker's thread."""

    concurrent = False

    def send_batch(self, messages, contexts, session):
        Notification = get_model("communication", "Notification")
        ids = {int(m.recipient) for m in messages if digits(m.recipient) == m.recipient}
        users = set(get_user_model().objects.filter(pk__in=ids).values_list("pk", flat=True))
        outcomes, rows = {}, []
        for m in messages:
            if digits(m.recipient) != m.recipient or int(m.recipient) not in users:
                outcomes[m.pk] = Outcome.failed("The recipient no longer exists", retry=False)
                continue
            rows.append(
                Notification(
                    recipient_id=int(m.recipient),
                    subject=m.payload.get("subject", "")[:255],
                    body=m.payload.get("body", ""),
                )
            )
            outcomes[m.pk] = Outcome(ok=True)
        Notification.objects.bulk_create(rows)
        return outcomes

    def send(self, message, context, session):
        return self.send_batch([message], {}, session)[message.pk]
