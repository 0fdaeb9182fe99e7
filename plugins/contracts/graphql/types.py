"""Contracts GraphQL types: a contract as its parties may read it (no IP addresses or browsers of
the evidence chain), its PDF revisions, comments and evidence; a verification result.

Lists are built from what the query prefetched (``with_related``), so a page of contracts costs the
same number of SQL queries whatever its size."""

from __future__ import annotations

import graphene
from django.urls import reverse

from core.access import is_operator
from plugins.contracts.models import Contract
from plugins.contracts.services import evidence as evidence_services


def with_related(queryset):
    """What the type reads, loaded once per page."""
    return queryset.select_related("company", "order", "parent", "template_version__template").prefetch_related(
        "documents", "comments__author", "evidence"
    )


def _documents(contract: Contract) -> list:
    return sorted(contract.documents.all(), key=lambda d: d.revision)


def _events(contract: Contract) -> list:
    return sorted(contract.evidence.all(), key=lambda e: e.seq)


def chain_check(contract: Contract) -> evidence_services.ChainCheck:
    """``services.evidence.check_chain`` over the prefetched records (no query of its own)."""
    events = _events(contract)
    prev, expected = evidence_services.GENESIS, 1
    for event in events:
        event.contract = contract
        if event.seq != expected or event.prev_hash != prev or evidence_services.record_hash(prev, event) != event.hash:
            # the wording of where and why is the service's
            return evidence_services.check_chain(contract)
        prev, expected = event.hash, expected + 1
    return evidence_services.ChainCheck(True, len(events), prev)


class ContractDocument(graphene.ObjectType):
    revision = graphene.Int(required=True)
    stage = graphene.String(required=True, description="prepared, buyer_signed, countersigned, archived")
    stage_label = graphene.String(required=True)
    sha256 = graphene.String(required=True)
    size = graphene.Int(required=True)
    level = graphene.String(required=True, description="PAdES level: B-B, B-T, B-LT, B-LTA; empty before signing")
    created_at = graphene.DateTime(required=True)
    download_path = graphene.String(
        required=True, description="Where the asker downloads this revision (signed in; the download is recorded)."
    )

    def resolve_stage_label(document, info):
        return str(document.get_stage_display())

    def resolve_download_path(document, info):
        name = "contracts-dashboard:contract-document" if is_operator(info.context.user) else "contracts:document"
        return reverse(name, args=[document.contract.number, document.revision])


class ContractComment(graphene.ObjectType):
    author = graphene.String(required=True)
    body = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)

    def resolve_author(comment, info):
        author = comment.author
        if author is None:
            return "—"
        return author.get_full_name() or author.email or author.get_username()


class EvidenceRecord(graphene.ObjectType):
    seq = graphene.Int(required=True)
    kind = graphene.String(required=True)
    kind_label = graphene.String(required=True)
    actor = graphene.String(required=True)
    document_sha256 = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    prev_hash = graphene.String(required=True)
    hash = graphene.String(required=True)

    def resolve_kind_label(event, info):
        return str(event.get_kind_display())

    def resolve_actor(event, info):
        return event.actor_label


class EvidenceCheck(graphene.ObjectType):
    ok = graphene.Boolean(required=True)
    records = graphene.Int(required=True)
    head = graphene.String(required=True)
    broken_at = graphene.Int(description="The first record that does not fit; null when the chain is intact.")
    problem = graphene.String(required=True)


