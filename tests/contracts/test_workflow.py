"""The contract workflow end to end on the services: a company's authorised person reads and
signs with a one-time code, the platform countersigns, the evidence chain holds — and every
refusal says why and changes nothing."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from companies.selectors import on_account_refusal
from plugins.contracts import selectors
from plugins.contracts.models import (
    CompanyContractPolicy,
    Contract,
    EvidenceEvent,
    EvidenceKind,
    Kind,
    Policy,
    SigningCode,
    State,
)
from plugins.contracts.pdf.verify import verify_pdf
from plugins.contracts.services import codes, contracts, documents, evidence, seals, signing
from plugins.contracts.services.evidence import Origin
from plugins.contracts.services.templates import ensure_default_templates
from plugins.contracts.tasks import contract_for_order
from tests import factories

pytestmark = pytest.mark.django_db

BROWSER = Origin(ip="198.51.100.7", user_agent="pytest-browser")


@pytest.fixture
def world(dev_pki, django_capture_on_commit_callbacks):
    ensure_default_templates()
    buyer = factories.distributor("signer")
    company = factories.company_of(buyer)
    supplier = factories.supplier("jg", "精工五金有限公司")
    product = factories.product("JG-M8", "外六角螺栓 M8", "12.35", partner=supplier)
    order = factories.place_order(buyer, [(product, 7)])
    operator = factories.operator()
    return type(
        "World",
        (),
        {
            "buyer": buyer,
            "company": company,
            "order": order,
            "operator": operator,
            "product": product,
            "capture": django_capture_on_commit_callbacks,
        },
    )


def sales_contract(w, order=None) -> Contract:
    """The contract the order's placement makes (the task the order_placed listener schedules)."""
    order = order or w.order
    contract_for_order(order.pk)
    return Contract.objects.get(order=order, kind=Kind.SALES)


def read_and_get_code(w, contract, user=None) -> str:
    user = user or w.buyer
    contracts.record_view(contract=contract, origin=BROWSER, seconds=75, reached_end=True)
    mail.outbox.clear()
    with w.capture(execute=True):
        signing.request_code(
            contract=contract, user=user, document_sha256=documents.current(contract).sha256, origin=BROWSER
        )
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
    return re.search(r"(?<![\d-])(\d{6})(?!\d)", mail.outbox[0].body).group(1)  # not the contract number


def test_the_story_sign_countersign_verify(world):
    w = world
    contract = sales_contract(w)
    assert contract.state == State.SENT
    assert contract.total == w.order.total_incl_tax
    assert contract.total_uppercase  # e.g. 捌拾陆元肆角伍分
    assert contract.company == w.company and contract.order == w.order
    seals.grant(company=w.company, user=w.buyer, amount_cap=None, expires_on=None, by=w.buyer)

    code = read_and_get_code(w, contract)
    shown = documents.current(contract).sha256
    signing.sign_as_buyer(contract=contract, user=w.buyer, code=code, document_sha256=shown, origin=BROWSER)
    contract.refresh_from_db()
    assert contract.state == State.BUYER_SIGNED and contract.buyer_signer == w.buyer

    signing.countersign(contract=contract, by=w.operator)
    contract.refresh_from_db()
    assert contract.state == State.EFFECTIVE
    assert contract.chain_head_timestamp

    final = documents.read(documents.current(contract))
    report = verify_pdf(final)
    assert report.ok and len(report.signatures) == 2
    buyer_sig, platform_sig = report.signatures
    assert buyer_sig.organisation == w.company.legal_name and buyer_sig.uscc == w.company.uscc
    # the revisions stored are the ones signed, each once, each with its hash
    stages = list(contract.documents.order_by("revision").values_list("stage", flat=True))
    assert stages == ["prepared", "buyer_signed", "countersigned"]

    kinds = list(contract.evidence.order_by("seq").values_list("kind", flat=True))
    assert kinds == [
        EvidenceKind.CREATED,
        EvidenceKind.SENT,
        EvidenceKind.VIEWED,
        EvidenceKind.CODE_SENT,
        EvidenceKind.CODE_VERIFIED,
        EvidenceKind.SIGNED,
        EvidenceKind.COUNTERSIGNED,
        EvidenceKind.EFFECTIVE,
    ]
    signed = contract.evidence.get(kind=EvidenceKind.SIGNED)
    assert signed.ip == "198.51.100.7" and signed.detail["certificate_serial"] == buyer_sig.serial
    assert evidence.check_chain(contract).ok


