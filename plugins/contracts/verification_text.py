"""What the verification page (and the evidence report) says about a signature: each check of
``pdf.verify.SignatureCheck`` in words a buyer or a judge reads, and the verdict from
``bottom_line`` (pyHanko's overall result), never from ``intact`` alone: an incremental update
appended after signing keeps the signed bytes intact, yet the document is no longer what was
signed."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FIELDS = {"buyer": gettext_lazy("Buyer's signature"), "platform": gettext_lazy("Platform's countersignature")}

# coverage, modification level and revocation come worded from ``pdf.verify`` (the engine's)


@dataclass(frozen=True)
class Described:
    check: object
    field_label: str
    coverage: str
    modification: str
    revocation: str
    trust: str
    integrity: str
    verdict: str
    ok: bool


def describe(check, *, timestamp: bool = False) -> Described:
    """The checks of one signature (or document timestamp), in words (the user's language)."""
    ok = bool(check.bottom_line)
    if check.trusted:
        trust = _("The certificate chains up to the platform's root certificate.")
    else:
        trust = _("The certificate does not chain up to the platform's root certificate.")
    if check.intact and check.valid:
        integrity = _("The signed bytes are unchanged and the cryptographic signature is correct.")
    elif check.intact:
        integrity = _("The signed bytes are unchanged, but the cryptographic signature does not verify.")
    else:
        integrity = _("The signed bytes were changed after signing.")
    if ok:
        verdict = _("Valid: the document is as it was signed, and the signer is who the certificate names.")
    else:
        verdict = _("Not valid: do not rely on this signature.")
    return Described(
        check=check,
        field_label=str(_("Document timestamp (archive)") if timestamp else FIELDS.get(check.field, check.field)),
        coverage=check.coverage or "—",
        modification=check.modification_level or "—",
        revocation=check.revocation or "—",
        trust=trust,
        integrity=integrity,
        verdict=verdict,
        ok=ok,
    )


def explanations() -> list[tuple[str, str]]:
    """What each check means (shown on the page under the results)."""
    return [
        (
            _("Signer"),
            _(
                "The person and the company the certificate names. The buyer's certificate is issued by the "
                "platform for this one signature after the person confirmed it with a one-time code; it names "
                "the company (O), the person (CN) and the unified social credit code (NTRCN-…)."
            ),
        ),
        (
            _("Signing time"),
            _("The time the signer's software states. It is only as reliable as that computer's clock."),
        ),
        (
            _("Timestamp time"),
            _(
                "The time a timestamping authority (RFC 3161) certifies the signature existed. It proves the "
                "signature was made no later than then."
            ),
        ),
        (
            _("Coverage"),
            _(
                "Which bytes of the file the signature covers. A later signature is appended to the file as a "
                "new revision, so an earlier signature covers the document as it was when signed."
            ),
        ),
        (
            _("Modification level"),
            _(
                "What was changed after the signature: only adding the other party's signature and validation "
                "data is allowed. Anything else makes the signature not valid."
            ),
        ),
        (
            _("Revocation"),
            _(
                "Whether the certificate was revoked when it was used, from the revocation lists (CRL) and "
                "OCSP answers of the platform's CA embedded in the document."
            ),
        ),
        (
            _("Verdict"),
            _(
                "The overall result: valid only if the signed bytes are unchanged, the cryptography is correct, "
                "the certificate chains up to the platform's root and nothing that the signature does not allow "
                "was changed after it. An update appended after signing keeps the signed bytes intact, so "
                "“intact” alone proves nothing."
            ),
        ),
    ]


def private_ca_notice() -> str:
    return _(
        "The platform's certificates are issued by the platform's own certification authority, which is not "
        "in the trust lists built into PDF readers such as Adobe Acrobat. A PDF reader therefore shows the "
        "signatures as “validity unknown”: it still confirms that the document was not changed after "
        "signing. Download the platform's root certificate and add it as a trusted certificate in your reader, "
        "and the reader shows the signatures as valid. This page checks them against that root certificate."
    )
