"""GraphQL: contracts scoped to the asker (company and role), the signing flow through the API
(read, code by e-mail, sign; every refusal an error that changes nothing, a wrong code's attempt
kept), comments, 用印审批, and the public verification by number or uploaded PDF."""

import base64
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from companies.models import Role
from plugins.contracts.models import Comment, EvidenceEvent, EvidenceKind, SigningCode, State
from plugins.contracts.services import contracts as contract_services
from plugins.contracts.services import documents, seals, signing
from tests import factories
from tests.contracts.dash_support import World, buyer_signs, client_for, code_from_mail, graphql, read_to_end

pytestmark = pytest.mark.django_db

LIST = """query($state: String, $kind: String, $first: Int, $after: String) {
  contracts(state: $state, kind: $kind, first: $first, after: $after) {
    totalCount hasNextPage endCursor
    items { number kind state stateLabel companyName orderNumber total totalUppercase stampDuty
            currentDocument { revision stage sha256 level } documents { revision downloadPath }
            comments { author body } evidence { seq kind actor hash } evidenceCheck { ok records brokenAt }
            signingRefusal }
  }
}"""
ONE = "query($n: String!) { contract(number: $n) { number state readToEnd sealApproved evidenceCheck { ok } } }"
READ = """mutation($n: String!, $s: Int!, $e: Boolean) {
  contractRecordReading(number: $n, seconds: $s, reachedEnd: $e) { contract { readSeconds readToEnd } errors { field code message } }
}"""
CODE = """mutation($n: String!, $h: String!) {
  contractRequestCode(number: $n, documentSha256: $h) { expiresAt channel errors { field code message } }
}"""
SIGN = """mutation($n: String!, $h: String!, $c: String!) {
  contractSign(number: $n, documentSha256: $h, code: $c) {
    contract { state currentDocument { stage level downloadPath } } errors { field code message }
  }
}"""
COMMENT = """mutation($n: String!, $b: String!) {
  contractComment(number: $n, body: $b) { contract { state } comment { author body } errors { field code message } }
}"""
APPROVE = "mutation($n: String!) { contractApproveSeal(number: $n) { contract { sealApproved } errors { field code message } } }"
VERIFY = """query($n: String, $pdf: String) {
  contractVerification(number: $n, pdfBase64: $pdf) {
    ok error contractNumber revision documentSha256 storedRevision
    signatures { field signer organisation uscc signedAt timestampAt coverage modificationLevel revocation
                 trusted intact valid bottomLine serial problems }
    timestamps { field timestampAt bottomLine }
  }
}"""


@pytest.fixture
def world(dev_pki):
    return World()


def sent(world, user=None, items=None):
    contract = world.sales_contract(user, items)
    contract_services.issue(contract=contract)
    return contract


def test_contracts_are_scoped_to_the_company_and_paged_by_cursor(world):
    mine = [world.sales_contract(), world.sales_contract(items=[(world.nut, 1)])]
    framework = contract_services.create_framework(company=world.company, by=world.operator)
    theirs = world.sales_contract(world.other, [(world.bolt, 1)])

    data = graphql(world.buyer, LIST, {"first": 20})["data"]["contracts"]
    assert {c["number"] for c in data["items"]} == {mine[0].number, mine[1].number, framework.number}
    assert data["totalCount"] == 3 and not data["hasNextPage"]
    item = next(c for c in data["items"] if c["number"] == mine[0].number)
    assert Decimal(item["total"]) == mine[0].order.total_incl_tax
    assert item["totalUppercase"] == mine[0].snapshot["total_uppercase"] and item["evidenceCheck"]["ok"]
    assert item["orderNumber"] == mine[0].order.number and item["currentDocument"] is None
    operator = graphql(world.operator, LIST, {"first": 20})["data"]["contracts"]
    assert operator["totalCount"] == 4
    assert graphql(world.other, LIST, {})["data"]["contracts"]["totalCount"] == 1
    assert graphql(world.buyer, LIST, {"kind": "framework"})["data"]["contracts"]["totalCount"] == 1

    seen, after = [], None
    while True:
        page = graphql(world.operator, LIST, {"first": 1, "after": after})["data"]["contracts"]
        seen += [c["number"] for c in page["items"]]
        if not page["hasNextPage"]:
            break
        after = page["endCursor"]
    assert seen == [c.number for c in sorted([*mine, framework, theirs], key=lambda c: (c.created_at, c.pk))][::-1]

    assert graphql(world.buyer, ONE, {"n": theirs.number})["data"]["contract"] is None
    assert graphql(world.buyer, ONE, {"n": mine[0].number})["data"]["contract"]["state"] == "draft"
    bad = graphql(world.buyer, LIST, {"after": "not-a-cursor"})
    assert bad["errors"][0]["extensions"]["field"] == "after"
    bad = graphql(world.buyer, LIST, {"state": "nonsense"})
    assert bad["errors"][0]["extensions"]["field"] == "state"
    for who in (world.supplier_staff, None):
        assert graphql(who, LIST, {})["errors"][0]["extensions"]["code"] in ("forbidden", "unauthenticated")


