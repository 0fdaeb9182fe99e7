"""签署报告: the evidence report of a contract, as a PDF signed by the platform.

It states the parties, the contract's documents (revision, stage, PAdES level, SHA-256), every
signature of the current document as ``pdf.verify.verify_pdf`` finds it (signer, certificate
serial, signing and timestamp time, coverage, modification level, revocation, verdict), every
evidence record with its hashes, the chain check (and where it breaks) and the sealed chain head.
It is rendered with the contract PDFs' page styles (``pdf.render``; its one signature block
``#sig-platform`` becomes the signature field) and signed by the platform's key, so a printed or
forwarded report can itself be verified on the verification page.

Made on request (it is cheap: one page render and one B-B/B-T signature) and not stored: it
reports the chain as it is at that moment.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from plugins.contracts import verification_text
from plugins.contracts.models import Contract, EvidenceKind
from plugins.contracts.pdf.pki import platform_identity
from plugins.contracts.pdf.render import render_contract
from plugins.contracts.pdf.signing import Stamp, prepare, sign, verify_seal
from plugins.contracts.pdf.verify import verify_pdf
from plugins.contracts.services import documents, evidence
from plugins.contracts.services.signing import beijing, verify_link


def _events(contract: Contract) -> list[dict]:
    kinds = dict(EvidenceKind.choices)
    rows = []
    for event in contract.evidence.order_by("seq"):
        rows.append(
            {
                "seq": event.seq,
                "kind": str(kinds.get(event.kind, event.kind)),
                "at": beijing(event.created_at),
                "actor": event.actor_label,
                "ip": event.ip or "",
                "user_agent": event.user_agent,
                "document_sha256": event.document_sha256,
                "detail": json.dumps(event.detail, ensure_ascii=False, sort_keys=True) if event.detail else "",
                "prev_hash": event.prev_hash,
                "hash": event.hash,
            }
        )
    return rows


def report_html(contract: Contract, *, now=None) -> str:
    """The report's body (a fragment for ``pdf.render``), in the site's language."""
    now = now or timezone.now()
    current = documents.current(contract)
    verification = verify_pdf(documents.read(current)) if current is not None else None
    chain = evidence.check_chain(contract)
    sealed_at = None
    if contract.chain_head_timestamp:
        head = contract.evidence.filter(kind=EvidenceKind.EFFECTIVE).order_by("-seq").first()
        if head is not None:
            sealed_at = verify_seal(bytes(contract.chain_head_timestamp), bytes.fromhex(head.hash))
    certificates = [
        {"kind": e.get_kind_display(), "serial": e.detail.get("certificate_serial", ""), "at": beijing(e.created_at)}
        for e in contract.evidence.filter(kind__in=(EvidenceKind.SIGNED, EvidenceKind.COUNTERSIGNED)).order_by("seq")
    ]
    return render_to_string(
        "contracts/report/evidence_report.html",
        {
            "contract": contract,
            "company": contract.company,
            "platform": settings.PLATFORM_LEGAL,
            "generated_at": beijing(now),
            "documents": [
                {
                    "revision": d.revision,
                    "stage": d.get_stage_display(),
                    "level": d.level or "—",
                    "sha256": d.sha256,
                    "size": d.size,
                    "at": beijing(d.created_at),
                }
                for d in contract.documents.order_by("revision")
            ],
            "current": current,
            "verification": verification,
            "checks": [verification_text.describe(c) for c in verification.signatures] if verification else [],
            "certificates": certificates,
            "events": _events(contract),
            "chain": chain,
            "sealed_at": beijing(sealed_at) if sealed_at else "",
            "has_seal": bool(contract.chain_head_timestamp),
        },
    )


def evidence_report_pdf(contract: Contract, *, now=None) -> bytes:
    """The signed 签署报告 of ``contract`` (PDF bytes)."""
    now = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        body = report_html(contract, now=now)
        title = _("Evidence report")
        rendered = render_contract(body, number=contract.number, title=title)
        platform = settings.PLATFORM_LEGAL
        stamp = Stamp(seal_png=None, lines=(platform["legal_name"], title, beijing(now)), qr_url=verify_link(contract))
        signed, _level = sign(
            prepare(rendered),
            field="platform",
            identity=platform_identity(),
            stamp=stamp,
            reason=_("Evidence report of contract %(number)s") % {"number": contract.number},
            location=contract.signing_place or settings.CONTRACTS_SIGNING_PLACE,
        )
    return signed
