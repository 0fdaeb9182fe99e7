"""PAdES signatures on contract PDFs with pyHanko.

Order of events: :func:`prepare` adds *both* empty signature fields (buyer, platform) in one
incremental update before anyone signs — a field added after the first signature would be a
change that signature does not allow. :func:`sign` then signs one field in a new incremental
update with a visible stamp (seal image as background, the signer's lines, a QR code to the
verification page). Levels: B-B always; B-T when a timestamper is configured (RFC 3161 token
over the signature); B-LT when, in addition, the CRL and OCSP responses our own CA issues at
signing time can be embedded in the document security store (no network). :func:`archive` adds
a document timestamp on top (B-LTA).

骑缝章 (riding seal): the seal image is cut into as many vertical slices as the document has
pages and slice *i* is drawn at the right edge of page *i*, so the pages laid side by side show
the whole seal. The slices are drawn into the page contents *in the revision of the first
signature* (the buyer's), so that signature covers them: drawing them in a later revision would
change page contents after a signature and break it (pyHanko's diff policy rightly flags page
changes), and drawing them in :func:`prepare` would need the seal before anyone chose to sign.
Asking for a riding seal on a document that already carries a signature is therefore refused.

pyHanko's synchronous API runs ``asyncio.run``: call from synchronous code or Celery tasks.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import logging
import math
from dataclasses import dataclass

import requests
from asn1crypto import cms
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.stamp import QRStampStyle, TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from . import pki
from .fonts import cjk_font_path, stamp_font_cut
from .render import Rendered

MD = "sha256"


class _OfflineByDesign(logging.Filter):
    """Drop pyHanko's warning that revocation data is embedded with fetching disabled: that is
    exactly the design (our CA issues the CRL/OCSP at signing time), not a problem to log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "fetching is not allowed" not in record.getMessage()


logging.getLogger("pyhanko.sign.signers.pdf_signer").addFilter(_OfflineByDesign())
RIDING_WIDTH_PT = 42.0  # width of the whole seal across all slices is the seal's size
SEAL_SIZE_PT = 120.0


@dataclass(frozen=True)
class Stamp:
    """The visible part of a signature: seal image (PNG, transparent), text lines (signer,
    company, Beijing time) and a QR code to the verification page."""

    seal_png: bytes | None
    lines: tuple[str, ...]
    qr_url: str | None


class SigningFailed(Exception):
    """Signing could not be done; the message is for people."""


# -- timestamping ------------------------------------------------------------------------------


def timestamper() -> timestamps.TimeStamper | None:
    """The configured RFC 3161 timestamper: CONTRACTS_TSA_URL over HTTP; "internal" signs tokens
    in-process with the platform's own TSA key (development, demo); empty → None (B-B only)."""
    url = settings.CONTRACTS_TSA_URL
    if not url:
        return None
    if url == "internal":
        tsa = pki.tsa_identity()
        return timestamps.DummyTimeStamper(tsa_cert=tsa.cert, tsa_key=tsa.key, certs_to_embed=list(tsa.chain))
    from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

    return RequestsHTTPTimeStamper(url, timeout=10)


# -- preparing ---------------------------------------------------------------------------------