def test_a_buyer_sees_own_orders_and_the_framework_but_not_a_colleagues_order(world):
    colleague = factories.person("colleague")
    factories.join(colleague, world.company, role=Role.BUYER)
    theirs = world.sales_contract(colleague, [(world.bolt, 1)])
    framework = contract_services.create_framework(company=world.company, by=world.operator)
    mine = world.sales_contract()  # the admin's order
    numbers = {c["number"] for c in graphql(colleague, LIST, {})["data"]["contracts"]["items"]}
    assert numbers == {theirs.number, framework.number}
    assert graphql(colleague, ONE, {"n": mine.number})["data"]["contract"] is None


def test_the_list_costs_the_same_queries_for_one_or_many(world):
    for items in ([(world.bolt, 1)], [(world.nut, 1)], [(world.bolt, 2)]):
        contract = sent(world, items=items)
        contract_services.comment(contract=contract, by=world.buyer, body="请确认", buyer=True)

    def count(first):
        with CaptureQueriesContext(connection) as queries:
            data = graphql(world.buyer, LIST, {"first": first})
        assert "errors" not in data, data
        assert len(data["data"]["contracts"]["items"]) == first
        return len(queries)

    assert count(1) == count(3)


def test_signing_through_the_api(world, django_capture_on_commit_callbacks, mailoutbox):
    contract = sent(world)
    sha = documents.current(contract).sha256
    n = contract.number

    # a code before reading to the end is refused
    refused = graphql(world.buyer, CODE, {"n": n, "h": sha})["data"]["contractRequestCode"]
    assert refused["errors"] and refused["expiresAt"] is None
    assert not SigningCode.objects.exists()

    reading = graphql(world.buyer, READ, {"n": n, "s": 40, "e": True})["data"]["contractRecordReading"]
    assert reading["errors"] == [] and reading["contract"] == {"readSeconds": 40, "readToEnd": True}
    negative = graphql(world.buyer, READ, {"n": n, "s": -1, "e": False})["data"]["contractRecordReading"]
    assert negative["errors"][0]["field"] == "seconds"

    # a code for another revision is refused on documentSha256
    other = graphql(world.buyer, CODE, {"n": n, "h": "0" * 64})["data"]["contractRequestCode"]
    assert other["errors"][0]["field"] == "documentSha256"

    with django_capture_on_commit_callbacks(execute=True):
        asked = graphql(world.buyer, CODE, {"n": n, "h": sha})["data"]["contractRequestCode"]
    assert asked["errors"] == [] and asked["channel"] == "email" and asked["expiresAt"]
    code = code_from_mail(n)

    wrong = "000000" if code != "000000" else "111111"
    failed = graphql(world.buyer, SIGN, {"n": n, "h": sha, "c": wrong})["data"]["contractSign"]
    assert failed["contract"] is None and failed["errors"][0]["field"] == "code"
    assert failed["errors"][0]["code"] == "code_wrong"
    assert SigningCode.objects.get(contract=contract).attempts == 1  # the attempt is kept
    assert EvidenceEvent.objects.filter(contract=contract, kind=EvidenceKind.CODE_FAILED).count() == 1
    contract.refresh_from_db()
    assert contract.state == State.SENT

    signed = graphql(world.buyer, SIGN, {"n": n, "h": sha, "c": code})["data"]["contractSign"]
    assert signed["errors"] == []
    assert signed["contract"]["state"] == "buyer_signed"
    assert signed["contract"]["currentDocument"]["stage"] == "buyer_signed"
    path = signed["contract"]["currentDocument"]["downloadPath"]
    assert path == reverse("contracts:document", args=[n, 2])
    assert client_for(world.buyer).get(path).status_code == 200
    again = graphql(world.buyer, SIGN, {"n": n, "h": sha, "c": code})["data"]["contractSign"]
    assert again["errors"] and again["contract"] is None
    contract.refresh_from_db()
    assert contract.buyer_signer == world.buyer and contract.documents.count() == 2


