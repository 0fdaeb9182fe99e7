"""我的合同 in the storefront: the list and its filters, the contract's page (text, PDF revisions,
evidence), the reading tracker's reports, asking for a code, signing with it — and every
refusal (not read, no signing rights, above the cap until the approver approves, a wrong code,
a code for another revision, an already signed contract), each shown and changing nothing but
what it must (a wrong code costs an attempt, which is kept). Comments open negotiation;
downloads and the evidence report are recorded in the chain."""

import subprocess
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils.html import escape

from plugins.contracts.models import (
    Comment,
    Contract,
    DocumentStage,
    EvidenceEvent,
    EvidenceKind,
    SigningCode,
    State,
)
from tests import factories
from tests.contracts.store_helpers import (
    authorise,
    client_for,
    contract_env,  # noqa: F401 - fixture
    countersigned,
    last_code,
    read_to_end,
    request_code,
    sent_contract,
    sign_through_pages,
    signer_with_contract,
    zh,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("contract_env")]


def kinds(contract) -> list[str]:
    return list(EvidenceEvent.objects.filter(contract=contract).order_by("seq").values_list("kind", flat=True))


def errors_of(response, form: str) -> str:
    return " ".join(" ".join(e) for e in response.context[form].errors.values())


def test_the_list_shows_the_companys_contracts_with_filters_and_the_account_tab():
    user, company, contract = signer_with_contract()
    client = client_for(user)
    profile = client.get(reverse("customer:profile-view")).content.decode()
    assert reverse("contracts:list") in profile and zh("My contracts") in profile
    page = client.get(reverse("contracts:list"))
    body = page.content.decode()
    assert page.status_code == 200 and contract.number in body and company.legal_name in body
    assert f"¥{contract.total}" in body
    assert contract.number in client.get(reverse("contracts:list"), {"state": "sent"}).content.decode()
    assert contract.number not in client.get(reverse("contracts:list"), {"state": "effective"}).content.decode()
    assert contract.number in client.get(reverse("contracts:list"), {"kind": "sales"}).content.decode()
    assert contract.number not in client.get(reverse("contracts:list"), {"kind": "framework"}).content.decode()
    # a person of no company is told where contracts come from
    loner = client_for(factories.person("loner")).get(reverse("contracts:list"))
    assert loner.status_code == 200 and 'id="no-company"' in loner.content.decode()


def test_the_contract_page_shows_the_text_the_pdf_the_signing_steps_and_records_the_view():
    user, company, contract = signer_with_contract()
    client = client_for(user)
    before = kinds(contract)
    page = client.get(reverse("contracts:detail", args=[contract.number]))
    body = page.content.decode()
    assert page.status_code == 200
    document = contract.current_document
    assert document.sha256 in body and 'id="contract-reader"' in body and 'id="contract-end"' in body
    assert reverse("contracts:reading", args=[contract.number]) in body
    assert reverse("contracts:document", args=[contract.number, document.revision]) + "?inline=1" in body
    assert "contracts/reading.js" in body and 'id="code-form"' in body
    assert company.legal_name in body and contract.total_uppercase in body
    assert kinds(contract) == [*before, EvidenceKind.VIEWED]
    # the JS is served by the platform (no CDN)
    script = finders.find("contracts/reading.js")
    with open(script, encoding="utf-8") as handle:
        source = handle.read()
    assert "IntersectionObserver" in source and "sendBeacon" in source and "//cdn" not in source


def test_the_reading_tracker_records_seconds_and_the_end():
    user, _company, contract = signer_with_contract()
    client = client_for(user)
    url = reverse("contracts:reading", args=[contract.number])
    assert client.post(url, {"seconds": "15", "reached_end": "0"}).json() == {"read_seconds": 15, "read_to_end": False}
    assert client.post(url, {"seconds": "20", "reached_end": "1"}).json() == {"read_seconds": 35, "read_to_end": True}
    assert client.post(url, {"seconds": "oops"}).json() == {"read_seconds": 35, "read_to_end": True}
    contract.refresh_from_db()
    assert (contract.read_seconds, contract.read_to_end) == (35, True)
    viewed = EvidenceEvent.objects.filter(contract=contract, kind=EvidenceKind.VIEWED).order_by("seq")
    assert [e.detail for e in viewed] == [{"seconds": 15, "reached_end": False}, {"seconds": 20, "reached_end": True}]
    assert client.get(url).status_code == 405


