"""Purchase approval's messages: e-mails through the kernel's outbox (written in the caller's
transaction, delivered by the worker), each approver's with a signed link to the request.

A link carries the request and the approver it was sent to, signed with ``django.core.signing``
and valid for the hold time (COMPANY_APPROVAL_HOLD_HOURS). It only opens the request's page:
that page still asks for a login, as an active member of the company with the step's role.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from companies.approvals.models import ApprovalRequest, ApprovalStep
from companies.models import CompanyMember, Role
from core.links import absolute
from core.outbox import payload
from core.outbox.services import enqueue

SALT = "companies.approval-link"
TOPIC_WAITING = "companies.approval.waiting"
TOPIC_OUTCOME = "companies.approval.outcome"
TOPIC_CANCELLED = "companies.approval.cancelled"


def max_age() -> int:
    return settings.COMPANY_APPROVAL_HOLD_HOURS * 3600


def link_token(request: ApprovalRequest, user) -> str:
    return signing.dumps({"r": request.number, "u": user.pk}, salt=SALT)


def read_token(token: str) -> dict:
    """The link's contents; ``signing.SignatureExpired`` or ``signing.BadSignature`` otherwise."""
    return signing.loads(token, salt=SALT, max_age=max_age())


def approvers(request: ApprovalRequest, step: ApprovalStep):
    """Who may decide ``step``: the company's active people with its role, and its admins —
    never the buyer."""
    return (
        CompanyMember.objects.filter(company_id=request.company_id, is_active=True, role__in={step.role, Role.ADMIN})
        .exclude(user_id=request.buyer_id)
        .select_related("user")
        .order_by("pk")
    )


def _summary(request: ApprovalRequest) -> str:
    lines = "\n".join(
        f"  {line['sku']} {line['title']} × {line['quantity']}  ¥{line['line_price_incl_tax']}"
        for line in request.lines
    )
    return _("Request %(number)s by %(buyer)s\n%(lines)s\nFreight: ¥%(freight)s\nOrder total: ¥%(total)s") % {
        "number": request.number,
        "buyer": request.buyer.get_full_name() or request.buyer.email,
        "lines": lines,
        "freight": request.freight_incl_tax,
        "total": request.total_incl_tax,
    }


def step_waiting(request: ApprovalRequest, step: ApprovalStep) -> int:
    """E-mail the approvers of ``step`` (once each)."""
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for member in approvers(request, step):
            if not member.user.email:
                continue
            link = absolute(reverse("companies:approval-link", args=[link_token(request, member.user)]))
            body = _(
                "%(summary)s\n\nWhy it needs your approval:\n%(reasons)s\n\n"
                "Approve or reject it by %(expires)s:\n%(link)s\n"
                "(The link opens the request once you are signed in.)"
            ) % {
                "summary": _summary(request),
                "reasons": "\n".join(f"  {reason}" for reason in step.reasons),
                "expires": timezone.localtime(request.expires_at).strftime("%Y-%m-%d %H:%M"),
                "link": link,
            }
            enqueue(
                dedup_key=f"approval:{request.number}:step:{step.position}:{member.user_id}",
                topic=TOPIC_WAITING,
                channel="email",
                recipient=member.user.email,
                payload={
                    "subject": payload.text(
                        _("Purchase %(number)s waits for your approval") % {"number": request.number}
                    ),
                    "body": payload.text(body),
                },
                reference=request.number,
                subject=request,
            )
            sent += 1
    return sent


def outcome(request: ApprovalRequest) -> None:
    """Tell the buyer how their request ended."""
    if not request.buyer.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        status = request.get_status_display()
        body = _("%(summary)s\n\nStatus: %(status)s\n%(reason)s\n%(link)s") % {
            "summary": _summary(request),
            "status": status,
            "reason": request.reason,
            "link": absolute(reverse("companies:approval-detail", args=[request.number])),
        }
        enqueue(
            dedup_key=f"approval:{request.number}:outcome:{request.status}",
            topic=TOPIC_OUTCOME,
            channel="email",
            recipient=request.buyer.email,
            payload={
                "subject": payload.text(
                    _("Purchase %(number)s: %(status)s") % {"number": request.number, "status": status}
                ),
                "body": payload.text(body),
            },
            reference=request.number,
            subject=request,
        )


def cancelled_for_deactivation(request: ApprovalRequest, admins) -> None:
    """Tell the company's admins that a deactivated buyer's request was cancelled."""
    with translation.override(settings.LANGUAGE_CODE):
        for member in admins:
            if not member.user.email:
                continue
            enqueue(
                dedup_key=f"approval:{request.number}:cancelled:{member.user_id}",
                topic=TOPIC_CANCELLED,
                channel="email",
                recipient=member.user.email,
                payload={
                    "subject": payload.text(_("Purchase %(number)s was cancelled") % {"number": request.number}),
                    "body": payload.text(
                        _("%(summary)s\n\n%(reason)s\nThe goods are back in the buyer's basket.")
                        % {"summary": _summary(request), "reason": request.reason}
                    ),
                },
                reference=request.number,
                subject=request,
            )