def test_a_changed_evidence_record_breaks_the_chain_where_it_was_changed(world):
    contract = sales_contract(world)
    contracts.record_view(contract=contract, origin=BROWSER, seconds=12)
    contracts.record_view(contract=contract, origin=BROWSER, seconds=30, reached_end=True)
    assert evidence.check_chain(contract).ok
    third = contract.evidence.get(seq=3)
    EvidenceEvent.objects.filter(pk=third.pk).update(ip="203.0.113.99")
    check = evidence.check_chain(contract)
    assert not check.ok and check.broken_at == 3
    assert "3" in check.problem

    EvidenceEvent.objects.filter(pk=third.pk).update(ip=third.ip)
    assert evidence.check_chain(contract).ok
    contract.evidence.filter(seq=2).delete()
    check = evidence.check_chain(contract)
    assert not check.ok and check.broken_at == 3


def test_codes_wrong_expired_reused_or_for_another_revision(world, settings):
    w = world
    contract = sales_contract(w)
    seals.grant(company=w.company, user=w.buyer, amount_cap=None, expires_on=None, by=w.buyer)
    code = read_and_get_code(w, contract)
    shown = documents.current(contract).sha256
    wrong = "000000" if code != "000000" else "111111"

    with pytest.raises(codes.CodeRejected) as error:
        signing.sign_as_buyer(contract=contract, user=w.buyer, code=wrong, document_sha256=shown, origin=BROWSER)
    assert "4" in error.value.message_dict["code"][0]  # attempts left
    assert SigningCode.objects.get(contract=contract).attempts == 1  # kept though the signing failed
    assert contract.evidence.filter(kind=EvidenceKind.CODE_FAILED).count() == 1

    with pytest.raises(ValidationError) as error:
        signing.sign_as_buyer(contract=contract, user=w.buyer, code=code, document_sha256="f" * 64, origin=BROWSER)
    assert error.value.message_dict["document"]
    contract.refresh_from_db()
    assert contract.state == State.SENT

    # resend too soon
    with pytest.raises(ValidationError) as error:
        signing.request_code(contract=contract, user=w.buyer, document_sha256=shown, origin=BROWSER)
    assert "seconds" in error.value.message_dict["code"][0] or "秒" in error.value.message_dict["code"][0]

    # expired
    SigningCode.objects.filter(contract=contract).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(codes.CodeRejected) as error:
        signing.sign_as_buyer(contract=contract, user=w.buyer, code=code, document_sha256=shown, origin=BROWSER)
    assert error.value.error_dict["code"][0].code == "code_expired"

    # five wrong codes lock the code
    SigningCode.objects.filter(contract=contract).update(
        expires_at=timezone.now() + timedelta(minutes=5), attempts=settings.CONTRACTS_CODE_ATTEMPTS
    )
    with pytest.raises(codes.CodeRejected) as error:
        signing.sign_as_buyer(contract=contract, user=w.buyer, code=code, document_sha256=shown, origin=BROWSER)
    assert error.value.error_dict["code"][0].code == "code_locked"
    assert Contract.objects.get(pk=contract.pk).state == State.SENT


def test_a_used_code_cannot_sign_again(world):
    w = world
    contract = sales_contract(w)
    seals.grant(company=w.company, user=w.buyer, amount_cap=None, expires_on=None, by=w.buyer)
    code = read_and_get_code(w, contract)
    shown = documents.current(contract).sha256
    signing.sign_as_buyer(contract=contract, user=w.buyer, code=code, document_sha256=shown, origin=BROWSER)
    contract.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        signing.sign_as_buyer(contract=contract, user=w.buyer, code=code, document_sha256=shown, origin=BROWSER)
    assert error.value.error_dict["contract"][0].code == "not_signable"
    assert contract.documents.count() == 2