def prepare(rendered: Rendered) -> bytes:
    """``rendered.pdf`` plus both empty signature fields, in one incremental update."""
    if not rendered.fields:
        raise SigningFailed(_("The contract has no signature blocks."))
    writer = IncrementalPdfFileWriter(io.BytesIO(rendered.pdf))
    for box in rendered.fields:
        fields.append_signature_field(
            writer, fields.SigFieldSpec(sig_field_name=box.name, on_page=box.page, box=box.box)
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# -- stamps ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _CutFontFactory(GlyphAccumulatorFactory):
    """pyHanko's glyph accumulator on a font held in memory: the stamp font cut to the stamp's
    characters (``fonts.stamp_font_cut``), so that pyHanko's own parsing and subsetting at each
    signature handle a few dozen glyphs instead of thousands."""

    font_bytes: bytes = b""

    def create_font_engine(self, writer, obj_stream=None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer,
            font_handle=io.BytesIO(self.font_bytes),
            font_size=self.font_size,
            ot_script_tag=self.ot_script_tag,
            ot_language_tag=self.ot_language_tag,
            writing_direction=self.writing_direction,
            bcp47_lang_code=self.bcp47_lang_code,
            obj_stream=obj_stream,
        )


def _stamp_style(stamp: Stamp):
    """A pyHanko stamp style: the seal behind the text, the QR code left of it."""
    text = "\n".join(line.replace("%", "%%") for line in stamp.lines) or " "
    font = _CutFontFactory(font_file="", font_bytes=stamp_font_cut("".join(stamp.lines) or " "), font_size=9)
    common = {
        "stamp_text": text,
        "border_width": 0,
        "text_box_style": TextBoxStyle(font=font),
        "background_opacity": 0.85,
    }
    if stamp.seal_png:
        common["background"] = PdfImage(Image.open(io.BytesIO(stamp.seal_png)))
        common["background_layout"] = layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MAX,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(2),
            inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
        )
    if stamp.qr_url:
        return QRStampStyle(**common)
    return TextStampStyle(**common)


def _draw_riding_seal(writer: IncrementalPdfFileWriter, seal_png: bytes) -> None:
    """Slice i of the seal at the right edge of page i (see the module docstring)."""
    seal = Image.open(io.BytesIO(seal_png)).convert("RGBA")
    pages = writer.root["/Pages"]["/Count"]
    slice_px = max(1, math.ceil(seal.width / pages))
    slice_pt = SEAL_SIZE_PT / pages if pages > 1 else SEAL_SIZE_PT
    for index in range(pages):
        part = seal.crop((index * slice_px, 0, min(seal.width, (index + 1) * slice_px), seal.height))
        if part.width == 0:
            continue
        page = writer.find_page_for_modification(index)[0]
        x1, y1, x2, y2 = (float(v) for v in page.get_object()["/MediaBox"])
        image = PdfImage(part, writer=writer, box=layout.BoxConstraints(width=slice_pt, height=SEAL_SIZE_PT))
        xobject = writer.add_object(image.as_form_xobject())
        x, y = x2 - slice_pt, (y1 + y2 - SEAL_SIZE_PT) / 2
        name = f"/RidingSeal{index}"  # pages may share one resource dictionary
        ops = f"q 1 0 0 1 {x:.2f} {y:.2f} cm {name} Do Q".encode()
        stream = writer.add_object(generic.StreamObject(stream_data=ops))
        resources = generic.DictionaryObject(
            {generic.NameObject("/XObject"): generic.DictionaryObject({generic.NameObject(name): xobject})}
        )
        writer.add_stream_to_page(index, stream, resources=resources)


# -- signing -----------------------------------------------------------------------------------


def _signer(identity: pki.SigningIdentity) -> signers.SimpleSigner:
    return signers.SimpleSigner(
        signing_cert=identity.cert,
        signing_key=identity.key,
        cert_registry=SimpleCertificateStore.from_certs(list(identity.chain)),
    )


def _lt_context(certs: list) -> ValidationContext:
    """The platform root as trust anchor and our own fresh CRL/OCSP: no network, hard-fail."""
    crls, ocsps = pki.revocation_info(certs)
    return ValidationContext(
        trust_roots=[pki.root_certificate()],
        other_certs=certs,
        crls=crls,
        ocsps=ocsps,
        allow_fetching=False,
        revocation_mode="hard-fail",
    )


def _tsa_certs(stamper) -> list:
    if isinstance(stamper, timestamps.DummyTimeStamper):
        return [stamper.tsa_cert]
    try:
        return [pki.tsa_identity().cert]
    except Exception:  # noqa: BLE001 - no dev TSA (production): an external TSA gets no own revinfo
        return []


