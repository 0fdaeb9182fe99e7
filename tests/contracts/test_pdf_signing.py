"""Signing: both fields prepared up front, two PAdES signatures that pyHanko and poppler's
pdfsig accept, B-T with a loopback TSA, B-LT with our own revocation data and no network, B-LTA,
stamps, the riding seal, and the evidence chain's seal."""

from __future__ import annotations

import hashlib
import io
import re
import socket
import subprocess

import pytest
from fontTools.ttLib import TTFont
from PIL import Image
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation.dss import DocumentSecurityStore

from plugins.contracts.pdf import pki, signing
from plugins.contracts.pdf.verify import verify_pdf

QR_URL = "https://example.com/contracts/verify/HT-20261129-000123"


def stamp(seal_png: bytes | None, who: str = "张三", company: str = "华为技术有限公司") -> signing.Stamp:
    return signing.Stamp(seal_png, (f"签署人：{who}", company, "2026-11-29 16:00（北京时间）"), QR_URL)


def sign_both(rendered, seal_png, *, riding_seal: bool = False) -> tuple[bytes, tuple[str, str], pki.SigningIdentity]:
    prepared = signing.prepare(rendered)
    buyer = pki.issue_event_certificate(
        person="张三", email="zs@example.com", company="华为技术有限公司", uscc="914403001922038216"
    )
    once, level_1 = signing.sign(
        prepared,
        field="buyer",
        identity=buyer,
        stamp=stamp(seal_png),
        reason="买方签署",
        location="上海市浦东新区",
        riding_seal=riding_seal,
    )
    twice, level_2 = signing.sign(
        once,
        field="platform",
        identity=pki.platform_identity(),
        stamp=stamp(seal_png, "平台", "链采通"),
        reason="平台盖章",
        location="上海市浦东新区",
    )
    return twice, (level_1, level_2), buyer


def pdfsig(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "signed.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdfsig", str(path)], capture_output=True, check=False).stdout.decode()  # noqa: S607


def test_prepare_adds_both_empty_fields_in_one_update(rendered):
    prepared = signing.prepare(rendered)
    assert prepared.startswith(rendered.pdf)  # incremental: the rendered bytes untouched
    reader = PdfFileReader(io.BytesIO(prepared))
    assert reader.xrefs.total_revisions == PdfFileReader(io.BytesIO(rendered.pdf)).xrefs.total_revisions + 1
    fields = {name: value for name, value, _ref in enumerate_sig_fields(reader)}
    assert set(fields) == {"buyer", "platform"} and all(v is None for v in fields.values())


def test_two_signatures_validate_in_pyhanko_and_pdfsig(dev_pki, rendered, seal_png, tmp_path):
    signed, levels, buyer = sign_both(rendered, seal_png)
    assert levels == ("B-B", "B-B")
    result = verify_pdf(signed)
    assert result.ok and not result.error
    first, second = result.signatures
    assert (first.field, first.signer, first.organisation, first.uscc) == (
        "buyer",
        "张三",
        "华为技术有限公司",
        "914403001922038216",
    )
    assert first.serial == pki.certificate_serial_hex(buyer)
    assert (second.field, second.uscc) == ("platform", "913101150000XGN437")
    assert all(c.trusted and c.intact and c.valid and c.bottom_line and not c.problems for c in result.signatures)
    assert first.signed_at is not None and first.timestamp_at is None
    out = pdfsig(signed, tmp_path)
    assert out.count("Signature Validation: Signature is Valid.") == 2, out
    assert "Signature Field Name: buyer" in out and "Signature Field Name: platform" in out
    assert "Total document signed" in out  # the platform's signature covers everything


