"""Verify the signatures of a PDF against the platform's root certificate.

The verdict of each signature is pyHanko's ``bottom_line`` — never ``intact`` alone: an
incremental update appended after signing leaves the signed bytes intact and the signature
value valid, and only the modification analysis (folded into ``bottom_line``) catches it.

Each signature is validated *at its own time* — the timestamp's time when it has one, else the
time the signer stated — because event certificates live only minutes: validated "now" every
buyer signature would read as expired. Revocation comes only from the document's own security
store (B-LT); nothing is fetched. A document without revocation data is validated without it
(soft-fail) and the report says so. Document timestamps (B-LTA) are validated as timestamps.

:func:`verify_pdf` never raises on bad input: an unreadable file is a Verification with
``ok=False`` and ``error`` saying why, in the user's language.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass

from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignatureCheck:
    field: str
    signer: str
    organisation: str
    uscc: str
    signed_at: dt.datetime | None
    timestamp_at: dt.datetime | None
    coverage: str
    modification_level: str
    revocation: str
    trusted: bool
    intact: bool
    valid: bool
    bottom_line: bool
    serial: str
    problems: tuple[str, ...]


@dataclass(frozen=True)
class Verification:
    signatures: tuple[SignatureCheck, ...]
    ok: bool
    error: str = ""
    timestamps: tuple[SignatureCheck, ...] = ()  # document timestamps (B-LTA), checked as such


def _coverage(level) -> str:
    from pyhanko.sign.validation.status import SignatureCoverageLevel as C

    return {
        C.ENTIRE_FILE: _("the whole file"),
        C.ENTIRE_REVISION: _("the whole revision it signed; later revisions were added"),
    }.get(level, _("only part of the file"))


def _modification(level) -> str:
    from pyhanko.sign.diff_analysis import ModificationLevel as M

    return {
        None: _("no changes after signing"),
        M.NONE: _("no changes after signing"),
        M.LTA_UPDATES: _("only validation data and timestamps added"),
        M.FORM_FILLING: _("only form filling and further signatures"),
        M.ANNOTATIONS: _("annotations added after signing"),
    }.get(level, _("other changes after signing"))


def _subject(cert) -> tuple[str, str, str]:
    subject = cert.subject.native
    org_id = subject.get("organization_identifier", "") or ""
    uscc = org_id.removeprefix("NTRCN-") if org_id.startswith("NTRCN-") else ""
    return subject.get("common_name", ""), subject.get("organization_name", ""), uscc


def _timestamp_token_time(embedded) -> dt.datetime | None:
    """The genTime of the signature's RFC 3161 token (unsigned attribute), unvalidated."""
    attrs = embedded.signer_info["unsigned_attrs"]
    if not attrs:
        return None
    for attr in attrs:
        if attr["type"].native == "signature_time_stamp_token":
            return attr["values"][0]["content"]["encap_content_info"]["content"].parsed["gen_time"].native
    return None


def _context(root, dss, moment):
    from pyhanko_certvalidator import ValidationContext

    kwargs = {
        "trust_roots": [root] if root is not None else [],
        "allow_fetching": False,
        "revocation_mode": "soft-fail",
        "retroactive_revinfo": True,
        "moment": moment,
    }
    if dss is not None:
        return dss.as_validation_context(kwargs)
    return ValidationContext(**kwargs)


def _revocation(status, has_revinfo: bool) -> str:
    if status.revocation_details is not None:
        return _("revoked on %(date)s") % {"date": f"{status.revocation_details.revocation_date:%Y-%m-%d}"}
    if has_revinfo:
        return _("not revoked (checked against the revocation data embedded in the document)")
    return _("not checked: the document carries no revocation data")


def _holds(status) -> bool:
    """``bottom_line`` where pyHanko has one; a timestamp status has none, so the same rule:
    intact, valid, trusted (and, for a document timestamp, only archival updates after it)."""
    if hasattr(status, "bottom_line"):
        return bool(status.bottom_line)
    from pyhanko.sign.diff_analysis import ModificationLevel

    level = getattr(status, "modification_level", None)
    return bool(
        status.intact
        and status.valid
        and status.trusted
        and level in (None, ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)
    )


