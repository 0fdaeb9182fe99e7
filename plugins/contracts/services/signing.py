"""Signing: the buyer's authorised person signs with a one-time code and an event certificate,
the platform countersigns, and the contract takes effect with its evidence chain timestamped.

The buyer's signature (电子签名法 Art. 13): after the code is verified the platform CA issues a
one-use EC P-256 certificate for that person (O = company, CN = person, organizationIdentifier
NTRCN-<USCC>); the key exists only in this process for this one signature and is dropped after
it; the certificate's serial goes into the evidence chain. The PDF signed is exactly the
revision whose SHA-256 the code was bound to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from core.links import absolute
from plugins.contracts import lifecycle
from plugins.contracts.lifecycle import MACHINE
from plugins.contracts.models import Contract, DocumentStage, EvidenceKind, Kind, State
from plugins.contracts.pdf.pki import PKIMissing, certificate_serial_hex, issue_event_certificate, platform_identity
from plugins.contracts.pdf.signing import SigningFailed, Stamp, archive, seal_digest, sign, timestamper
from plugins.contracts.services import codes, documents, evidence, seals
from plugins.contracts.services.evidence import SYSTEM, Origin

VIA_STOREFRONT, VIA_BACK_OFFICE = "storefront", "back office"


def _error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def in_chinese(message: str) -> str:
    """What a signature states (stamp lines, reason) is part of a Chinese document, whatever
    language the signer reads the site in."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(message)


def beijing(now) -> str:
    return timezone.localtime(now).strftime("%Y-%m-%d %H:%M:%S") + " (UTC+8)"


def verify_link(contract: Contract) -> str:
    return absolute(reverse("contracts:verify") + f"?number={contract.number}")


def signing_refusal(contract: Contract, user) -> str | None:
    """Why ``user`` cannot sign ``contract`` now (state, rights, amount cap), or None."""
    if contract.state == State.BUYER_SIGNED or contract.buyer_signed_at is not None:
        return _("This contract has already been signed.")
    if contract.state == State.VOIDED:
        return _("This contract was voided and can no longer be signed.")
    if contract.kind == Kind.FRAMEWORK and contract.valid_until and contract.valid_until < timezone.localdate():
        return _("This agreement's term has ended; it can no longer be signed.")
    if contract.state not in lifecycle.SIGNABLE:
        return _("This contract is “%(state)s” and cannot be signed.") % {"state": contract.get_state_display()}
    return seals.signing_refusal(
        user, contract.company, contract.total, seal_approved=contract.seal_approved_at is not None
    )


def _check_current(contract: Contract, document_sha256: str):
    document = documents.current(contract)
    if document is None or document.stage != DocumentStage.PREPARED or document.sha256 != document_sha256:
        raise _error(
            "document",
            _("The contract changed since you opened it. Read the current version before signing."),
            "document_changed",
        )
    return document


def request_code(*, contract: Contract, user, document_sha256: str, origin: Origin, now=None):
    """Send ``user`` a code bound to this revision, once they have read it to the end."""
    now = now or timezone.now()
    refusal = signing_refusal(contract, user)
    if refusal:
        raise _error("contract", refusal, "not_signable")
    _check_current(contract, document_sha256)
    if not contract.read_to_end:
        raise _error("contract", _("Read the contract to its end before asking for a code."), "not_read")
    if not user.email:
        raise _error("contract", _("Your account has no e-mail address to send the code to."), "no_email")
    with transaction.atomic():
        row = codes.issue(contract=contract, user=user, document_sha256=document_sha256, now=now)
        evidence.record(
            contract,
            EvidenceKind.CODE_SENT,
            origin=origin,
            document_sha256=document_sha256,
            detail={"channel": row.channel, "to": _masked(user.email)},
            now=now,
        )
    return row


def _masked(email: str) -> str:
    name, _at, domain = email.partition("@")
    return f"{name[:2]}***@{domain}"


def approve_seal(*, contract: Contract, approver, origin: Origin, now=None) -> Contract:
    """用印审批: the company's approver allows a signature above the signer's cap."""
    now = now or timezone.now()
    if not seals.may_approve_seal(approver, contract.company):
        raise _error(
            "contract", _("Only the company's approvers and administrators approve the use of the seal."), "forbidden"
        )
    if contract.state not in lifecycle.SIGNABLE:
        raise _error("contract", _("Only a contract waiting for signature needs this approval."), "not_signable")
    with transaction.atomic():
        updated = Contract.objects.filter(pk=contract.pk, seal_approved_at__isnull=True).update(
            seal_approved_by=approver, seal_approved_at=now
        )
        if updated:
            evidence.record(
                contract, EvidenceKind.SEAL_APPROVED, origin=origin, detail={"total": str(contract.total)}, now=now
            )
    contract.refresh_from_db()
    return contract