def sign(
    pdf: bytes,
    *,
    field: str,
    identity: pki.SigningIdentity,
    stamp: Stamp,
    reason: str,
    location: str,
    riding_seal: bool = False,
) -> tuple[bytes, str]:
    """Sign ``field`` of a prepared PDF; returns the new bytes and the level reached.

    B-LT is attempted whenever there is a timestamper (unless ``settings.CONTRACTS_LT`` is
    False); if the revocation data cannot be assembled offline (an external TSA whose
    certificate our CA did not issue), the signature is made again at B-T rather than failing
    the signing.
    """
    try:
        pki.check_not_revoked(identity)
    except pki.PKIMissing as exc:
        raise SigningFailed(str(exc)) from exc
    stamper = timestamper()
    if stamper is None:
        return _sign_once(pdf, field, identity, stamp, reason, location, riding_seal, None, None), "B-B"
    if not getattr(settings, "CONTRACTS_LT", True):
        return _sign_b_t(pdf, field, identity, stamp, reason, location, riding_seal, stamper), "B-T"
    context = _lt_context([identity.cert, *identity.chain, *_tsa_certs(stamper)])
    try:
        return _sign_once(pdf, field, identity, stamp, reason, location, riding_seal, stamper, context), "B-LT"
    except SigningFailed:
        raise
    except Exception:  # noqa: BLE001 - pyHanko reports missing revocation data in many ways
        return _sign_b_t(pdf, field, identity, stamp, reason, location, riding_seal, stamper), "B-T"


def _sign_b_t(pdf, field, identity, stamp, reason, location, riding_seal, stamper) -> bytes:
    """B-T: timestamped, without embedded revocation data; an unreachable TSA signs nothing."""
    try:
        return _sign_once(pdf, field, identity, stamp, reason, location, riding_seal, stamper, None)
    except (OSError, timestamps.TimestampRequestError, requests.RequestException) as exc:
        raise SigningFailed(
            _("The timestamping service %(url)s did not answer; nothing was signed.")
            % {"url": settings.CONTRACTS_TSA_URL}
        ) from exc


def _check_field(reader, field: str) -> None:
    """A clear error before pyHanko's: the field must exist and be empty (a signed contract is
    never signed over)."""
    state = {name: value for name, value, _ref in fields.enumerate_sig_fields(reader)}
    if field not in state:
        raise SigningFailed(_("The document has no signature field “%(field)s”.") % {"field": field})
    if state[field] is not None:
        raise SigningFailed(_("The signature field “%(field)s” is already signed.") % {"field": field})


def _sign_once(pdf, field, identity, stamp, reason, location, riding_seal, stamper, context) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    reader = writer.prev
    _check_field(reader, field)
    if riding_seal and stamp.seal_png:
        if reader.embedded_signatures:
            raise SigningFailed(
                _("A riding seal can only be added with the first signature: it would change signed pages.")
            )
        _draw_riding_seal(writer, stamp.seal_png)
    meta = signers.PdfSignatureMetadata(
        field_name=field,
        md_algorithm=MD,
        subfilter=SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        embed_validation_info=context is not None,
        validation_context=context,
    )
    pdf_signer = signers.PdfSigner(meta, _signer(identity), timestamper=stamper, stamp_style=_stamp_style(stamp))
    params = {"url": stamp.qr_url} if stamp.qr_url else None
    out = pdf_signer.sign_pdf(writer, appearance_text_params=params)
    return out.getvalue()


def archive(pdf: bytes) -> bytes:
    """B-LTA: the validation data of the timestamp and a document timestamp over everything."""
    stamper = timestamper()
    if stamper is None:
        raise SigningFailed(_("Archiving needs a timestamping service (CONTRACTS_TSA_URL)."))
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    context = _lt_context(_tsa_certs(stamper))
    out = signers.PdfTimeStamper(stamper).timestamp_pdf(writer, MD, validation_context=context)
    return out.getvalue()