def test_who_may_sign(world):
    w = world
    contract = sales_contract(w)
    shown = documents.current(contract).sha256
    contracts.record_view(contract=contract, origin=BROWSER, seconds=40, reached_end=True)
    # no signing rights
    with pytest.raises(ValidationError) as error:
        signing.request_code(contract=contract, user=w.buyer, document_sha256=shown, origin=BROWSER)
    assert w.company.legal_name in error.value.message_dict["contract"][0]
    # a cap below the total: the approver must approve the seal first
    seals.grant(company=w.company, user=w.buyer, amount_cap=Decimal("10.00"), expires_on=None, by=w.buyer)
    with pytest.raises(ValidationError) as error:
        signing.request_code(contract=contract, user=w.buyer, document_sha256=shown, origin=BROWSER)
    assert "10.00" in error.value.message_dict["contract"][0]
    approver = factories.person("approver1")
    factories.join(approver, w.company, "approver")
    with pytest.raises(ValidationError):
        signing.approve_seal(contract=contract, approver=factories.operator("op2"), origin=BROWSER)
    signing.approve_seal(contract=contract, approver=approver, origin=BROWSER)
    with w.capture(execute=True):
        signing.request_code(contract=contract, user=w.buyer, document_sha256=shown, origin=BROWSER)
    # someone from another company never
    stranger = factories.distributor("stranger")
    assert signing.signing_refusal(contract, stranger)
    assert selectors.contract_for(stranger, contract.number) is None
    supplier_staff = factories.supplier_staff(factories.supplier("other", "其他供应商"), "staff1")
    assert selectors.contract_for(supplier_staff, contract.number) is None


def test_reading_to_the_end_comes_before_the_code(world):
    w = world
    contract = sales_contract(w)
    seals.grant(company=w.company, user=w.buyer, amount_cap=None, expires_on=None, by=w.buyer)
    with pytest.raises(ValidationError) as error:
        signing.request_code(
            contract=contract, user=w.buyer, document_sha256=documents.current(contract).sha256, origin=BROWSER
        )
    assert error.value.error_dict["contract"][0].code == "not_read"
    assert not SigningCode.objects.exists()


def test_voided_contracts_cannot_be_signed_and_voiding_needs_a_reason(world):
    w = world
    contract = sales_contract(w)
    with pytest.raises(ValidationError):
        contracts.void(contract=contract, by=w.operator, reason=" ")
    assert Contract.objects.get(pk=contract.pk).state == State.SENT
    contracts.void(contract=contract, by=w.operator, reason="客户重新下单")
    contract.refresh_from_db()
    assert contract.state == State.VOIDED and contract.state_reason == "客户重新下单"
    seals.grant(company=w.company, user=w.buyer, amount_cap=None, expires_on=None, by=w.buyer)
    assert "voided" in signing.signing_refusal(contract, w.buyer) or "作废" in signing.signing_refusal(
        contract, w.buyer
    )


def test_comment_opens_negotiation_and_reissue_sends_a_new_revision(world):
    w = world
    contract = sales_contract(w)
    first = documents.current(contract)
    with pytest.raises(ValidationError):
        contracts.comment(contract=contract, by=w.buyer, body="", origin=BROWSER, buyer=True)
    contracts.comment(contract=contract, by=w.buyer, body="请把验收期改为15日", origin=BROWSER, buyer=True)
    contract.refresh_from_db()
    assert contract.state == State.NEGOTIATING
    contracts.reissue(contract=contract, by=w.operator)
    contract.refresh_from_db()
    assert contract.state == State.SENT
    second = documents.current(contract)
    assert second.revision == first.revision + 1 and second.sha256 != first.sha256


def test_an_order_change_after_signing_makes_a_draft_supplement_and_leaves_the_contract(world):
    w = world
    contract = sales_contract(w)
    seals.grant(company=w.company, user=w.buyer, amount_cap=None, expires_on=None, by=w.buyer)
    code = read_and_get_code(w, contract)
    signing.sign_as_buyer(
        contract=contract, user=w.buyer, code=code, document_sha256=documents.current(contract).sha256, origin=BROWSER
    )
    signing.countersign(contract=contract, by=w.operator)
    html_before = Contract.objects.get(pk=contract.pk).html
    supplement = contracts.order_changed(order=w.order, reason="供应商拒绝")
    assert supplement.kind == Kind.SUPPLEMENT and supplement.state == State.DRAFT and supplement.parent == contract
    assert Contract.objects.get(pk=contract.pk).html == html_before
    again = contracts.order_changed(order=w.order, reason="又一次变更")
    assert Contract.objects.get(pk=supplement.pk).state == State.VOIDED  # one open draft at a time
    assert again.state == State.DRAFT