def test_someone_without_signing_rights_is_refused(world, mailoutbox):
    contract = sent(world)
    seals.revoke(grant=seals.live_grant(world.company, world.buyer), by=world.buyer)
    read_to_end(contract, world.buyer)
    sha = documents.current(contract).sha256
    refused = graphql(world.buyer, CODE, {"n": contract.number, "h": sha})["data"]["contractRequestCode"]
    assert refused["errors"][0]["field"] is None and refused["errors"][0]["message"]
    assert not SigningCode.objects.exists()


def test_comments_open_negotiation_and_read_only_members_cannot(world):
    contract = sent(world)
    reader = factories.person("reader")
    factories.join(reader, world.company, role=Role.READ_ONLY)
    refused = graphql(reader, COMMENT, {"n": contract.number, "b": "改一下"})["data"]["contractComment"]
    assert refused["errors"][0]["code"] == "forbidden"
    empty = graphql(world.buyer, COMMENT, {"n": contract.number, "b": "  "})["data"]["contractComment"]
    assert empty["errors"][0]["field"] == "body"
    assert not Comment.objects.exists()
    done = graphql(world.buyer, COMMENT, {"n": contract.number, "b": "请把交货期改为五天"})["data"]["contractComment"]
    assert done["errors"] == [] and done["contract"]["state"] == "negotiating"
    assert done["comment"]["body"] == "请把交货期改为五天"
    answer = graphql(world.operator, COMMENT, {"n": contract.number, "b": "已修改"})["data"]["contractComment"]
    assert answer["errors"] == [] and answer["contract"]["state"] == "negotiating"
    assert Comment.objects.count() == 2


def test_the_approver_approves_a_signature_above_the_cap(world):
    contract = sent(world)
    signer = factories.person("signer")
    factories.join(signer, world.company, role=Role.BUYER)
    seals.grant(company=world.company, user=signer, amount_cap=Decimal("1.00"), expires_on=None, by=world.buyer)
    read_to_end(contract, signer)
    sha = documents.current(contract).sha256
    over = graphql(signer, CODE, {"n": contract.number, "h": sha})["data"]["contractRequestCode"]
    assert over["errors"] and "¥" in over["errors"][0]["message"]
    # the signer cannot approve their own; the company admin can
    assert graphql(signer, APPROVE, {"n": contract.number})["data"]["contractApproveSeal"]["errors"]
    approved = graphql(world.buyer, APPROVE, {"n": contract.number})["data"]["contractApproveSeal"]
    assert approved["errors"] == [] and approved["contract"]["sealApproved"]
    assert EvidenceEvent.objects.filter(contract=contract, kind=EvidenceKind.SEAL_APPROVED).count() == 1
    contract.refresh_from_db()
    assert signing.signing_refusal(contract, signer) is None