def test_a_code_is_refused_before_reading_to_the_end_and_sent_after():
    user, _company, contract = signer_with_contract()
    client = client_for(user)
    response = request_code(client, contract)
    assert response.status_code == 400
    assert zh("Read the contract to its end before asking for a code.") in errors_of(response, "code_form")
    assert not SigningCode.objects.exists()
    # the tracker's unsent report travels with the form and is recorded first
    response = request_code(client, contract, read_seconds="30", reached_end="True")
    assert response.status_code == 302
    code = SigningCode.objects.get()
    assert code.document_sha256 == contract.current_document.sha256 and code.user == user
    assert len(last_code(user.email)) == 6
    assert kinds(contract)[-2:] == [EvidenceKind.VIEWED, EvidenceKind.CODE_SENT]
    page = client.get(reverse("contracts:detail", args=[contract.number])).content.decode()
    assert 'id="sign-form"' in page and 'id="resend-wait"' in page
    # a new code only after the resend interval
    before = kinds(contract)
    response = request_code(client, contract, reached_end="True")
    assert response.status_code == 400 and SigningCode.objects.count() == 1
    assert kinds(contract) == before  # the end already reached is not reported again
    wait = zh("A code was sent just now. You can ask for a new one in %(seconds)s seconds.")
    assert wait.split("%(seconds)s")[0] in errors_of(response, "code_form")


def test_the_buyer_signs_with_the_code_and_the_contract_cannot_be_signed_twice():
    user, company, contract = signer_with_contract()
    client = client_for(user)
    prepared = contract.current_document
    contract = sign_through_pages(client, user, contract)
    assert contract.state == State.BUYER_SIGNED and contract.buyer_signer == user and contract.read_to_end
    signed = contract.current_document
    assert signed.stage == DocumentStage.BUYER_SIGNED and signed.revision == prepared.revision + 1
    event = EvidenceEvent.objects.get(contract=contract, kind=EvidenceKind.SIGNED)
    assert event.document_sha256 == signed.sha256 and len(event.detail["certificate_serial"]) > 8
    assert event.detail["read_to_end"] is True
    assert [k for k in kinds(contract) if k.startswith("code")] == [EvidenceKind.CODE_SENT, EvidenceKind.CODE_VERIFIED]
    # the page no longer offers signing; a replayed POST is refused in words and changes nothing
    page = client.get(reverse("contracts:detail", args=[contract.number])).content.decode()
    assert 'id="code-form"' not in page and 'id="sign-form"' not in page
    before = (kinds(contract), contract.documents.count())
    response = client.post(
        reverse("contracts:sign", args=[contract.number]),
        {"document_sha256": prepared.sha256, "code": "123456", "agree": "on"},
    )
    assert response.status_code == 400
    assert zh("This contract has already been signed.") in errors_of(response, "sign_form")
    assert (kinds(contract), contract.documents.count()) == before