def request_seal_approval(*, contract: Contract, user) -> None:
    from plugins.contracts.services import notify

    with transaction.atomic():
        notify.seal_approval_needed(contract, user)


def sign_as_buyer(*, contract: Contract, user, code: str, document_sha256: str, origin: Origin, now=None) -> Contract:
    """Verify the code (a wrong one raises ``codes.CodeRejected`` after saving the attempt —
    call this outside a savepoint that would undo it), then sign the exact revision shown."""
    now = now or timezone.now()
    refusal = signing_refusal(contract, user)
    if refusal:
        raise _error("contract", refusal, "not_signable")
    _check_current(contract, document_sha256)
    try:
        codes.check(contract=contract, user=user, code=code, document_sha256=document_sha256, now=now)
    except codes.CodeRejected as exc:
        evidence.record(
            contract,
            EvidenceKind.CODE_FAILED,
            origin=origin,
            document_sha256=document_sha256,
            detail={"reason": exc.error_dict["code"][0].code},
            now=now,
        )
        raise
    with transaction.atomic():
        evidence.record(contract, EvidenceKind.CODE_VERIFIED, origin=origin, document_sha256=document_sha256, now=now)
        return apply_buyer_signature(
            contract=contract, user=user, document_sha256=document_sha256, origin=origin, now=now
        )


def apply_buyer_signature(*, contract: Contract, user, document_sha256: str, origin: Origin, now=None) -> Contract:
    """The signature itself, once ``user`` was authenticated for this exact revision (a verified
    one-time code; the demo data say in the evidence that they signed without one)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        document = documents.current(locked)
        if locked.state != State.SENT or document.sha256 != document_sha256:
            raise _error("contract", _("This contract has already been signed."), "not_signable")
        company = locked.company
        identity = issue_event_certificate(
            person=user.get_full_name() or user.email, email=user.email, company=company.legal_name, uscc=company.uscc
        )
        serial = certificate_serial_hex(identity)
        stamp = Stamp(
            seal_png=seals.seal_png(company),
            lines=(
                company.legal_name,
                in_chinese(gettext_noop("Signer: %(name)s")) % {"name": user.get_full_name() or user.email},
                beijing(now),
            ),
            qr_url=verify_link(locked),
        )
        signed, level = sign(
            documents.read(document),
            field="buyer",
            identity=identity,
            stamp=stamp,
            reason=in_chinese(gettext_noop("Buyer signs contract %(number)s")) % {"number": locked.number},
            location=locked.signing_place,
            riding_seal=settings.CONTRACTS_RIDING_SEAL,  # 骑缝章: the company's seal across the pages' edge
        )
        del identity  # the one-use key is not kept anywhere
        stored = documents.store(locked, signed, stage=DocumentStage.BUYER_SIGNED, level=level)
        MACHINE.transition(
            locked,
            State.BUYER_SIGNED,
            actor=user,
            via=VIA_STOREFRONT,
            now=now,
            field_name="contract",
            changes={"buyer_signer": user},
        )
        evidence.record(
            locked,
            EvidenceKind.SIGNED,
            origin=origin,
            document_sha256=stored.sha256,
            detail={
                "certificate_serial": serial,
                "level": level,
                "signed_revision": document.revision,
                "read_seconds": locked.read_seconds,
                "read_to_end": locked.read_to_end,
            },
            now=now,
        )
    contract.refresh_from_db()
    return contract


def countersign(*, contract: Contract, by, origin: Origin = SYSTEM, now=None) -> Contract:
    """The platform's signature over the buyer's; the contract then takes effect."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        MACHINE.check(locked, State.COUNTERSIGNED, field_name="contract")
        document = documents.current(locked)
        identity = platform_identity()
        platform = settings.PLATFORM_LEGAL
        stamp = Stamp(
            seal_png=None,
            lines=(platform["legal_name"], in_chinese(gettext_noop("Countersigned by the platform")), beijing(now)),
            qr_url=verify_link(locked),
        )
        signed, level = sign(
            documents.read(document),
            field="platform",
            identity=identity,
            stamp=stamp,
            reason=in_chinese(gettext_noop("Platform countersigns contract %(number)s")) % {"number": locked.number},
            location=locked.signing_place,
        )
        stored = documents.store(locked, signed, stage=DocumentStage.COUNTERSIGNED, level=level)
        MACHINE.transition(locked, State.COUNTERSIGNED, actor=by, via=VIA_BACK_OFFICE, now=now, field_name="contract")
        evidence.record(
            locked,
            EvidenceKind.COUNTERSIGNED,
            origin=origin,
            document_sha256=stored.sha256,
            detail={"certificate_serial": certificate_serial_hex(identity), "level": level},
            now=now,
        )
        take_effect(locked, now=now)
    contract.refresh_from_db()
    return contract


