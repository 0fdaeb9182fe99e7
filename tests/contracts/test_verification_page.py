"""The public verification page (验签): by contract number or by an uploaded PDF, anyone sees for
each signature the signer, signing time, timestamp time, coverage, modification level,
revocation and the verdict from ``bottom_line``; a changed byte or an update appended after
signing shows as not valid; the checks are explained, the private CA's "validity unknown" is
stated plainly, and the platform's root certificate can be downloaded. Numbers of contracts
not signed yet are answered like unknown numbers."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from plugins.contracts import verification_text
from plugins.contracts.models import EvidenceEvent, EvidenceKind
from plugins.contracts.services import documents
from tests.contracts.store_helpers import (
    client_for,
    contract_env,  # noqa: F401 - fixture
    countersigned,
    sign_through_pages,
    signer_with_contract,
    zh,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("contract_env")]


def url():
    return reverse("contracts:verify")


@pytest.fixture
def effective():
    user, company, contract = signer_with_contract("verifier")
    contract = countersigned(user, sign_through_pages(client_for(user), user, contract))
    return user, company, contract


def checks(response):
    return {d.check.field: d for d in response.context["checks"]}


def test_by_number_both_signatures_are_valid_and_every_check_is_explained(effective):
    user, company, contract = effective
    response = Client().get(url(), {"number": contract.number})
    body = response.content.decode()
    assert response.status_code == 200 and response.context["result"].ok
    found = checks(response)
    assert set(found) == {"buyer", "platform"} and all(d.ok for d in found.values())
    buyer = found["buyer"].check
    assert buyer.organisation == company.legal_name and company.uscc in buyer.uscc
    assert buyer.signed_at is not None and buyer.bottom_line
    assert 'id="verdict" data-ok="1"' in body and body.count('class="card mb-3 signature-check"') == 2
    assert escape(company.legal_name) in body
    for title, text in verification_text.explanations():
        assert escape(title) in body and escape(text) in body
    assert escape(verification_text.private_ca_notice()) in body
    assert "validity unknown" in verification_text.private_ca_notice() or "有效性未知" in body
    assert reverse("contracts:root-certificate") in body
    stored = response.context["stored"]
    assert stored == contract.current_document and response.context["is_latest"]
    event = EvidenceEvent.objects.filter(contract=contract).order_by("-seq").first()
    assert event.kind == EvidenceKind.VERIFIED and event.document_sha256 == stored.sha256
    assert event.detail == {"ok": True, "uploaded": False}
    count = EvidenceEvent.objects.filter(contract=contract).count()
    assert Client().get(url(), {"number": contract.number}).context["result"].ok  # reloaded: not recorded again
    assert EvidenceEvent.objects.filter(contract=contract).count() == count


def test_an_uploaded_copy_is_matched_to_the_stored_revision(effective):
    _user, _company, contract = effective
    data = documents.read(contract.current_document)
    response = Client().post(url(), {"file": SimpleUploadedFile("合同.pdf", data, "application/pdf")})
    assert response.status_code == 200 and response.context["result"].ok
    assert response.context["stored"] == contract.current_document and 'id="stored-match"' in response.content.decode()
    # the buyer-signed revision: valid, but a later revision exists
    earlier = contract.documents.get(revision=2)
    response = Client().post(url(), {"file": SimpleUploadedFile("r2.pdf", documents.read(earlier))})
    assert response.context["result"].ok and not response.context["is_latest"]
    assert set(checks(response)) == {"buyer"}


def test_one_changed_byte_shows_as_not_valid(effective):
    _user, _company, contract = effective
    data = bytearray(documents.read(contract.current_document))
    signed_at = data.find(b"/Contents") - 200  # inside the signed bytes, away from the signature
    position = max(1000, signed_at)
    data[position] = (data[position] + 1) % 256
    response = Client().post(url(), {"file": SimpleUploadedFile("tampered.pdf", bytes(data))})
    assert response.status_code == 200
    result = response.context["result"]
    assert not result.ok and response.context["stored"] is None
    assert 'id="verdict" data-ok="0"' in response.content.decode()
    assert 'id="no-stored-match"' in response.content.decode() or result.error


def test_an_update_appended_after_signing_fails_the_verdict_although_the_bytes_are_intact(effective):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    _user, _company, contract = effective
    writer = IncrementalPdfFileWriter(io.BytesIO(documents.read(contract.current_document)))
    page = writer.find_page_for_modification(0)[0]
    stream = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 100 Td (PAID) Tj ET"))
    writer.add_stream_to_page(0, stream)
    assert page is not None
    out = io.BytesIO()
    writer.write(out)
    response = Client().post(url(), {"file": SimpleUploadedFile("appended.pdf", out.getvalue())})
    result = response.context["result"]
    assert not result.ok
    assert any(s.intact and not s.bottom_line for s in result.signatures)
    assert any(not d.ok for d in response.context["checks"])


def test_unknown_and_unsigned_numbers_get_the_same_answer():
    _user, _company, sent = signer_with_contract("unsigned")
    before = EvidenceEvent.objects.count()
    for number in ("HT-20990101-999999", sent.number):
        response = Client().get(url(), {"number": number})
        assert response.status_code == 404
        assert response.context["form"].errors["number"] == [zh("No signed contract has this number.")]
        assert "result" not in response.context
        assert escape(sent.company.legal_name) not in response.content.decode()
    assert EvidenceEvent.objects.count() == before


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "__all__", "Enter a contract number or choose a PDF file."),
        ({"file": SimpleUploadedFile("x.pdf", b"GIF89a")}, "file", "This is not a PDF file."),
    ],
)
def test_bad_input_is_named(data, field, message):
    response = Client().post(url(), data)
    assert response.status_code == 400
    assert zh(message) in response.context["form"].errors[field]


def test_files_over_20_mb_are_refused():
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * (20 * 1024 * 1024))
    response = Client().post(url(), {"file": big})
    assert response.status_code == 400
    assert zh("The file is larger than 20 MB.") in response.context["form"].errors["file"]


def test_the_page_and_the_root_certificate_are_public():
    page = Client().get(url())
    assert page.status_code == 200 and 'id="verify-form"' in page.content.decode()
    cert = Client().get(reverse("contracts:root-certificate"))
    assert cert.status_code == 200 and cert.content.startswith(b"-----BEGIN CERTIFICATE-----")
    assert cert["Content-Disposition"].startswith("attachment")
    from cryptography import x509

    assert x509.load_pem_x509_certificate(cert.content).subject is not None


def test_with_a_timestamping_service_the_page_shows_the_timestamp_and_the_embedded_revocation(tsa_url):
    user, _company, contract = signer_with_contract("timestamped")
    client = client_for(user)
    contract = countersigned(user, sign_through_pages(client, user, contract))
    assert [d.level for d in contract.documents.order_by("revision")][1:] == ["B-LT", "B-LT"]
    page = client.get(reverse("contracts:detail", args=[contract.number])).content.decode()
    assert page.count("<td>B-LT</td>") == 2
    response = Client().get(url(), {"number": contract.number})
    assert response.context["result"].ok
    embedded = zh("not revoked (checked against the revocation data embedded in the document)")
    for d in response.context["checks"]:
        assert d.ok and d.check.timestamp_at is not None and d.revocation == embedded
    assert escape(embedded) in response.content.decode()
