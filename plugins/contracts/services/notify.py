"""Messages about contracts, through the outbox (written in the transaction of the change)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from companies.models import CompanyMember, Role
from core.links import absolute
from core.outbox import payload
from core.outbox.services import enqueue
from plugins.contracts.models import Contract, SealGrant

TOPIC = "contract"


def signers(contract: Contract):
    """The people who may sign for the company (live grants); its admins when nobody may yet."""
    users = [
        g.user
        for g in SealGrant.objects.filter(company=contract.company, revoked_at__isnull=True).select_related("user")
    ]
    if users:
        return users
    return [
        m.user
        for m in CompanyMember.objects.filter(company=contract.company, is_active=True, role=Role.ADMIN).select_related(
            "user"
        )
    ]


def _mail(contract: Contract, user, *, event: str, occurrence: str, subject: str, body: str) -> None:
    if not user.email:
        return
    enqueue(
        dedup_key=f"contract:{contract.number}:{event}:{occurrence}:{user.pk}",
        topic=f"{TOPIC}.{event}",
        channel="email",
        recipient=user.email,
        payload={"subject": payload.text(subject), "body": payload.text(body)},
        reference=contract.number,
        subject=contract,
    )


def sent(contract: Contract, *, occurrence: str) -> None:
    """Ask the company's signers to read and sign (again on every resend/re-issue: ``occurrence``)."""
    link = absolute(reverse("contracts:detail", args=[contract.number]))
    with translation.override(settings.LANGUAGE_CODE):
        for user in signers(contract):
            _mail(
                contract,
                user,
                event="sent",
                occurrence=occurrence,
                subject=_("Contract %(number)s is ready for signing") % {"number": contract.number},
                body=_(
                    "%(kind)s %(number)s between %(company)s and %(platform)s, total ¥%(total)s, waits for your "
                    "signature.\n\nRead and sign it here:\n%(link)s"
                )
                % {
                    "kind": contract.get_kind_display(),
                    "number": contract.number,
                    "company": contract.company.legal_name,
                    "platform": settings.PLATFORM_LEGAL["legal_name"],
                    "total": f"{contract.total:,.2f}",
                    "link": link,
                },
            )


def seal_approval_needed(contract: Contract, requester) -> None:
    link = absolute(reverse("contracts:detail", args=[contract.number]))
    with translation.override(settings.LANGUAGE_CODE):
        approvers = (
            CompanyMember.objects.filter(company=contract.company, is_active=True, role__in=(Role.APPROVER, Role.ADMIN))
            .exclude(user=requester)
            .select_related("user")
        )
        for member in approvers:
            _mail(
                contract,
                member.user,
                event="seal-approval",
                occurrence=str(requester.pk),
                subject=_("Approve the use of the seal for contract %(number)s") % {"number": contract.number},
                body=_("%(person)s asks to sign contract %(number)s (¥%(total)s) above their limit.\n\n%(link)s")
                % {
                    "person": requester.get_full_name() or requester.email,
                    "number": contract.number,
                    "total": f"{contract.total:,.2f}",
                    "link": link,
                },
            )


def renewal_due(contract: Contract, *, days_left: int) -> None:
    link = absolute(reverse("contracts:detail", args=[contract.number]))
    with translation.override(settings.LANGUAGE_CODE):
        for member in CompanyMember.objects.filter(
            company=contract.company, is_active=True, role=Role.ADMIN
        ).select_related("user"):
            _mail(
                contract,
                member.user,
                event="renewal-due",
                occurrence=str(contract.valid_until),
                subject=_("Framework agreement %(number)s ends on %(date)s")
                % {"number": contract.number, "date": contract.valid_until},
                body=_("%(days)s days are left. The platform will send a renewal for signing.\n\n%(link)s")
                % {"days": days_left, "link": link},
            )