def test_verification_by_number_and_by_upload(world, django_capture_on_commit_callbacks):
    contract = world.sales_contract()
    buyer_signs(contract, world.buyer, django_capture_on_commit_callbacks)
    signing.countersign(contract=contract, by=world.operator)
    document = documents.current(contract)

    by_number = graphql(None, VERIFY, {"n": contract.number})["data"]["contractVerification"]
    assert by_number["ok"] and by_number["storedRevision"] and by_number["contractNumber"] == contract.number
    assert by_number["documentSha256"] == document.sha256 and by_number["revision"] == document.revision
    fields = {s["field"]: s for s in by_number["signatures"]}
    assert set(fields) == {"buyer", "platform"} and all(s["bottomLine"] for s in fields.values())
    assert fields["buyer"]["organisation"] == world.company.legal_name and fields["buyer"]["uscc"] == world.company.uscc
    assert EvidenceEvent.objects.filter(contract=contract, kind=EvidenceKind.VERIFIED).count() == 1

    data = documents.read(document)
    uploaded = graphql(None, VERIFY, {"pdf": base64.b64encode(data).decode()})["data"]["contractVerification"]
    assert uploaded["ok"] and uploaded["contractNumber"] == contract.number

    tampered = bytearray(data)
    at = data.index(b"stream") + 40  # inside the first content stream, covered by both signatures
    tampered[at] ^= 0x01
    checked = graphql(None, VERIFY, {"pdf": base64.b64encode(bytes(tampered)).decode()})["data"]["contractVerification"]
    assert not checked["ok"] and not checked["storedRevision"] and checked["contractNumber"] is None

    unsigned = sent(world, items=[(world.nut, 1)])
    for variables, field in (
        ({}, "number"),
        ({"n": unsigned.number}, "number"),
        ({"n": contract.number, "pdf": "JVBERi0="}, "number"),
        ({"n": "HT-00000000-000000"}, "number"),
        ({"pdf": "@@@"}, "pdfBase64"),
        ({"pdf": base64.b64encode(b"hello").decode()}, "pdfBase64"),
    ):
        answer = graphql(None, VERIFY, variables)
        assert answer["errors"][0]["extensions"]["field"] == field, variables


def test_verification_shows_the_timestamps_of_a_b_t_signature(world, tsa_url, django_capture_on_commit_callbacks):
    contract = world.sales_contract()
    buyer_signs(contract, world.buyer, django_capture_on_commit_callbacks)
    signing.countersign(contract=contract, by=world.operator)
    checked = graphql(None, VERIFY, {"n": contract.number})["data"]["contractVerification"]
    assert checked["ok"]
    assert all(s["timestampAt"] and s["bottomLine"] for s in checked["signatures"])
    assert documents.current(contract).level in ("B-T", "B-LT")


def test_a_signature_that_cannot_be_made_changes_nothing(world, settings, django_capture_on_commit_callbacks):
    import socket

    from tests.contracts.dash_support import request_code

    contract = sent(world)
    code = request_code(contract, world.buyer, django_capture_on_commit_callbacks)
    with socket.socket() as probe:  # a timestamping service nobody answers for
        probe.bind(("127.0.0.1", 0))
        settings.CONTRACTS_TSA_URL = f"http://127.0.0.1:{probe.getsockname()[1]}/tsa"
    sha = documents.current(contract).sha256
    failed = graphql(world.buyer, SIGN, {"n": contract.number, "h": sha, "c": code})["data"]["contractSign"]
    assert failed["contract"] is None and failed["errors"][0]["code"] == "signing_failed"
    contract.refresh_from_db()
    assert contract.state == State.SENT and contract.documents.count() == 1
    assert SigningCode.objects.get(contract=contract).used_at is None  # the code can still be used
    settings.CONTRACTS_TSA_URL = ""
    signed = graphql(world.buyer, SIGN, {"n": contract.number, "h": sha, "c": code})["data"]["contractSign"]
    assert signed["errors"] == [] and signed["contract"]["state"] == "buyer_signed"
