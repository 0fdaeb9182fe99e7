"""Contracts GraphQL queries: the contracts the asker may read (``selectors.visible_contracts``:
operators all, a company's people by role), one contract by number, and the public verification
of a contract's signatures by number or by an uploaded PDF."""

from __future__ import annotations

import base64
import binascii
import hashlib
from datetime import datetime

import graphene
from django.db.models import Q
from django.utils.translation import gettext as _

from core.access import DISTRIBUTOR, OPERATOR
from core.graphql.access import requires
from core.graphql.errors import input_error
from core.graphql.pagination import page_bounds
from plugins.contracts import selectors
from plugins.contracts.graphql import types
from plugins.contracts.models import ContractDocument, DocumentStage, EvidenceKind, Kind, State
from plugins.contracts.services import documents, evidence
from plugins.contracts.services.evidence import Origin

#: the largest PDF the verification takes (decoded)
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def cursor_of(contract) -> str:
    raw = f"{contract.created_at.isoformat()}|{contract.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _after(cursor: str) -> Q:
    """Contracts after ``cursor`` in the list's order (newest first: created_at, then id, descending)."""
    try:
        created, pk = base64.urlsafe_b64decode(cursor.encode()).decode().rsplit("|", 1)
        created_at, pk = datetime.fromisoformat(created), int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise input_error("after", _("This cursor is not one the API gave."), "invalid") from exc
    return Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=pk)


def _signature(s) -> types.SignatureCheck:
    return types.SignatureCheck(
        field=s.field,
        signer=s.signer,
        organisation=s.organisation,
        uscc=s.uscc,
        signed_at=s.signed_at,
        timestamp_at=s.timestamp_at,
        coverage=str(s.coverage),
        modification_level=str(s.modification_level),
        revocation=str(s.revocation),
        trusted=bool(s.trusted),
        intact=bool(s.intact),
        valid=bool(s.valid),
        bottom_line=bool(s.bottom_line),
        serial=s.serial,
        problems=[str(p) for p in s.problems],
    )


def verification_of(data: bytes, info, *, contract=None):
    """verify_pdf of ``data`` as the API type; when the file is a revision the platform stored,
    the check is recorded in that contract's evidence chain."""
    from plugins.contracts.pdf.verify import verify_pdf

    digest = hashlib.sha256(data).hexdigest()
    stored = ContractDocument.objects.select_related("contract").filter(sha256=digest).first()
    result = verify_pdf(data)
    contract = stored.contract if stored is not None else contract
    if stored is not None:
        evidence.record(
            stored.contract,
            EvidenceKind.VERIFIED,
            origin=Origin.of(info.context),
            document_sha256=digest,
            detail={"ok": bool(result.ok), "via": "api", "revision": stored.revision},
        )
    return types.ContractVerification(
        ok=bool(result.ok),
        error=str(result.error or ""),
        contract_number=contract.number if contract is not None else None,
        revision=stored.revision if stored is not None else None,
        document_sha256=digest,
        stored_revision=stored is not None,
        signatures=[_signature(s) for s in result.signatures],
        timestamps=[_signature(s) for s in getattr(result, "timestamps", ())],
    )


class Query(graphene.ObjectType):
    contracts = graphene.Field(
        types.ContractPage,
        required=True,
        state=graphene.String(description="draft, sent, negotiating, buyer_signed, countersigned, effective, …"),
        kind=graphene.String(description="sales, framework, supplement"),
        first=graphene.Int(default_value=20),
        after=graphene.String(description="The endCursor of the previous page."),
        description="The contracts the asker may read, newest first: operators every one; a company's "
        "people those of their company their role shows (a buyer: their own orders' and the framework).",
    )
    contract = graphene.Field(
        types.ContractType,
        number=graphene.String(required=True),
        description="One contract by its number; null when there is none the asker may read.",
    )
    contract_verification = graphene.Field(
        types.ContractVerification,
        required=True,
        number=graphene.String(description="Check the current PDF of this contract."),
        pdf_base64=graphene.String(description="Or check this PDF (base64, at most 20 MB)."),
        description="Public: each signature of a contract's PDF (by number) or of an uploaded PDF — signer, "
        "times, coverage, modification level, revocation and pyHanko's bottom line.",
    )

    @requires(OPERATOR, DISTRIBUTOR)
    def resolve_contracts(root, info, first, state=None, kind=None, after=None):
        first, _offset = page_bounds(first, 0)
        if state and state not in State.values:
            raise input_error("state", _("Unknown state “%(value)s”.") % {"value": state}, "invalid")
        if kind and kind not in Kind.values:
            raise input_error("kind", _("Unknown kind “%(value)s”.") % {"value": kind}, "invalid")
        qs = selectors.visible_contracts(info.context.user).order_by("-created_at", "-pk")
        if state:
            qs = qs.filter(state=state)
        if kind:
            qs = qs.filter(kind=kind)
        total = qs.count()
        if after:
            qs = qs.filter(_after(after))
        items = list(types.with_related(qs)[: first + 1])
        more = len(items) > first
        items = items[:first]
        return types.ContractPage(
            items=items,
            total_count=total,
            end_cursor=cursor_of(items[-1]) if items else None,
            has_next_page=more,
        )

    @requires(OPERATOR, DISTRIBUTOR)
    def resolve_contract(root, info, number):
        return types.with_related(selectors.visible_contracts(info.context.user)).filter(number=number.strip()).first()

    def resolve_contract_verification(root, info, number=None, pdf_base64=None):
        if bool(number) == bool(pdf_base64):
            raise input_error("number", _("Give a contract number or a PDF file, one of the two."), "required")
        if number:
            contract = selectors.by_number(number)
            document = documents.current(contract) if contract is not None else None
            if document is None or document.stage == DocumentStage.PREPARED:
                raise input_error("number", _("No signed contract has this number."), "not_found")
            return verification_of(documents.read(document), info, contract=contract)
        if len(pdf_base64) > MAX_UPLOAD_BYTES * 4 // 3 + 4:
            raise input_error("pdfBase64", _("The file is larger than 20 MB."), "too_big")
        try:
            data = base64.b64decode(pdf_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise input_error("pdfBase64", _("The file is not valid base64."), "invalid") from exc
        if len(data) > MAX_UPLOAD_BYTES:
            raise input_error("pdfBase64", _("The file is larger than 20 MB."), "too_big")
        if b"%PDF-" not in data[:1024]:
            raise input_error("pdfBase64", _("The file is not a PDF."), "not_pdf")
        return verification_of(data, info)
