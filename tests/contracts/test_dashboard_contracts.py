"""Back office: the contract list and a contract's page, each action through the real services
(PDFs rendered by WeasyPrint and signed with the development PKI), refusals changing nothing."""

import pytest
from django.urls import reverse

from core.outbox.models import OutboxMessage
from plugins.contracts.models import Comment, Contract, EvidenceEvent, EvidenceKind, Kind, State
from plugins.contracts.services import contracts as contract_services
from plugins.contracts.services import documents
from tests.contracts.dash_support import World, buyer_signs, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(dev_pki):
    return World()


def detail(contract):
    return reverse("contracts-dashboard:contract-detail", args=[contract.number])


def post(world, contract, data):
    return client_for(world.operator).post(detail(contract), data)


def test_the_list_filters_by_state_kind_company_and_number(world):
    sales = world.sales_contract()
    theirs = world.sales_contract(world.other, [(world.bolt, 1)])
    framework = contract_services.create_framework(company=world.company, by=world.operator)
    contract_services.void(contract=theirs, by=world.operator, reason="客户取消")
    client = client_for(world.operator)
    url = reverse("contracts-dashboard:contract-list")

    def numbers(**params):
        page = client.get(url, params)
        assert page.status_code == 200
        return {c.number for c in page.context["contracts"]}

    assert numbers() == {sales.number, theirs.number, framework.number}
    assert numbers(state="voided") == {theirs.number}
    assert numbers(kind="framework") == {framework.number}
    assert numbers(company=world.company.uscc) == {sales.number, framework.number}
    assert numbers(company="other") == {theirs.number}
    assert numbers(q=sales.order.number) == {sales.number}
    assert numbers(q=framework.number) == {framework.number}
    page = client.get(url, {"state": "voided"}).content.decode()
    assert 'data-state="voided"' in page and "badge-danger" in page


def test_the_page_shows_parties_money_in_words_stamp_duty_and_an_intact_chain(world):
    contract = world.sales_contract()
    page = client_for(world.operator).get(detail(contract))
    assert page.status_code == 200
    html = page.content.decode()
    assert world.company.legal_name in html and world.company.uscc in html
    assert "链采通供应链管理有限公司" in html  # the platform, from the snapshot
    assert contract.total == contract.order.total_incl_tax
    uppercase = contract.total_uppercase or contract.snapshot["total_uppercase"]
    assert uppercase and f"人民币{uppercase}" in html
    assert f"¥{contract.stamp_duty}" in html and contract.stamp_duty > 0
    assert 'id="chain-check" data-ok="1"' in html
    assert 'id="action-issue"' in html and 'id="action-countersign"' not in html
    assert reverse("contracts-dashboard:contract-redline", args=[contract.number]) in html


def test_issue_renders_the_pdf_revision_and_sends_it(world):
    contract = world.sales_contract()
    response = post(world, contract, {"action": "issue"})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.state == State.SENT
    document = documents.current(contract)
    assert document.revision == 1 and document.stage == "prepared" and len(document.sha256) == 64
    sent = EvidenceEvent.objects.get(contract=contract, kind=EvidenceKind.SENT)
    assert sent.document_sha256 == document.sha256 and sent.actor == world.operator
    assert OutboxMessage.objects.filter(reference=contract.number).exists()
    html = client_for(world.operator).get(detail(contract)).content.decode()
    assert document.sha256 in html and 'id="action-resend"' in html and 'id="action-issue"' not in html


def test_resend_and_reissue_on_a_sent_contract(world):
    contract = world.sales_contract()
    contract_services.issue(contract=contract)
    first = documents.current(contract)
    assert post(world, contract, {"action": "resend"}).status_code == 302
    assert EvidenceEvent.objects.filter(contract=contract, kind=EvidenceKind.SENT).count() == 2
    assert post(world, contract, {"action": "reissue"}).status_code == 302
    contract.refresh_from_db()
    assert contract.state == State.SENT
    assert documents.current(contract).revision == first.revision + 1


def test_a_refused_action_changes_nothing_and_says_why(world):
    contract = world.sales_contract()  # a draft: nothing to resend, nothing to countersign
    before = EvidenceEvent.objects.filter(contract=contract).count()
    for action in ("resend", "countersign", "terminate", "renew"):
        data = {"action": action, "terminate-reason": "x"}
        response = post(world, contract, data)
        assert response.status_code == 400, action
        contract.refresh_from_db()
        assert contract.state == State.DRAFT
    assert EvidenceEvent.objects.filter(contract=contract).count() == before
    assert post(world, contract, {"action": "nonsense"}).status_code == 400


def test_void_needs_a_reason(world):
    contract = world.sales_contract()
    response = post(world, contract, {"action": "void", "void-reason": ""})
    assert response.status_code == 400
    assert response.context["void_form"].errors["reason"]
    contract.refresh_from_db()
    assert contract.state == State.DRAFT
    assert post(world, contract, {"action": "void", "void-reason": "客户撤单"}).status_code == 302
    contract.refresh_from_db()
    assert contract.state == State.VOIDED and contract.state_reason == "客户撤单"
    assert EvidenceEvent.objects.get(contract=contract, kind=EvidenceKind.VOIDED).detail == {"reason": "客户撤单"}
    html = client_for(world.operator).get(detail(contract)).content.decode()
    assert "客户撤单" in html and 'id="void-form"' not in html


