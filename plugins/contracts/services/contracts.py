"""Making contracts and moving them through their life (see ``lifecycle``).

Every function here writes; each is transactional, records its evidence and audits its state
change through the state machine. Signing and countersigning live in ``services.signing``.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Company
from plugins.contracts import lifecycle
from plugins.contracts.hooks import forget_gated_companies
from plugins.contracts.lifecycle import MACHINE
from plugins.contracts.models import (
    Comment,
    CompanyContractPolicy,
    Contract,
    EvidenceKind,
    Kind,
    Policy,
    State,
)
from plugins.contracts.rendering import render_body
from plugins.contracts.services import documents, evidence, notify
from plugins.contracts.services.evidence import SYSTEM, Origin
from plugins.contracts.services.templates import published_version
from plugins.contracts.snapshot import (
    contract_number,
    framework_snapshot,
    sales_snapshot,
    supplement_snapshot,
)

VIA_BACK_OFFICE, VIA_STOREFRONT, VIA_API = "back office", "storefront", "api"


def _error(field: str, message: str, code: str = "invalid") -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


# -- policy -----------------------------------------------------------------------------------


def policy_of(company: Company) -> CompanyContractPolicy:
    return CompanyContractPolicy.objects.filter(company=company).first() or CompanyContractPolicy(company=company)


def set_policy(*, company: Company, policy: str, framework_required_for_credit: bool, by) -> CompanyContractPolicy:
    if policy not in Policy.values:
        raise _error("policy", _("Choose one of the contract policies."))
    row, _created = CompanyContractPolicy.objects.update_or_create(
        company=company,
        defaults={"policy": policy, "framework_required_for_credit": framework_required_for_credit, "updated_by": by},
    )
    forget_gated_companies()
    return row


def framework_in_force(company: Company, *, today: date | None = None) -> Contract | None:
    today = today or timezone.localdate()
    return (
        Contract.objects.filter(company=company, kind=Kind.FRAMEWORK, state__in=lifecycle.IN_FORCE)
        .filter(valid_from__lte=today, valid_until__gte=today)
        .order_by("-valid_until")
        .first()
    )


# -- making -----------------------------------------------------------------------------------


def _make(*, kind: str, company: Company, snapshot_of, by, origin: Origin, now, **fields) -> Contract:
    """Number, snapshot (``snapshot_of(number)``), text from the published version, evidence."""
    version = published_version(kind)
    number = contract_number(kind, now)
    snapshot = snapshot_of(number)
    contract = Contract.objects.create(
        number=number,
        kind=kind,
        company=company,
        template_version=version,
        snapshot=snapshot,
        html=render_body(version, snapshot),
        total=Decimal(snapshot.get("totals", {}).get("incl_vat", "0.00")),
        total_uppercase=snapshot.get("total_uppercase", ""),
        stamp_duty=Decimal(snapshot.get("stamp_duty", "0.00")),
        signing_place=snapshot["contract"]["signing_place"],
        created_by=by if getattr(by, "is_authenticated", False) else None,
        **fields,
    )
    evidence.record(
        contract,
        EvidenceKind.CREATED,
        origin=origin,
        detail={"template": str(version), "total": str(contract.total)},
        now=now,
    )
    return contract


def create_sales_contract(*, order, by=None, origin: Origin = SYSTEM, now=None) -> Contract:
    """The 购销合同 of an order (one live one per order): a draft, rendered and sent by ``issue``."""
    now = now or timezone.now()
    if order.company_id is None:
        raise _error("order", _("Order %(number)s belongs to no company.") % {"number": order.number})
    existing = Contract.objects.filter(order=order, kind=Kind.SALES).exclude(state=State.VOIDED).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        return _make(
            kind=Kind.SALES,
            company=order.company,
            snapshot_of=lambda number: sales_snapshot(order, number=number, now=now),
            by=by,
            origin=origin,
            now=now,
            order=order,
        )


def create_framework(
    *,
    company: Company,
    by,
    valid_from: date | None = None,
    renews: Contract | None = None,
    origin: Origin = SYSTEM,
    now=None,
) -> Contract:
    """A 框架协议 for ``company`` running CONTRACTS_FRAMEWORK_MONTHS from ``valid_from``."""
    now = now or timezone.now()
    valid_from = valid_from or timezone.localdate(now)
    valid_until = valid_from + relativedelta(months=settings.CONTRACTS_FRAMEWORK_MONTHS) - timedelta(days=1)
    live = Contract.objects.filter(company=company, kind=Kind.FRAMEWORK).exclude(
        state__in=(State.VOIDED, State.EXPIRED, State.TERMINATED, State.RENEWED)
    )
    if renews is not None:
        live = live.exclude(pk=renews.pk)
    if live.filter(valid_until__gte=valid_from).exists():
        raise _error(
            "company",
            _("%(company)s already has a framework agreement for this period; renew or void it first.")
            % {"company": company.legal_name},
            "framework_exists",
        )
    with transaction.atomic():
        return _make(
            kind=Kind.FRAMEWORK,
            company=company,
            snapshot_of=lambda number: framework_snapshot(
                company, valid_from=valid_from, valid_until=valid_until, number=number, now=now
            ),
            by=by,
            origin=origin,
            now=now,
            parent=renews,
            valid_from=valid_from,
            valid_until=valid_until,
        )


def renew(*, contract: Contract, by, origin: Origin = SYSTEM, now=None) -> Contract:
    """The next framework agreement, starting the day after this one ends; this one becomes
    "renewed" when the new one takes effect."""
    if contract.kind != Kind.FRAMEWORK or contract.state not in lifecycle.IN_FORCE:
        raise _error("contract", _("Only a framework agreement in force can be renewed."), "not_renewable")
    if contract.children.filter(kind=Kind.FRAMEWORK).exclude(state=State.VOIDED).exists():
        raise _error("contract", _("A renewal of this agreement already exists."), "renewal_exists")
    return create_framework(
        company=contract.company,
        by=by,
        valid_from=contract.valid_until + timedelta(days=1),
        renews=contract,
        origin=origin,
        now=now,
    )


def create_supplement(*, contract: Contract, reason: str, by=None, origin: Origin = SYSTEM, now=None) -> Contract:
    """A draft 补充协议 recording how the order differs from the signed contract (never an edit of it)."""
    now = now or timezone.now()
    if contract.kind != Kind.SALES or contract.order_id is None:
        raise _error("contract", _("Supplementary agreements amend sales contracts."), "not_amendable")
    with transaction.atomic():
        return _make(
            kind=Kind.SUPPLEMENT,
            company=contract.company,
            snapshot_of=lambda number: {
                **supplement_snapshot(contract, contract.order, number=number, now=now),
                "reason": reason,
            },
            by=by,
            origin=origin,
            now=now,
            order=contract.order,
            parent=contract,
        )


# -- issuing ----------------------------------------------------------------------------------


def issue(*, contract: Contract, by=None, origin: Origin = SYSTEM, via: str = VIA_BACK_OFFICE, now=None) -> Contract:
    """Render the PDF the buyer will read and sign, and send it (draft or negotiating → sent)."""
    now = now or timezone.now()
    MACHINE.check(contract, State.SENT, field_name="contract")
    with transaction.atomic():
        document = documents.render_for_signing(contract)
        MACHINE.transition(contract, State.SENT, actor=by, via=via, now=now, field_name="contract")
        evidence.record(
            contract,
            EvidenceKind.SENT,
            origin=origin,
            document_sha256=document.sha256,
            detail={"revision": document.revision},
            now=now,
        )
        notify.sent(contract, occurrence=str(document.revision))
    return contract


def resend(*, contract: Contract, by, origin: Origin = SYSTEM, now=None) -> Contract:
    """Remind the signers of a sent contract (same PDF revision)."""
    if contract.state != State.SENT:
        raise _error("contract", _("Only a contract waiting for signature can be sent again."), "not_sent")
    document = documents.current(contract)
    with transaction.atomic():
        event = evidence.record(
            contract,
            EvidenceKind.SENT,
            origin=origin,
            document_sha256=document.sha256,
            detail={"resend": True},
            now=now,
        )
        notify.sent(contract, occurrence=f"{document.revision}-{event.seq}")
    return contract


def reissue(*, contract: Contract, by, origin: Origin = SYSTEM, now=None) -> Contract:
    """After the buyer's comments: take the order's and the parties' data and the published
    template as they are now, render a new revision and send it again (an unsigned contract only)."""
    now = now or timezone.now()
    if contract.state not in (State.NEGOTIATING, State.SENT):
        raise _error("contract", _("Only an unsigned contract can be re-issued."), "not_reissuable")
    with transaction.atomic():
        number = contract.number
        if contract.kind == Kind.SALES:
            snapshot = sales_snapshot(contract.order, number=number, now=now)
        elif contract.kind == Kind.FRAMEWORK:
            snapshot = framework_snapshot(
                contract.company,
                valid_from=contract.valid_from,
                valid_until=contract.valid_until,
                number=number,
                now=now,
            )
        else:
            snapshot = {
                **supplement_snapshot(contract.parent, contract.order, number=number, now=now),
                "reason": contract.snapshot.get("reason", ""),
            }
        version = published_version(contract.kind)
        Contract.objects.filter(pk=contract.pk).update(
            snapshot=snapshot,
            template_version=version,
            html=render_body(version, snapshot),
            total=snapshot.get("totals", {}).get("incl_vat", "0.00"),
            total_uppercase=snapshot.get("total_uppercase", ""),
            stamp_duty=snapshot.get("stamp_duty", "0.00"),
            read_seconds=0,
            read_to_end=False,
            seal_approved_by=None,
            seal_approved_at=None,
        )
        contract.refresh_from_db()
        if contract.state == State.SENT:  # a change of data while waiting: back through negotiation
            MACHINE.transition(
                contract, State.NEGOTIATING, actor=by, reason=_("Re-issued"), now=now, field_name="contract"
            )
        return issue(contract=contract, by=by, origin=origin, now=now)


def comment(*, contract: Contract, by, body: str, origin: Origin = SYSTEM, buyer: bool, now=None) -> Comment:
    """A comment on the contract; the buyer's comment on a sent contract opens negotiation."""
    body = (body or "").strip()
    if not body:
        raise _error("body", _("Write what should change."), "required")
    if contract.state in (State.VOIDED, State.TERMINATED, State.EXPIRED, State.RENEWED):
        raise _error("contract", _("This contract is closed."), "closed")
    with transaction.atomic():
        row = Comment.objects.create(contract=contract, author=by, body=body[:4000])
        evidence.record(contract, EvidenceKind.COMMENTED, origin=origin, detail={"comment": row.pk}, now=now)
        if buyer and contract.state == State.SENT:
            MACHINE.transition(
                contract,
                State.NEGOTIATING,
                actor=by,
                via=VIA_STOREFRONT,
                reason=body[:500],
                now=now,
                field_name="contract",
            )
    return row