def test_visible_stamps_are_drawn_in_both_fields(dev_pki, rendered, seal_png, tmp_path):
    """Each widget has an appearance with the stamp's parts as XObjects (seal image, QR, text)
    and a font subset for the text."""
    signed, _levels, _buyer = sign_both(rendered, seal_png)
    reader = PdfFileReader(io.BytesIO(signed))
    page = reader.root["/Pages"]["/Kids"][rendered.pages - 1]
    widgets = {a.get_object()["/T"]: a.get_object() for a in page["/Annots"] if a.get_object().get("/FT") == "/Sig"}
    assert set(widgets) == {"buyer", "platform"}
    for widget in widgets.values():
        appearance = widget["/AP"]["/N"]
        assert appearance.data and "/XObject" in appearance["/Resources"]
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout.decode()  # noqa: S607
    stamp_fonts = [row.split() for row in fonts.splitlines() if "NotoSansCJKsc" in row]
    assert len(stamp_fonts) == 2 and all(re.match(r"[A-Z]{6}\+", row[0]) for row in stamp_fonts)
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, check=True).stdout.decode()  # noqa: S607
    seals = [row.split() for row in images.splitlines()[2:] if row.split()[3:5] == ["480", "480"]]
    assert {row[2] for row in seals} >= {"image", "smask"}  # the seal, with its transparency