def test_the_operators_answer_is_a_comment(world):
    contract = world.sales_contract()
    contract_services.issue(contract=contract)
    assert post(world, contract, {"action": "comment", "body": ""}).status_code == 400
    assert post(world, contract, {"action": "comment", "body": "交货期可以提前到三天"}).status_code == 302
    comment = Comment.objects.get(contract=contract)
    assert comment.author == world.operator
    contract.refresh_from_db()
    assert contract.state == State.SENT  # only the buyer's comment opens negotiation
    assert "交货期可以提前到三天" in client_for(world.operator).get(detail(contract)).content.decode()


def test_a_changed_evidence_record_shows_where_the_chain_breaks(world):
    contract = world.sales_contract()
    contract_services.issue(contract=contract)
    contract_services.resend(contract=contract, by=world.operator)
    EvidenceEvent.objects.filter(contract=contract, seq=2).update(ip="10.6.6.6")
    html = client_for(world.operator).get(detail(contract)).content.decode()
    assert 'data-ok="0" data-broken-at="2"' in html
    assert '<tr data-seq="2" class="table-danger">' in html
    assert '<tr data-seq="3" class="table-warning">' in html


def test_the_redline_marks_what_the_snapshot_filled_in(world):
    contract = world.sales_contract()
    page = client_for(world.operator).get(reverse("contracts-dashboard:contract-redline", args=[contract.number]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<del>" in html and "<ins>" in html
    marked = page.context["redline"]
    assert "{{" in marked  # the template's placeholders, struck through
    assert "<script" not in marked


def test_a_pdf_revision_downloads_with_its_hash_and_is_recorded(world):
    contract = world.sales_contract()
    contract_services.issue(contract=contract)
    document = documents.current(contract)
    url = reverse("contracts-dashboard:contract-document", args=[contract.number, document.revision])
    response = client_for(world.operator).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF") and documents.sha256(body) == document.sha256
    assert response["X-Content-SHA256"] == document.sha256
    downloaded = EvidenceEvent.objects.get(contract=contract, kind=EvidenceKind.DOWNLOADED)
    assert downloaded.document_sha256 == document.sha256
    missing = reverse("contracts-dashboard:contract-document", args=[contract.number, 99])
    assert client_for(world.operator).get(missing).status_code == 404


def test_countersign_from_the_page_makes_it_effective_with_two_valid_signatures(
    world, django_capture_on_commit_callbacks
):
    from plugins.contracts.pdf.verify import verify_pdf

    contract = world.sales_contract()
    buyer_signs(contract, world.buyer, django_capture_on_commit_callbacks)
    html = client_for(world.operator).get(detail(contract)).content.decode()
    assert 'id="action-countersign"' in html
    assert post(world, contract, {"action": "countersign"}).status_code == 302
    contract.refresh_from_db()
    assert contract.state == State.EFFECTIVE and contract.chain_head_timestamp
    check = verify_pdf(documents.read(documents.current(contract)))
    assert check.ok and {s.field for s in check.signatures} == {"buyer", "platform"}
    assert all(s.bottom_line for s in check.signatures)
    page = client_for(world.operator).get(detail(contract))
    html = page.content.decode()
    assert 'id="chain-head-seal" data-ok="1"' in html
    assert {d.stage for d in page.context["documents"]} == {"prepared", "buyer_signed", "countersigned"}
    assert 'id="terminate-form"' in html
    # terminate: a reason, then terminated with its evidence
    assert post(world, contract, {"action": "terminate", "terminate-reason": ""}).status_code == 400
    assert post(world, contract, {"action": "terminate", "terminate-reason": "双方协商一致"}).status_code == 302
    contract.refresh_from_db()
    assert contract.state == State.TERMINATED
    assert EvidenceEvent.objects.filter(contract=contract, kind=EvidenceKind.TERMINATED).exists()


def test_a_framework_in_force_is_renewed_from_its_page(world, django_capture_on_commit_callbacks):
    from plugins.contracts.services import signing

    framework = contract_services.create_framework(company=world.company, by=world.operator)
    buyer_signs(framework, world.buyer, django_capture_on_commit_callbacks)
    signing.countersign(contract=framework, by=world.operator)
    framework.refresh_from_db()
    assert framework.state == State.EFFECTIVE
    response = post(world, framework, {"action": "renew"})
    assert response.status_code == 302
    renewal = Contract.objects.get(parent=framework, kind=Kind.FRAMEWORK)
    assert response["Location"] == detail(renewal)
    assert renewal.state == State.DRAFT and renewal.valid_from > framework.valid_until
    html = client_for(world.operator).get(detail(framework)).content.decode()
    assert renewal.number in html and 'id="action-renew"' not in html
    assert post(world, framework, {"action": "renew"}).status_code == 400  # one renewal only
    assert Contract.objects.filter(parent=framework).count() == 1