def test_framework_policy_covers_orders_and_gates_credit_and_tier(world):
    w = world
    contracts.set_policy(company=w.company, policy=Policy.FRAMEWORK, framework_required_for_credit=True, by=w.operator)
    refusal = on_account_refusal(w.buyer)
    assert refusal and w.company.legal_name in refusal
    framework = contracts.create_framework(company=w.company, by=w.operator)
    contracts.issue(contract=framework, by=w.operator)
    seals.grant(company=w.company, user=w.buyer, amount_cap=None, expires_on=None, by=w.buyer)
    framework.refresh_from_db()
    code = read_and_get_code(w, framework)
    signing.sign_as_buyer(
        contract=framework, user=w.buyer, code=code, document_sha256=documents.current(framework).sha256, origin=BROWSER
    )
    signing.countersign(contract=framework, by=w.operator)
    assert on_account_refusal(w.buyer) is None
    # a new order is covered by the agreement: no contract of its own
    order = factories.place_order(w.buyer, [(w.product, 2)])
    assert contract_for_order(order.pk) == "covered by the framework agreement"
    assert not Contract.objects.filter(order=order).exists()
    # a second agreement for the same period is refused
    with pytest.raises(ValidationError):
        contracts.create_framework(company=w.company, by=w.operator)
    assert CompanyContractPolicy.objects.get(company=w.company).policy == Policy.FRAMEWORK


def test_batch_countersignature_reports_each_contract(world):
    w = world
    seals.grant(company=w.company, user=w.buyer, amount_cap=None, expires_on=None, by=w.buyer)
    contract = sales_contract(w)
    code = read_and_get_code(w, contract)
    signing.sign_as_buyer(
        contract=contract, user=w.buyer, code=code, document_sha256=documents.current(contract).sha256, origin=BROWSER
    )
    contract.refresh_from_db()
    voided = sales_contract(w, factories.place_order(w.buyer, [(w.product, 1)]))
    contracts.void(contract=voided, by=w.operator, reason="测试")
    result = signing.countersign_batch(contracts=[contract, voided], by=w.operator)
    assert result.signed == (contract.number,)
    assert result.failed[0][0] == voided.number
    assert Contract.objects.get(pk=contract.pk).state == State.EFFECTIVE


def test_frameworks_expire_or_hand_over_to_their_renewal(world):
    w = world
    start = timezone.localdate() - timedelta(days=400)
    old = contracts.create_framework(company=w.company, by=w.operator, valid_from=start)
    contracts.issue(contract=old, by=w.operator)
    seals.grant(company=w.company, user=w.buyer, amount_cap=None, expires_on=None, by=w.buyer)
    old.refresh_from_db()
    signing.apply_buyer_signature(
        contract=old, user=w.buyer, document_sha256=documents.current(old).sha256, origin=BROWSER
    )
    signing.countersign(contract=Contract.objects.get(pk=old.pk), by=w.operator)
    assert contracts.expire_due() == 1
    assert Contract.objects.get(pk=old.pk).state == State.EXPIRED
    assert contracts.framework_in_force(w.company) is None


def test_archive_timestamps_with_a_timestamping_service(world, tsa_url):
    w = world
    seals.grant(company=w.company, user=w.buyer, amount_cap=None, expires_on=None, by=w.buyer)
    contract = sales_contract(w)
    code = read_and_get_code(w, contract)
    signing.sign_as_buyer(
        contract=contract, user=w.buyer, code=code, document_sha256=documents.current(contract).sha256, origin=BROWSER
    )
    signing.countersign(contract=contract, by=w.operator)
    assert documents.current(contract).level == "B-LT"
    assert signing.archive_due() == 0  # not due yet
    contract.documents.update(created_at=timezone.now() - timedelta(days=400))
    assert signing.archive_due() == 1
    archived = documents.current(contract)
    assert archived.stage == "archived" and archived.level == "B-LTA"
    report = verify_pdf(documents.read(archived))
    assert report.ok and len(report.signatures) == 2 and report.timestamps
    assert contract.evidence.filter(kind=EvidenceKind.ARCHIVED).exists()
    assert evidence.check_chain(contract).ok


def test_the_company_page_shows_its_contract_policy_and_agreement(world, client):
    w = world
    contracts.set_policy(company=w.company, policy=Policy.FRAMEWORK, framework_required_for_credit=True, by=w.operator)
    client.force_login(w.operator)
    page = client.get(reverse("companies-dashboard:company-detail", args=[w.company.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and 'id="company-contracts"' in html
    assert reverse("contracts-dashboard:policy-edit", args=[w.company.pk]) in html
