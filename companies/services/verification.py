"""A company's verification (企业认证) lifecycle, on the kernel's state machine: one door, every
step audited in core.TransitionLog (who, when, from, to, why).

==========  ==========================  ===============================================
from        to                          when
==========  ==========================  ===============================================
applied     verified                    an operator checked the licence and the details
applied     rejected (reason required)  the application is wrong; the applicant corrects it
rejected    applied                     the company's admin corrected and re-applied
verified    suspended (reason required) an operator stops the company (ordering on account too)
suspended   verified                    reinstated by an operator
==========  ==========================  ===============================================
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies.models import Company, CompanyStatus
from core.statemachine import StateMachine

S = CompanyStatus
VERIFICATION = StateMachine(
    name="company_verification",
    transitions={
        S.APPLIED: frozenset({S.VERIFIED, S.REJECTED}),
        S.REJECTED: frozenset({S.APPLIED}),
        S.VERIFIED: frozenset({S.SUSPENDED}),
        S.SUSPENDED: frozenset({S.VERIFIED}),
    },
    labels=dict(S.choices),
    subject=gettext_lazy("Company %(subject)s"),
    state_field="status",
    timestamps={S.VERIFIED: "verified_at"},
)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(_("Give a reason."), code="required")})
    return reason


def verify(company: Company, *, actor, reason: str = "", via: str = "web") -> Company:
    return VERIFICATION.transition(
        company, S.VERIFIED, actor=actor, via=via, reason=(reason or "").strip(), changes={"status_reason": ""}
    )


def reject(company: Company, *, actor, reason: str, via: str = "web") -> Company:
    reason = _reason(reason)
    return VERIFICATION.transition(
        company, S.REJECTED, actor=actor, via=via, reason=reason, changes={"status_reason": reason}
    )


def suspend(company: Company, *, actor, reason: str, via: str = "web") -> Company:
    reason = _reason(reason)
    return VERIFICATION.transition(
        company, S.SUSPENDED, actor=actor, via=via, reason=reason, changes={"status_reason": reason}
    )


def reinstate(company: Company, *, actor, reason: str = "", via: str = "web") -> Company:
    return VERIFICATION.transition(
        company, S.VERIFIED, actor=actor, via=via, reason=(reason or "").strip(), changes={"status_reason": ""}
    )


def reapply(company: Company, *, actor, changes: dict, now, via: str = "web") -> Company:
    """A rejected company's corrected application goes back into the queue."""
    return VERIFICATION.transition(
        company,
        S.APPLIED,
        actor=actor,
        via=via,
        reason=_("Corrected and re-applied"),
        now=now,
        changes={**changes, "status_reason": "", "applied_at": now},
    )