def void(*, contract: Contract, by, reason: str, origin: Origin = SYSTEM, now=None) -> Contract:
    """Cancel a contract that is not in force yet (draft, sent, negotiated or signed by the buyer)."""
    return _end(
        contract, State.VOIDED, EvidenceKind.VOIDED, _("Say why the contract is voided."), by, reason, origin, now
    )


def terminate(*, contract: Contract, by, reason: str, origin: Origin = SYSTEM, now=None) -> Contract:
    """End a contract in force before its term (by agreement, or for breach)."""
    message = _("Say why the contract is terminated.")
    return _end(contract, State.TERMINATED, EvidenceKind.TERMINATED, message, by, reason, origin, now)


def _end(contract: Contract, state: str, kind: str, missing_reason: str, by, reason: str, origin: Origin, now):
    reason = (reason or "").strip()
    if not reason:
        raise _error("reason", missing_reason, "required")
    with transaction.atomic():
        MACHINE.transition(
            contract,
            state,
            actor=by,
            via=VIA_BACK_OFFICE,
            reason=reason,
            now=now,
            field_name="contract",
            changes={"state_reason": reason},
        )
        evidence.record(contract, kind, origin=origin, detail={"reason": reason}, now=now)
    return contract


def record_view(
    *, contract: Contract, origin: Origin, seconds: int = 0, reached_end: bool = False, now=None
) -> Contract:
    """The buyer opened or read the document: how long, and whether they reached its end."""
    seconds = max(0, min(int(seconds or 0), 24 * 3600))
    document = documents.current(contract)
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        locked.read_seconds += seconds
        locked.read_to_end = locked.read_to_end or bool(reached_end)
        locked.save(update_fields=["read_seconds", "read_to_end"])
        evidence.record(
            contract,
            EvidenceKind.VIEWED,
            origin=origin,
            document_sha256=document.sha256 if document else "",
            detail={"seconds": seconds, "reached_end": bool(reached_end)},
            now=now,
        )
    contract.read_seconds, contract.read_to_end = locked.read_seconds, locked.read_to_end
    return contract