def test_one_flipped_byte_is_caught(dev_pki, rendered, seal_png, tmp_path):
    signed, _levels, _buyer = sign_both(rendered, seal_png)
    caught = 0
    for offset in range(500, len(rendered.pdf) - 500, len(rendered.pdf) // 12):
        tampered = bytearray(signed)
        tampered[offset] ^= 0x01
        result = verify_pdf(bytes(tampered))
        assert not result.ok
        caught += 1
    assert caught >= 10
    tampered = bytearray(signed)
    tampered[2000] ^= 0x01
    assert "Digest Mismatch" in pdfsig(bytes(tampered), tmp_path)


def test_incremental_update_after_signing_fails_the_bottom_line(dev_pki, rendered, seal_png):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    signed, _levels, _buyer = sign_both(rendered, seal_png)
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    stream = writer.add_object(generic.StreamObject(stream_data=b"q 1 0 0 rg 0 0 100 100 re f Q"))
    writer.add_stream_to_page(0, stream)
    out = io.BytesIO()
    writer.write(out)
    result = verify_pdf(out.getvalue())
    assert not result.ok
    for check in result.signatures:
        assert check.intact and check.valid  # the signed bytes are untouched…
        assert not check.bottom_line  # …but the document is not what was signed
        assert check.problems


def test_a_change_in_the_last_revision_fails_only_the_last_signature(dev_pki, rendered, seal_png):
    signed, _levels, _buyer = sign_both(rendered, seal_png)
    reader = PdfFileReader(io.BytesIO(signed))
    first, second = reader.embedded_signatures
    first_end = int(first.byte_range[2]) + int(first.byte_range[3])
    # the signing time (/M) in the platform's signature dictionary: signed by it, after the buyer's range
    match = max(re.finditer(rb"/M \(D(?::|\\072)(\d{4})", signed), key=lambda m: m.start())
    assert match.start() > first_end
    tampered = bytearray(signed)
    tampered[match.start(1)] = ord("1") if signed[match.start(1)] != ord("1") else ord("2")
    result = verify_pdf(bytes(tampered))
    buyer, platform = result.signatures
    assert buyer.bottom_line and not platform.bottom_line and not result.ok


def test_b_t_against_a_loopback_tsa(tsa_url, rendered, seal_png, settings, _tsa_server):
    settings.CONTRACTS_LT = False
    signed, levels, _buyer = sign_both(rendered, seal_png)
    assert levels == ("B-T", "B-T")
    # RFC 3161 requests over HTTP: per signature pyHanko sends one to size the token, then the real one
    assert len(_tsa_server[1].requests) == 4
    result = verify_pdf(signed)
    assert result.ok
    for check in result.signatures:
        assert check.timestamp_at is not None
        assert abs((check.timestamp_at - check.signed_at).total_seconds()) < 60
        assert "no revocation data" in check.revocation


def test_b_lt_embeds_our_revocation_data_without_network(tsa_url, rendered, seal_png, monkeypatch, settings):
    settings.CONTRACTS_TSA_URL = "internal"  # the TSA in-process, so no socket is needed at all

    def no_network(*args, **kwargs):
        raise AssertionError("network used while signing")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    signed, levels, _buyer = sign_both(rendered, seal_png)
    monkeypatch.undo()
    assert levels == ("B-LT", "B-LT")
    dss = DocumentSecurityStore.read_dss(PdfFileReader(io.BytesIO(signed)))
    assert dss.crls and len(dss.ocsps) >= 2  # buyer's and platform's certificates (and the TSA's)
    result = verify_pdf(signed)
    assert result.ok
    assert all("embedded" in c.revocation and c.timestamp_at for c in result.signatures)


def test_b_lt_over_http_tsa(tsa_url, rendered, seal_png):
    signed, levels, _buyer = sign_both(rendered, seal_png)
    assert levels == ("B-LT", "B-LT")
    assert verify_pdf(signed).ok


def test_foreign_tsa_falls_back_to_b_t(dev_pki, rendered, seal_png, settings, tmp_path):
    from django.test import override_settings

    from tests.contracts.tsa import loopback_tsa

    pki.ensure_dev_pki(tmp_path / "foreign")
    with override_settings(CONTRACTS_PKI_DIR=str(tmp_path / "foreign")):
        foreign = pki.tsa_identity()
    with loopback_tsa(foreign.cert, foreign.key, foreign.chain) as (url, _server):
        settings.CONTRACTS_TSA_URL = url
        prepared = signing.prepare(rendered)
        _signed, level = signing.sign(
            prepared, field="platform", identity=pki.platform_identity(), stamp=stamp(None), reason="r", location="l"
        )
    assert level == "B-T"


def test_archive_adds_a_document_timestamp(tsa_url, rendered, seal_png, settings):
    settings.CONTRACTS_TSA_URL = "internal"
    signed, _levels, _buyer = sign_both(rendered, seal_png)
    archived = signing.archive(signed)
    result = verify_pdf(archived)
    assert result.ok and len(result.signatures) == 2 and len(result.timestamps) == 1
    assert result.timestamps[0].bottom_line and result.timestamps[0].timestamp_at


def test_signing_a_signed_or_unknown_field_is_refused(dev_pki, rendered, seal_png):
    signed, _levels, _buyer = sign_both(rendered, seal_png)
    for field, message in (("buyer", "already signed"), ("witness", "no signature field")):
        with pytest.raises(signing.SigningFailed, match=message):
            signing.sign(
                signed, field=field, identity=pki.platform_identity(), stamp=stamp(None), reason="r", location="l"
            )


def test_timestamper_follows_the_setting(dev_pki, settings):
    from pyhanko.sign.timestamps import DummyTimeStamper
    from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

    assert signing.timestamper() is None
    settings.CONTRACTS_TSA_URL = "internal"
    assert isinstance(signing.timestamper(), DummyTimeStamper)
    settings.CONTRACTS_TSA_URL = "http://127.0.0.1:9/tsa"
    assert isinstance(signing.timestamper(), RequestsHTTPTimeStamper)


def test_an_unreachable_tsa_is_a_clear_error(dev_pki, rendered, settings):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CONTRACTS_TSA_URL = f"http://127.0.0.1:{port}/tsa"
    prepared = signing.prepare(rendered)
    with pytest.raises(signing.SigningFailed, match="did not answer"):
        signing.sign(
            prepared, field="platform", identity=pki.platform_identity(), stamp=stamp(None), reason="r", location="l"
        )


def test_archive_needs_a_timestamper(dev_pki, rendered):
    with pytest.raises(signing.SigningFailed):
        signing.archive(signing.prepare(rendered))


def test_riding_seal_slices_on_every_page(dev_pki, rendered, seal_png):
    signed, _levels, _buyer = sign_both(rendered, seal_png, riding_seal=True)
    assert verify_pdf(signed).ok
    reader = PdfFileReader(io.BytesIO(signed))
    for index in range(rendered.pages):
        page = reader.root["/Pages"]["/Kids"][index].get_object()
        assert f"/RidingSeal{index}" in page["/Resources"]["/XObject"]
    # later signatures cannot add one: it would change signed pages
    with pytest.raises(signing.SigningFailed):
        signing.sign(
            signed,
            field="platform",
            identity=pki.platform_identity(),
            stamp=stamp(seal_png),
            reason="r",
            location="l",
            riding_seal=True,
        )


def _stamp_font(stamp_: signing.Stamp) -> TTFont:
    return TTFont(io.BytesIO(signing._stamp_style(stamp_).text_box_style.font.font_bytes))


def test_the_stamp_font_holds_the_stamps_characters_and_hardly_more(seal_png):
    """pyHanko parses and subsets the stamp's font at every signature: handed the 7,445-glyph
    GB 2312 face that took ~0.1 s of CPU per signature, handed the stamp's few characters a few ms."""
    font = _stamp_font(stamp(seal_png))
    cmap = font.getBestCmap()
    assert set("签署人：张三华为技术有限公司2026-11-29 16:00（北京时间）") - {" "} <= {chr(c) for c in cmap}
    assert len(font.getGlyphOrder()) < 100 and len(cmap) < 40
    assert font["name"].getDebugName(6) == "NotoSansCJKsc-Regular"  # what pdffonts names the stamp's font
    # a character outside GB 2312 comes from the whole face, cut just the same
    rare = _stamp_font(stamp(seal_png, who="李堃")).getBestCmap()
    assert ord("堃") in rare and len(rare) < 40


def test_generated_seal_is_a_round_red_png():
    image = Image.open(io.BytesIO(signing.generated_seal_png("深圳市腾讯计算机系统有限公司")))
    assert image.format == "PNG" and image.mode == "RGBA" and image.width == image.height
    assert image.getpixel((0, 0))[3] == 0  # transparent outside the ring
    centre = image.getpixel((image.width // 2, image.height // 2))
    assert centre[0] > 150 and centre[1] < 80 and centre[3] == 255  # the red star


def test_seal_digest_without_timestamper_is_a_platform_signature(dev_pki):
    digest = hashlib.sha256(b"evidence chain head").digest()
    token = signing.seal_digest(digest)
    assert signing.verify_seal(token, digest) is not None
    assert signing.verify_seal(token, hashlib.sha256(b"other").digest()) is None
    assert signing.verify_seal(b"garbage", digest) is None


def test_seal_digest_with_timestamper_is_an_rfc3161_token(tsa_url):
    digest = hashlib.sha256(b"evidence chain head").digest()
    token = signing.seal_digest(digest)
    sealed_at = signing.verify_seal(token, digest)
    assert sealed_at is not None and sealed_at.tzinfo is not None
    assert signing.verify_seal(token, hashlib.sha256(b"other").digest()) is None


def test_revocation(dev_pki, rendered, seal_png, settings, tmp_path):
    """Signed at B-LT before the revocation: still valid (it embedded the good status of its
    time). After: the platform refuses to sign, and new revocation data says revoked."""
    from cryptography import x509 as crypto_x509
    from cryptography.x509 import ocsp

    settings.CONTRACTS_PKI_DIR = str(tmp_path / "pki")
    pki.ensure_dev_pki(tmp_path / "pki")
    settings.CONTRACTS_TSA_URL = "internal"
    signed, levels, _buyer = sign_both(rendered, seal_png)
    assert levels == ("B-LT", "B-LT")
    platform = pki.platform_identity()
    pki.revoke(pki.certificate_serial_hex(platform))
    assert verify_pdf(signed).ok
    with pytest.raises(signing.SigningFailed, match="revoked"):
        signing.sign(
            signing.prepare(rendered), field="platform", identity=platform, stamp=stamp(None), reason="r", location="l"
        )
    crls, ocsps = pki.revocation_info([platform.cert])
    crl = crypto_x509.load_der_x509_crl(crls[0])
    assert crl.get_revoked_certificate_by_serial_number(platform.cert.serial_number) is not None
    assert ocsp.load_der_ocsp_response(ocsps[0]).certificate_status == ocsp.OCSPCertStatus.REVOKED
