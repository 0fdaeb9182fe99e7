"""Messages about statements, through the outbox (written in the transaction of the change and
sent by the Celery worker that drains it)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.access import operator_users
from core.links import absolute
from core.outbox import payload
from core.outbox.services import enqueue
from plugins.finance.access import FINANCE_GROUP
from plugins.finance.models import Statement

TOPIC = "finance.statement"


def finance_team():
    """The operators who may resolve a dispute (the finance group, and superusers)."""
    return operator_users().filter(Q(is_superuser=True) | Q(groups__name=FINANCE_GROUP)).distinct()


def disputed(statement: Statement) -> int:
    """E-mail the finance team that ``statement`` was disputed (once per dispute and person)."""
    party = statement.company.legal_name if statement.company_id else statement.supplier.name
    link = absolute(reverse("finance-dashboard:statement-detail", args=[statement.number]))
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Statement %(number)s disputed by %(party)s") % {"number": statement.number, "party": party}
        body = _(
            "%(party)s disputed statement %(number)s (%(start)s – %(end)s):\n\n%(reason)s\n\n"
            "Resolve it in the back office:\n%(link)s"
        ) % {
            "party": party,
            "number": statement.number,
            "start": statement.period_start,
            "end": statement.period_end,
            "reason": statement.dispute_reason,
            "link": link,
        }
        for user in finance_team():
            if not user.email:
                continue
            enqueue(
                dedup_key=f"statement:{statement.number}:disputed:{statement.answered_at:%Y%m%d%H%M%S%f}:{user.pk}",
                topic=f"{TOPIC}.disputed",
                channel="email",
                recipient=user.email,
                payload={"subject": payload.text(subject), "body": payload.text(body)},
                reference=statement.number,
                subject=statement,
            )
            sent += 1
    return sent