# -- the evidence chain's head -----------------------------------------------------------------


def seal_digest(digest: bytes) -> bytes:
    """Seal a SHA-256 digest (the evidence chain's head): an RFC 3161 token from the timestamper
    when there is one (proves the time), else a CMS signature by the platform key (proves who)."""
    if len(digest) != 32:
        raise ValueError("a SHA-256 digest has 32 bytes")
    stamper = timestamper()
    if stamper is not None:
        return asyncio.run(stamper.async_timestamp(digest, MD)).dump()
    signer = _signer(pki.platform_identity())
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

    attributes = PdfCMSSignedAttributes(signing_time=dt.datetime.now(dt.UTC))
    signed = asyncio.run(signer.async_sign_general_data(digest, MD, detached=False, signed_attr_settings=attributes))
    return signed.dump()


def verify_seal(token: bytes, digest: bytes) -> dt.datetime | None:
    """The sealed time when ``token`` seals exactly ``digest`` and validates against the
    platform root, else None (never raises on bad input)."""
    from pyhanko.sign.validation.generic_cms import async_validate_cms_signature, validate_tst_signed_data
    from pyhanko.sign.validation.status import TimestampSignatureStatus

    try:
        signed_data = cms.ContentInfo.load(token)["content"]
        encapsulated = signed_data["encap_content_info"]
        context = ValidationContext(trust_roots=[pki.root_certificate()], allow_fetching=False)
        if encapsulated["content_type"].native == "tst_info":
            tst_info = encapsulated["content"].parsed
            if tst_info["message_imprint"]["hashed_message"].native != digest:
                return None
            kwargs = asyncio.run(validate_tst_signed_data(signed_data, context, lambda _algorithm: digest))
            status = TimestampSignatureStatus(**kwargs)
            return kwargs["timestamp"] if status.intact and status.valid and status.trusted else None
        if encapsulated["content"].native != digest:
            return None
        status = asyncio.run(async_validate_cms_signature(signed_data, validation_context=context))
        if not (status.intact and status.valid and status.trusted):
            return None
        attrs = signed_data["signer_infos"][0]["signed_attrs"]
        return next((a["values"][0].native for a in attrs if a["type"].native == "signing_time"), None)
    except Exception:  # noqa: BLE001 - a bad token is just not a valid seal
        return None


# -- generated seal ----------------------------------------------------------------------------


def generated_seal_png(company_name: str) -> bytes:
    """A round red seal (公章 style): the name along the upper arc, a star in the middle.

    For companies that have not uploaded a scan of their seal; transparent around and inside
    so it can sit under the stamp text.
    """
    from PIL import ImageDraw, ImageFont

    size, red = 480, (220, 30, 30, 255)
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((12, 12, size - 12, size - 12), outline=red, width=14)
    cx = cy = size / 2
    star_r, inner = 62, 62 * 0.382
    points = []
    for k in range(10):
        radius = star_r if k % 2 == 0 else inner
        angle = math.radians(-90 + k * 36)
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(points, fill=red)
    name = company_name.strip() or "?"
    font_size = 52 if len(name) <= 12 else max(30, int(52 * 12 / len(name)))
    font = ImageFont.truetype(str(cjk_font_path("Bold")), font_size)
    radius = size / 2 - 40 - font_size / 2
    span = min(250.0, 22.0 * len(name))  # degrees of arc the name covers, centred at the top
    for index, char in enumerate(name):
        angle = -90 - span / 2 + span * (index + 0.5) / len(name)
        glyph = Image.new("RGBA", (font_size * 2, font_size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((font_size, font_size), char, font=font, fill=red, anchor="mm")
        glyph = glyph.rotate(-(angle + 90), resample=Image.BICUBIC)
        x = cx + radius * math.cos(math.radians(angle)) - font_size
        y = cy + radius * math.sin(math.radians(angle)) - font_size
        image.alpha_composite(glyph, (int(x), int(y)))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
