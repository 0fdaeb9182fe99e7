"""PDF revisions of a contract: rendered, prepared for signing, signed — each stored once, with
its SHA-256, and never changed (a signature is a new revision appended to the previous bytes)."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction

from plugins.contracts.models import Contract, ContractDocument, DocumentStage
from plugins.contracts.pdf.render import render_contract
from plugins.contracts.pdf.signing import prepare

TITLES = {"sales": "购销合同", "framework": "框架协议", "supplement": "补充协议"}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def title_of(contract: Contract) -> str:
    return TITLES.get(contract.kind, "合同")


def store(contract: Contract, data: bytes, *, stage: str, level: str = "") -> ContractDocument:
    """Append a revision (in the caller's transaction)."""
    with transaction.atomic():
        Contract.objects.select_for_update().filter(pk=contract.pk).first()
        last = contract.documents.order_by("-revision").first()
        revision = (last.revision + 1) if last else 1
        document = ContractDocument(
            contract=contract, revision=revision, stage=stage, sha256=sha256(data), size=len(data), level=level
        )
        document.file.save(f"{contract.number}-r{revision}-{stage}.pdf", ContentFile(data), save=False)
        document.save()
    return document


def render_for_signing(contract: Contract) -> ContractDocument:
    """Render the contract's text to PDF, create both signature fields, store it as the revision
    the buyer reads and signs."""
    rendered = render_contract(contract.html, number=contract.number, title=title_of(contract))
    return store(contract, prepare(rendered), stage=DocumentStage.PREPARED)


def read(document: ContractDocument) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def current(contract: Contract) -> ContractDocument | None:
    return contract.documents.order_by("-revision").first()