def test_a_wrong_code_costs_an_attempt_that_is_kept_and_shown():
    user, _company, contract = signer_with_contract()
    client = client_for(user)
    read_to_end(client, contract)
    assert request_code(client, contract).status_code == 302
    right = last_code(user.email)
    wrong = "000000" if right != "000000" else "111111"
    sha = contract.current_document.sha256
    response = client.post(
        reverse("contracts:sign", args=[contract.number]), {"document_sha256": sha, "code": wrong, "agree": "on"}
    )
    assert response.status_code == 400
    assert zh("The code is wrong. %(left)s attempts left.") % {"left": 4} in errors_of(response, "sign_form")
    assert SigningCode.objects.get().attempts == 1  # the request committed the attempt
    assert kinds(contract)[-1] == EvidenceKind.CODE_FAILED
    contract.refresh_from_db()
    assert contract.state == State.SENT and contract.documents.count() == 1
    # the form's own checks: 6 digits and the confirmation
    response = client.post(reverse("contracts:sign", args=[contract.number]), {"document_sha256": sha, "code": "12"})
    assert response.status_code == 400 and "agree" in response.context["sign_form"].errors
    assert SigningCode.objects.get().attempts == 1
    # the right code still works
    response = client.post(
        reverse("contracts:sign", args=[contract.number]), {"document_sha256": sha, "code": right, "agree": "on"}
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.state == State.BUYER_SIGNED


def test_a_code_for_another_revision_is_refused():
    from plugins.contracts.services.contracts import reissue

    user, _company, contract = signer_with_contract()
    client = client_for(user)
    old_sha = contract.current_document.sha256
    read_to_end(client, contract)
    assert request_code(client, contract).status_code == 302
    code = last_code(user.email)
    reissue(contract=contract, by=None)  # the platform sends a new revision meanwhile
    contract.refresh_from_db()
    assert contract.current_document.sha256 != old_sha
    response = client.post(
        reverse("contracts:sign", args=[contract.number]), {"document_sha256": old_sha, "code": code, "agree": "on"}
    )
    assert response.status_code == 400
    assert zh("The contract changed since you opened it. Read the current version before signing.") in errors_of(
        response, "sign_form"
    )
    response = client.post(
        reverse("contracts:sign", args=[contract.number]),
        {"document_sha256": contract.current_document.sha256, "code": code, "agree": "on"},
    )
    assert response.status_code == 400
    assert zh(
        "The code was sent for another version of this contract. Read the current version and ask for a new code."
    ) in errors_of(response, "sign_form")
    contract.refresh_from_db()
    assert contract.state == State.SENT


def test_a_person_without_signing_rights_sees_why_and_gets_no_code():
    admin = factories.distributor("admin")
    company = factories.company_of(admin)
    contract = sent_contract(admin)  # nobody is authorised
    client = client_for(admin)
    page = client.get(reverse("contracts:detail", args=[contract.number])).content.decode()
    refusal = zh("You are not authorised to sign for %(company)s. Ask your company's administrator.") % {
        "company": company.legal_name
    }
    assert 'id="sign-refusal"' in page and 'id="code-form"' not in page and escape(refusal) in page
    read_to_end(client, contract)
    response = request_code(client, contract)
    assert response.status_code == 400 and not SigningCode.objects.exists()
    assert refusal in errors_of(response, "code_form")


def test_above_the_cap_the_approver_approves_before_the_signer_can_sign():
    from companies.services.people import add_member

    admin = factories.distributor("capadmin")
    company = factories.company_of(admin)
    signer = factories.person("capsigner")
    approver = factories.person("capapprover")
    add_member(company=company, user=signer, role="buyer", by=admin)
    add_member(company=company, user=approver, role="approver", by=admin)
    authorise(company, signer, cap=Decimal("50.00"), by=admin)
    contract = sent_contract(admin, price="100.00", quantity=2)
    signer_client, approver_client = client_for(signer), client_for(approver)

    page = signer_client.get(reverse("contracts:detail", args=[contract.number])).content.decode()
    assert 'id="sign-refusal"' in page and 'id="ask-approval"' in page and "50.00" in page
    assert (
        signer_client.post(reverse("contracts:approve-seal", args=[contract.number]), {"action": "request"}).status_code
        == 302
    )
    # nobody else asks for it (no e-mails to approvers on behalf of people who need no approval)
    response = client_for(admin).post(reverse("contracts:approve-seal", args=[contract.number]), {"action": "request"})
    assert response.status_code == 400
    # a signer cannot approve for themselves
    response = signer_client.post(reverse("contracts:approve-seal", args=[contract.number]), {"action": "approve"})
    assert response.status_code == 400
    contract.refresh_from_db()
    assert contract.seal_approved_at is None

    page = approver_client.get(reverse("contracts:detail", args=[contract.number])).content.decode()
    assert 'id="approve-seal"' in page
    response = approver_client.post(reverse("contracts:approve-seal", args=[contract.number]), {"action": "approve"})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.seal_approved_by == approver and kinds(contract)[-1] == EvidenceKind.SEAL_APPROVED
    page = signer_client.get(reverse("contracts:detail", args=[contract.number])).content.decode()
    assert 'id="sign-refusal"' not in page and 'id="code-form"' in page and 'id="seal-approved"' in page
    contract = sign_through_pages(signer_client, signer, contract)
    assert contract.state == State.BUYER_SIGNED and contract.buyer_signer == signer


def test_a_comment_opens_negotiation_and_an_empty_one_changes_nothing():
    user, _company, contract = signer_with_contract()
    client = client_for(user)
    url = reverse("contracts:comment", args=[contract.number])
    response = client.post(url, {"body": "   "})
    assert response.status_code == 400 and not Comment.objects.exists()
    contract.refresh_from_db()
    assert contract.state == State.SENT
    response = client.post(url, {"body": "交货期请改为 15 天"})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.state == State.NEGOTIATING and Comment.objects.get().body == "交货期请改为 15 天"
    assert kinds(contract)[-1] == EvidenceKind.COMMENTED
    page = client.get(reverse("contracts:detail", args=[contract.number])).content.decode()
    assert "交货期请改为 15 天" in page and 'id="code-form"' not in page
    # the platform's answer shows as the platform's, not its employee's
    from plugins.contracts.services.contracts import comment

    operator = factories.operator("answering")
    comment(contract=contract, by=operator, body="已按贵司意见修改", buyer=False)
    page = client.get(reverse("contracts:detail", args=[contract.number])).content.decode()
    assert "已按贵司意见修改" in page and operator.email not in page


def test_documents_download_inline_and_as_files_and_downloads_are_evidence():
    user, _company, contract = signer_with_contract()
    client = client_for(user)
    document = contract.current_document
    url = reverse("contracts:document", args=[contract.number, document.revision])
    before = kinds(contract)
    inline = client.get(url, {"inline": "1"})
    assert inline.status_code == 200 and inline["Content-Type"] == "application/pdf"
    assert inline["X-Frame-Options"] == "SAMEORIGIN" and inline["Content-Disposition"].startswith("inline")
    assert b"".join(inline.streaming_content).startswith(b"%PDF-")
    assert kinds(contract) == before
    download = client.get(url)
    data = b"".join(download.streaming_content)
    assert download["Content-Disposition"].startswith("attachment") and len(data) == document.size
    event = EvidenceEvent.objects.filter(contract=contract).order_by("-seq").first()
    assert event.kind == EvidenceKind.DOWNLOADED and event.document_sha256 == document.sha256
    assert client.get(reverse("contracts:document", args=[contract.number, 99])).status_code == 404


def test_the_evidence_report_is_a_signed_pdf_with_every_record():
    from plugins.contracts.pdf.verify import verify_pdf

    user, company, contract = signer_with_contract()
    client = client_for(user)
    contract = countersigned(user, sign_through_pages(client, user, contract))
    assert contract.state == State.EFFECTIVE
    events = list(EvidenceEvent.objects.filter(contract=contract).order_by("seq"))
    response = client.get(reverse("contracts:evidence-report", args=[contract.number]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = response.content
    result = verify_pdf(data)
    assert result.ok and [s.field for s in result.signatures] == ["platform"]
    text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    flat = "".join(text.split())
    assert contract.number in flat and company.legal_name in flat and company.uscc in flat
    for event in events:
        assert event.hash in flat, event.seq
    assert contract.documents.order_by("-revision").first().sha256 in flat
    latest = EvidenceEvent.objects.filter(contract=contract).order_by("-seq").first()
    assert latest.kind == EvidenceKind.DOWNLOADED and latest.detail == {"evidence_report": True}


def test_the_evidence_report_says_where_a_changed_record_breaks_the_chain():
    from plugins.contracts.services.report import report_html

    user, _company, contract = signer_with_contract()
    client_for(user).get(reverse("contracts:detail", args=[contract.number]))
    EvidenceEvent.objects.filter(contract=contract, seq=2).update(ip="10.6.6.6")
    html = report_html(contract)
    assert (zh("Record %(n)s was changed after it was written.") % {"n": 2}) in html
    page = client_for(user).get(reverse("contracts:detail", args=[contract.number])).content.decode()
    assert 'id="chain-check" class="text-danger"' in page


def test_the_order_page_shows_its_contract():
    user, _company, contract = signer_with_contract()
    page = client_for(user).get(reverse("customer:order", kwargs={"order_number": contract.order.number}))
    body = page.content.decode()
    assert page.status_code == 200 and 'id="order-contracts"' in body
    assert reverse("contracts:detail", args=[contract.number]) in body


def test_contract_totals_match_the_order():
    user, _company, contract = signer_with_contract()
    assert contract.total == contract.order.total_incl_tax
    assert Contract.objects.filter(order=contract.order).count() == 1


def test_a_voided_contract_is_refused_in_words_and_offers_no_signing():
    from plugins.contracts.services.contracts import void

    user, _company, contract = signer_with_contract()
    client = client_for(user)
    read_to_end(client, contract)
    void(contract=contract, by=factories.operator("voider"), reason="订单取消")
    contract.refresh_from_db()
    page = client.get(reverse("contracts:detail", args=[contract.number])).content.decode()
    assert 'id="code-form"' not in page and 'data-state="voided"' in page and "订单取消" in page
    before = (kinds(contract), SigningCode.objects.count())
    response = request_code(client, contract)
    assert response.status_code == 400
    assert zh("This contract was voided and can no longer be signed.") in errors_of(response, "code_form")
    response = client.post(
        reverse("contracts:sign", args=[contract.number]),
        {"document_sha256": contract.current_document.sha256, "code": "123456", "agree": "on"},
    )
    assert response.status_code == 400
    assert zh("This contract was voided and can no longer be signed.") in errors_of(response, "sign_form")
    assert (kinds(contract), SigningCode.objects.count()) == before


def test_a_framework_agreement_is_seen_by_the_companys_buyers_and_signed_by_its_signer():
    from companies.services.people import add_member
    from plugins.contracts.services.contracts import create_framework, issue

    admin = factories.distributor("fwadmin")
    company = factories.company_of(admin)
    buyer = factories.person("fwbuyer")
    add_member(company=company, user=buyer, role="buyer", by=admin)
    authorise(company, admin)
    framework = issue(contract=create_framework(company=company, by=factories.operator("fwoperator")))
    listing = client_for(buyer).get(reverse("contracts:list"), {"kind": "framework"}).content.decode()
    assert framework.number in listing
    page = client_for(buyer).get(reverse("contracts:detail", args=[framework.number])).content.decode()
    assert framework.valid_until.strftime("%Y-%m-%d") in page and 'id="sign-refusal"' in page
    framework = sign_through_pages(client_for(admin), admin, framework)
    assert framework.state == State.BUYER_SIGNED and framework.buyer_signer == admin