def _check(embedded, root, dss, has_revinfo: bool, *, timestamp: bool = False) -> SignatureCheck:
    from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp

    token_time = _timestamp_token_time(embedded) if not timestamp else None
    claimed = embedded.self_reported_timestamp
    moment = token_time or claimed or dt.datetime.now(dt.UTC)
    if timestamp:
        status = validate_pdf_timestamp(embedded, validation_context=_context(root, dss, None))
        token_time = status.timestamp
    else:
        status = validate_pdf_signature(
            embedded,
            signer_validation_context=_context(root, dss, moment),
            ts_validation_context=_context(root, dss, moment),
        )
    signer, organisation, uscc = _subject(status.signing_cert)
    trusted = bool(status.trusted)
    level = getattr(status, "modification_level", None)
    problems = []
    if not status.intact:
        problems.append(_("The signed content was changed: its digest does not match the signature."))
    if not status.valid:
        problems.append(_("The signature value is not valid for the signer's certificate."))
    if not trusted:
        problems.append(_("The certificate is not trusted: it does not lead to the platform's root certificate."))
    if status.revocation_details is not None:
        problems.append(_("The signer's certificate was revoked."))
    ts_status = getattr(status, "timestamp_validity", None)
    if ts_status is not None and not _holds(ts_status):
        problems.append(_("The timestamp on this signature is not valid."))
    if status.intact and status.valid and not _holds(status) and not problems:
        problems.append(_("The document was changed after this signature in a way signatures do not allow."))
    return SignatureCheck(
        field=embedded.field_name or "",
        signer=signer,
        organisation=organisation,
        uscc=uscc,
        signed_at=claimed,
        timestamp_at=ts_status.timestamp if ts_status is not None and not timestamp else token_time,
        coverage=_coverage(getattr(status, "coverage", None)),
        modification_level=_modification(level),
        revocation=_revocation(status, has_revinfo),
        trusted=trusted,
        intact=bool(status.intact),
        valid=bool(status.valid),
        bottom_line=_holds(status),
        serial=format(status.signing_cert.serial_number, "X"),
        problems=tuple(problems),
    )


def _failed(embedded, problem: str) -> SignatureCheck:
    return SignatureCheck(
        field=getattr(embedded, "field_name", "") or "",
        signer="",
        organisation="",
        uscc="",
        signed_at=None,
        timestamp_at=None,
        coverage="",
        modification_level="",
        revocation="",
        trusted=False,
        intact=False,
        valid=False,
        bottom_line=False,
        serial="",
        problems=(problem,),
    )


def verify_pdf(data: bytes) -> Verification:
    """Every signature and document timestamp of ``data``; ``ok`` only when there is at least
    one signature and every signature and timestamp holds (``bottom_line``)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.dss import DocumentSecurityStore, NoDSSFoundError

    from .pki import root_certificate

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_regular_signatures
        doc_timestamps = reader.embedded_timestamp_signatures
    except Exception:  # noqa: BLE001 - any unreadable input is reported, not raised
        return Verification((), False, _("This file is not a readable PDF."))
    if not signatures:
        return Verification((), False, _("This PDF carries no signature."))
    try:
        root = root_certificate()
    except Exception:  # noqa: BLE001 - no PKI configured: nothing can be trusted
        logger.exception("contracts: no root certificate to verify against")
        root = None
    try:
        dss = DocumentSecurityStore.read_dss(reader)
        has_revinfo = bool(dss.crls or dss.ocsps)
    except NoDSSFoundError:
        dss, has_revinfo = None, False
    except Exception:  # noqa: BLE001 - a broken store is treated as none
        dss, has_revinfo = None, False

    def checked(embedded, timestamp=False):
        try:
            return _check(embedded, root, dss, has_revinfo, timestamp=timestamp)
        except Exception:  # noqa: BLE001 - a malformed signature is an invalid one
            logger.info("contracts: signature could not be validated", exc_info=True)
            return _failed(embedded, _("The signature is malformed and cannot be validated."))

    checks = tuple(checked(s) for s in signatures)
    stamps = tuple(checked(s, timestamp=True) for s in doc_timestamps)
    ok = all(c.bottom_line for c in checks) and all(t.bottom_line for t in stamps)
    return Verification(signatures=checks, ok=ok, timestamps=stamps)