def record_download(*, contract: Contract, document, origin: Origin, now=None) -> None:
    evidence.record(
        contract,
        EvidenceKind.DOWNLOADED,
        origin=origin,
        document_sha256=document.sha256,
        detail={"revision": document.revision, "stage": document.stage},
        now=now,
    )


# -- time -------------------------------------------------------------------------------------


def expire_due(*, today: date | None = None) -> int:
    """Framework agreements past their end date expire (their renewal, if signed, took over)."""
    today = today or timezone.localdate()
    done = 0
    for contract in Contract.objects.filter(kind=Kind.FRAMEWORK, state__in=lifecycle.IN_FORCE, valid_until__lt=today):
        renewal = contract.children.filter(kind=Kind.FRAMEWORK, state__in=lifecycle.IN_FORCE).first()
        with transaction.atomic():
            if renewal is not None:
                MACHINE.transition(contract, State.RENEWED, reason=renewal.number, field_name="contract")
                evidence.record(contract, EvidenceKind.RENEWED, detail={"renewal": renewal.number})
            else:
                MACHINE.transition(contract, State.EXPIRED, reason=_("Its term ended"), field_name="contract")
                evidence.record(contract, EvidenceKind.EXPIRED, detail={"valid_until": str(contract.valid_until)})
        done += 1
    return done