class ContractType(graphene.ObjectType):
    class Meta:
        name = "Contract"

    number = graphene.String(required=True)
    kind = graphene.String(required=True, description="sales, framework, supplement")
    kind_label = graphene.String(required=True)
    state = graphene.String(required=True)
    state_label = graphene.String(required=True)
    state_reason = graphene.String(required=True)
    company_name = graphene.String(required=True)
    company_uscc = graphene.String(required=True)
    order_number = graphene.String()
    parent_number = graphene.String(description="The contract a supplement amends or a renewal renews.")
    total = graphene.Decimal(required=True)
    total_uppercase = graphene.String(required=True, description="人民币大写 (without 人民币)")
    stamp_duty = graphene.Decimal(required=True, description="Stamp duty estimate (0.3‰ of the amount ex VAT)")
    signing_place = graphene.String(required=True)
    valid_from = graphene.Date()
    valid_until = graphene.Date()
    created_at = graphene.DateTime(required=True)
    sent_at = graphene.DateTime()
    buyer_signed_at = graphene.DateTime()
    countersigned_at = graphene.DateTime()
    effective_at = graphene.DateTime()
    ended_at = graphene.DateTime()
    read_seconds = graphene.Int(required=True)
    read_to_end = graphene.Boolean(required=True)
    seal_approved = graphene.Boolean(required=True, description="用印审批 given by the company's approver")
    text = graphene.String(required=True, description="The contract's text (HTML) the PDF was made from.")
    current_document = graphene.Field(ContractDocument, description="The revision to read (and sign, when prepared).")
    documents = graphene.List(graphene.NonNull(ContractDocument), required=True)
    comments = graphene.List(graphene.NonNull(ContractComment), required=True)
    evidence = graphene.List(graphene.NonNull(EvidenceRecord), required=True)
    evidence_check = graphene.Field(EvidenceCheck, required=True)
    signing_refusal = graphene.String(description="Why the asker cannot sign it now; null when they can.")

    def resolve_kind_label(contract, info):
        return str(contract.get_kind_display())

    def resolve_state_label(contract, info):
        return str(contract.get_state_display())

    def resolve_company_name(contract, info):
        return contract.company.legal_name

    def resolve_company_uscc(contract, info):
        return contract.company.uscc

    def resolve_order_number(contract, info):
        return contract.order.number if contract.order_id else None

    def resolve_parent_number(contract, info):
        return contract.parent.number if contract.parent_id else None

    def resolve_total_uppercase(contract, info):
        return contract.total_uppercase or (contract.snapshot or {}).get("total_uppercase", "")

    def resolve_seal_approved(contract, info):
        return contract.seal_approved_at is not None

    def resolve_text(contract, info):
        return contract.html

    def resolve_current_document(contract, info):
        documents = _documents(contract)
        return documents[-1] if documents else None

    def resolve_documents(contract, info):
        return _documents(contract)

    def resolve_comments(contract, info):
        return sorted(contract.comments.all(), key=lambda c: (c.created_at, c.pk))

    def resolve_evidence(contract, info):
        return _events(contract)

    def resolve_evidence_check(contract, info):
        check = chain_check(contract)
        return EvidenceCheck(
            ok=check.ok, records=check.events, head=check.head, broken_at=check.broken_at, problem=check.problem
        )

    def resolve_signing_refusal(contract, info):
        from plugins.contracts.services.signing import signing_refusal

        return signing_refusal(contract, info.context.user)


class ContractPage(graphene.ObjectType):
    items = graphene.List(graphene.NonNull(ContractType), required=True)
    total_count = graphene.Int(required=True)
    end_cursor = graphene.String(description="Pass as `after` for the next page; null on an empty page.")
    has_next_page = graphene.Boolean(required=True)


class SignatureCheck(graphene.ObjectType):
    field = graphene.String(required=True, description="buyer or platform (the signature field)")
    signer = graphene.String(required=True)
    organisation = graphene.String(required=True)
    uscc = graphene.String(required=True)
    signed_at = graphene.DateTime()
    timestamp_at = graphene.DateTime(description="The RFC 3161 timestamp's time (B-T and above).")
    coverage = graphene.String(required=True)
    modification_level = graphene.String(required=True)
    revocation = graphene.String(required=True)
    trusted = graphene.Boolean(required=True)
    intact = graphene.Boolean(required=True)
    valid = graphene.Boolean(required=True)
    bottom_line = graphene.Boolean(required=True, description="pyHanko's overall verdict: the one to go by.")
    serial = graphene.String(required=True)
    problems = graphene.List(graphene.NonNull(graphene.String), required=True)


class ContractVerification(graphene.ObjectType):
    ok = graphene.Boolean(required=True, description="At least one signature, and every one valid (bottom line).")
    error = graphene.String(required=True, description="Why the file could not be checked; empty otherwise.")
    contract_number = graphene.String(description="The contract this file is a stored revision of, if any.")
    revision = graphene.Int()
    document_sha256 = graphene.String(required=True)
    stored_revision = graphene.Boolean(
        required=True, description="The file is byte for byte a revision the platform stored."
    )
    signatures = graphene.List(graphene.NonNull(SignatureCheck), required=True)
    timestamps = graphene.List(
        graphene.NonNull(SignatureCheck), required=True, description="Document timestamps (B-LTA archives)."
    )