def take_effect(contract: Contract, *, now) -> None:
    """countersigned → effective; the evidence chain's head is timestamped (or signed by the
    platform when no timestamping service is configured); what it amends or renews moves on."""
    MACHINE.transition(contract, State.EFFECTIVE, now=now, field_name="contract")
    head = evidence.record(
        contract, EvidenceKind.EFFECTIVE, document_sha256=documents.current(contract).sha256, now=now
    )
    token = seal_digest(bytes.fromhex(head.hash))
    Contract.objects.filter(pk=contract.pk).update(chain_head_timestamp=token)
    parent = contract.parent
    if parent is not None and parent.state in lifecycle.IN_FORCE:
        if contract.kind == Kind.SUPPLEMENT:
            MACHINE.transition(parent, State.AMENDED, now=now, reason=contract.number, field_name="contract")
            evidence.record(parent, EvidenceKind.AMENDED, detail={"supplement": contract.number}, now=now)
        elif contract.kind == Kind.FRAMEWORK and parent.valid_until and parent.valid_until < timezone.localdate(now):
            MACHINE.transition(parent, State.RENEWED, now=now, reason=contract.number, field_name="contract")
            evidence.record(parent, EvidenceKind.RENEWED, detail={"renewal": contract.number}, now=now)


@dataclass(frozen=True)
class BatchResult:
    signed: tuple[str, ...]
    failed: tuple[tuple[str, str], ...]


def countersign_batch(*, contracts: Iterable[Contract], by, origin: Origin = SYSTEM) -> BatchResult:
    """One confirmation, many contracts: each in its own transaction, so one failure (e.g. a
    contract voided meanwhile) stops nothing else and is reported with its reason."""
    signed, failed = [], []
    for contract in contracts:
        try:
            with transaction.atomic():
                countersign(contract=contract, by=by, origin=origin)
            signed.append(contract.number)
        except ValidationError as exc:
            failed.append((contract.number, " ".join(exc.messages)))
        except (SigningFailed, PKIMissing) as exc:  # e.g. the timestamping service is unreachable
            failed.append((contract.number, str(exc)))
    return BatchResult(tuple(signed), tuple(failed))


def archive_timestamp(*, contract: Contract, now=None) -> Contract:
    """B-LTA: a document timestamp over the signed PDF (and its validation data), as a new
    revision; repeated before the previous timestamp's certificate ages out."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        document = documents.current(locked)
        if document is None or document.stage not in (DocumentStage.COUNTERSIGNED, DocumentStage.ARCHIVED):
            raise _error("contract", _("Only a countersigned contract is archived."), "not_archivable")
        stored = documents.store(locked, archive(documents.read(document)), stage=DocumentStage.ARCHIVED, level="B-LTA")
        evidence.record(
            locked, EvidenceKind.ARCHIVED, document_sha256=stored.sha256, detail={"revision": stored.revision}, now=now
        )
    return locked


def archive_due(*, now=None) -> int:
    """Archive-timestamp the signed contracts whose last revision is older than
    CONTRACTS_ARCHIVE_EVERY_DAYS (none without a timestamping service). Returns how many."""
    if timestamper() is None:
        return 0
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CONTRACTS_ARCHIVE_EVERY_DAYS)
    done = 0
    signed = Contract.objects.filter(countersigned_at__isnull=False).exclude(state=State.VOIDED)
    for contract in signed.iterator():
        latest = documents.current(contract)
        if latest is not None and latest.created_at < cutoff:
            archive_timestamp(contract=contract, now=now)
            done += 1
    return done