def remind_renewals(*, today: date | None = None) -> int:
    """E-mail the company admins when a framework agreement nears its end without a renewal
    (once per agreement and reminder day: 30, 7 and 1 days before, by default)."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.CONTRACTS_RENEWAL_REMINDER_DAYS)
    sent = 0
    due = Contract.objects.filter(
        kind=Kind.FRAMEWORK, state__in=lifecycle.IN_FORCE, valid_until__lte=horizon, valid_until__gte=today
    )
    for contract in due.select_related("company"):
        if contract.children.filter(kind=Kind.FRAMEWORK).exclude(state=State.VOIDED).exists():
            continue
        days_left = (contract.valid_until - today).days
        if days_left in {settings.CONTRACTS_RENEWAL_REMINDER_DAYS, 7, 1}:
            notify.renewal_due(contract, days_left=days_left)
            sent += 1
    return sent


# -- the order changed ------------------------------------------------------------------------


def order_changed(*, order, reason: str, now=None) -> Contract | None:
    """The order's goods or total changed (a supplier rejected its part, the order was cancelled):
    an unsigned contract is re-issued with the order as it is now; a signed one keeps its text and
    gets a draft supplementary agreement."""
    contract = Contract.objects.filter(order=order, kind=Kind.SALES).exclude(state=State.VOIDED).first()
    if contract is None:
        return None
    if contract.state in (State.DRAFT,):
        return None  # not rendered yet: ``issue`` reads the order as it is
    if contract.state in (State.SENT, State.NEGOTIATING):
        return reissue(contract=contract, by=None, now=now)
    if contract.state in (State.TERMINATED, State.EXPIRED, State.RENEWED):
        return None
    with transaction.atomic():
        # one open draft states the order as it is now: an older, unsent one is superseded
        for older in contract.children.filter(kind=Kind.SUPPLEMENT, state=State.DRAFT):
            void(contract=older, by=None, reason=_("Superseded by a later change of the order"), now=now)
        return create_supplement(contract=contract, reason=reason, now=now)
