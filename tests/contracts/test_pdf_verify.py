"""verify_pdf: never raises, decides on bottom_line, trusts only the platform root, and judges
each signature at its own signing time (event certificates live only minutes)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from plugins.contracts.pdf import pki, signing
from plugins.contracts.pdf.verify import verify_pdf
from tests.contracts.test_pdf_signing import sign_both, stamp


@pytest.mark.parametrize("data", [b"", b"not a pdf", b"%PDF-1.7\n1 0 obj <<", b"%PDF-1.7\n" + b"\x00" * 1000])
def test_bad_input_is_reported_not_raised(dev_pki, data):
    result = verify_pdf(data)
    assert not result.ok and result.error and result.signatures == ()


def test_unsigned_documents_are_not_ok(dev_pki, rendered):
    for data in (rendered.pdf, signing.prepare(rendered)):
        result = verify_pdf(data)
        assert not result.ok and result.signatures == ()
        assert "no signature" in result.error


def test_a_truncated_signed_file_is_not_ok(dev_pki, rendered, seal_png):
    signed, _levels, _buyer = sign_both(rendered, seal_png)
    result = verify_pdf(signed[: len(signed) - 3000])
    assert not result.ok


def test_another_ca_is_not_trusted(dev_pki, rendered, tmp_path, settings):
    pki.ensure_dev_pki(tmp_path / "other")
    with override_settings(CONTRACTS_PKI_DIR=str(tmp_path / "other")):
        foreign = pki.platform_identity()
    signed, _level = signing.sign(
        signing.prepare(rendered), field="platform", identity=foreign, stamp=stamp(None), reason="r", location="l"
    )
    result = verify_pdf(signed)
    (check,) = result.signatures
    assert check.intact and check.valid and not check.trusted and not check.bottom_line and not result.ok
    assert any("root certificate" in p for p in check.problems)


def test_signatures_are_judged_at_their_signing_time(dev_pki, rendered, seal_png, monkeypatch):
    """A day later the buyer's event certificate has long expired; the signature still holds."""
    import pyhanko_certvalidator.context as context

    signed, _levels, _buyer = sign_both(rendered, seal_png)

    class Tomorrow(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime.now(tz) + dt.timedelta(days=1)

    monkeypatch.setattr(context, "datetime", Tomorrow)
    result = verify_pdf(signed)
    assert result.ok, [c.problems for c in result.signatures]
