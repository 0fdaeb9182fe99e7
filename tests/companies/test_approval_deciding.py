"""Who may decide a purchase request, in which order; concurrent approvals; a deactivated buyer;
the e-mail link (signed, expiring, useless to a removed person); GraphQL scoped to the asker's
company and role; rule evaluation at a constant number of queries."""

import json
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from companies.approvals import notify, services
from companies.approvals.models import ApprovalRequest, ApprovalStep, Decision, RequestStatus
from companies.models import Company
from companies.services import people, verification
from core.outbox.models import OutboxMessage
from plugins.member_tiers.models import CreditAccount
from tests import factories
from tests.companies.approval_world import World, client_for, shop, submit
from tests.storefront.test_checkout import add

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")


def balance(user) -> Decimal:
    return CreditAccount.objects.get(membership__company__members__user=user).balance


@pytest.fixture
def world(db):
    w = World(serial=41, prefix="d")
    w.goods = shop()
    factories.credit_line(w.buyer, limit="10000.00")
    return w


def pending(world, items=None, client=None) -> ApprovalRequest:
    submit(client or client_for(world.buyer), items or [(world.goods["bolt"], 10)])
    return ApprovalRequest.objects.filter(status="pending").latest("pk")


def test_steps_are_decided_in_order_by_their_roles(world):
    world.rule(threshold="100.00", approver_role="approver", step=1)
    world.rule(kind="sku_count", threshold="0", approver_role="approver", step=1)  # same step: once
    world.rule(threshold="200.00", approver_role="finance", step=2)
    approval = pending(world)
    assert [(s.position, s.role, len(s.reasons)) for s in approval.steps.all()] == [
        (1, "approver", 2),
        (2, "finance", 1),
    ]
    assert set(approval.steps.get(position=1).rules.all()) == set(world.company.approval_rules.filter(step=1))

    with pytest.raises(ValidationError, match="This step is for|审批人"):
        services.approve(request=approval, actor=world.finance)  # finance's step comes second
    services.approve(request=approval, actor=world.approver, comment="一审同意")
    approval.refresh_from_db()
    assert approval.status == RequestStatus.PENDING and Order.objects.count() == 0
    assert OutboxMessage.objects.filter(
        topic="companies.approval.waiting", recipient=world.finance.email, reference=approval.number
    ).exists()
    with pytest.raises(ValidationError):
        services.approve(request=approval, actor=world.approver)  # the approver's step is done
    services.approve(request=approval, actor=world.finance, comment="二审同意")
    approval.refresh_from_db()
    assert approval.status == RequestStatus.APPROVED and Order.objects.count() == 1
    assert [s.decided_by for s in approval.steps.all()] == [world.approver, world.finance]


def test_nobody_approves_their_own_purchase_not_even_an_admin(world):
    world.rule(threshold="100.00", approver_role="admin")
    factories.credit_line(world.admin, limit="10000.00")
    approval = pending(world, client=client_for(world.admin))
    assert approval.buyer == world.admin
    with pytest.raises(ValidationError, match="own|自己"):
        services.approve(request=approval, actor=world.admin)
    response = client_for(world.admin).post(
        reverse("companies:approval-detail", args=[approval.number]), {"action": "approve"}
    )
    assert response.status_code == 400
    # the approver's role is not the step's (admin) — and the buyer is its only admin
    with pytest.raises(ValidationError):
        services.approve(request=approval, actor=world.approver)
    assert Order.objects.count() == 0
    assert ApprovalStep.objects.get(request=approval).decision == Decision.WAITING


def test_another_companys_approver_and_operators_cannot_decide(world):
    world.rule(threshold="100.00")
    approval = pending(world)
    other = World(serial=42, prefix="x")
    operator = factories.operator()
    for outsider in (other.approver, other.admin, operator):
        with pytest.raises(ValidationError):
            services.approve(request=approval, actor=outsider)
        response = client_for(outsider).post(
            reverse("companies:approval-detail", args=[approval.number]), {"action": "approve"}
        )
        assert response.status_code in (403, 404)
    assert ApprovalStep.objects.get(request=approval).decision == Decision.WAITING
    assert Order.objects.count() == 0


def test_a_suspended_company_cannot_approve_nor_submit(world):
    world.rule(threshold="100.00")
    approval = pending(world)
    verification.suspend(world.company, actor=factories.operator(), reason="逾期未付")
    with pytest.raises(ValidationError, match="suspended|暂停"):
        services.approve(request=approval, actor=world.approver)
    assert Order.objects.count() == 0

    buyer = client_for(world.buyer)
    add(buyer, world.goods["nut"], 10)
    response = buyer.get(reverse("checkout:index"), follow=True)  # stopped before any step, with the reason
    assert response.redirect_chain[-1][0] == reverse("basket:summary")
    assert "已被暂停，恢复前不能下单" in response.content.decode()
    assert ApprovalRequest.objects.count() == 1 and Order.objects.count() == 0
    assert balance(world.buyer) == Decimal("320.00")  # only the first request's hold


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_approvers_clicking_at_once_place_one_order():
    world = World(serial=43, prefix="c")
    world.goods = shop()
    factories.credit_line(world.buyer, limit="10000.00")
    world.rule(threshold="100.00")
    approval = pending(world)
    barrier = threading.Barrier(2)
    outcomes = []

    def click(user):
        close_old_connections()
        try:
            barrier.wait(timeout=10)
            services.approve(request=approval, actor=user, comment="同意")
            outcomes.append("approved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(user,)) for user in (world.approver, world.admin)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["approved", "refused"]
    assert Order.objects.filter(user=world.buyer).count() == 1
    approval.refresh_from_db()
    assert approval.status == RequestStatus.APPROVED
    assert balance(world.buyer) == Decimal("320.00")


def test_a_deactivated_buyers_requests_are_cancelled_and_nothing_is_lost(world):
    world.rule(threshold="100.00")
    approval = pending(world)
    assert balance(world.buyer) == Decimal("320.00")
    people.deactivate(member=world.buyer_member, by=world.admin, reason="离职")

    approval.refresh_from_db()
    assert approval.status == RequestStatus.CANCELLED and "停用" in approval.reason
    assert balance(world.buyer) == Decimal("0.00")
    lines = [line for b in Basket.objects.filter(owner=world.buyer, status=Basket.OPEN) for line in b.lines.all()]
    assert [(line.product.upc, line.quantity) for line in lines] == [("JG-HB-M8-30", 10)]
    assert OutboxMessage.objects.filter(topic="companies.approval.cancelled", recipient=world.admin.email).exists()


def test_a_deactivated_approver_can_no_longer_decide(world):
    world.rule(threshold="100.00")
    approval = pending(world)
    approver_member = world.company.members.get(user=world.approver)
    people.deactivate(member=approver_member, by=world.admin)
    from companies import selectors

    selectors.forget(world.approver)
    with pytest.raises(ValidationError):
        services.approve(request=approval, actor=world.approver)
    assert ApprovalRequest.objects.get().status == RequestStatus.PENDING


def link_of(world, approval, user) -> str:
    message = OutboxMessage.objects.get(
        topic="companies.approval.waiting", recipient=user.email, reference=approval.number
    )
    body = message.payload["body"]
    start = body.index("/accounts/company/approvals/link/")
    return body[start:].split()[0]


def test_the_email_link_opens_the_request_for_a_signed_in_approver(world):
    world.rule(threshold="100.00")
    approval = pending(world)
    link = link_of(world, approval, world.approver)

    anonymous = client_for(None).get(link)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    opened = client_for(world.approver).get(link)
    assert opened.status_code == 302
    assert opened["Location"] == reverse("companies:approval-detail", args=[approval.number])
    page = client_for(world.approver).get(opened["Location"]).content.decode()
    assert approval.number in page and 'id="approve"' in page

    tampered = client_for(world.approver).get(link.replace("/link/", "/link/x"))
    assert tampered.status_code == 404


def test_an_expired_link_and_a_removed_persons_link_say_so(world, settings):
    world.rule(threshold="100.00")
    approval = pending(world)
    link = link_of(world, approval, world.approver)

    settings.COMPANY_APPROVAL_HOLD_HOURS = 0
    expired = client_for(world.approver).get(link)
    assert expired.status_code == 410 and "已过期" in expired.content.decode()
    settings.COMPANY_APPROVAL_HOLD_HOURS = 72

    people.deactivate(member=world.company.members.get(user=world.approver), by=world.admin)
    removed = client_for(world.approver).get(link)
    assert removed.status_code == 403
    assert "无法打开" in removed.content.decode()
    assert approval.number not in removed.content.decode().replace(link, "")


def test_the_link_token_is_signed_for_the_hold_time(world):
    world.rule(threshold="100.00")
    approval = pending(world)
    token = notify.link_token(approval, world.approver)
    assert notify.read_token(token) == {"r": approval.number, "u": world.approver.pk}
    with pytest.raises(signing.BadSignature):
        notify.read_token(token[:-2] + "xx")


# --- GraphQL -------------------------------------------------------------------------------


def gql(user, query, variables=None):
    response = client_for(user).post(
        "/graphql/", json.dumps({"query": query, "variables": variables or {}}), content_type="application/json"
    )
    return response.json()


REQUESTS = "query($w: Boolean, $m: Boolean) { approvalRequests(waitingForMe: $w, mine: $m) { totalCount items { number status } } }"
ONE = "query($n: String!) { approvalRequest(number: $n) { number totalInclTax steps { role decision } } }"
APPROVE = 'mutation($n: String!) { approveRequest(number: $n, comment: "好") { request { status orderNumber } errors { field code message } } }'
REJECT = "mutation($n: String!, $c: String!) { rejectRequest(number: $n, comment: $c) { request { status } errors { field code } } }"
RULES = "{ approvalRules { kind threshold approverRole description } }"
CREATE = "mutation($i: RuleInput!) { createApprovalRule(input: $i) { rule { id kind threshold } errors { field code message } } }"


def test_graphql_lists_and_decides_within_the_askers_company_and_role(world):
    world.rule(threshold="100.00")
    approval = pending(world)
    n = {"n": approval.number}

    waiting = gql(world.approver, REQUESTS, {"w": True})["data"]["approvalRequests"]
    assert [i["number"] for i in waiting["items"]] == [approval.number]
    assert gql(world.finance, REQUESTS, {"w": True})["data"]["approvalRequests"]["totalCount"] == 0
    assert gql(world.buyer, REQUESTS, {"m": True})["data"]["approvalRequests"]["totalCount"] == 1
    assert gql(world.buyer, REQUESTS, {"w": True})["data"]["approvalRequests"]["totalCount"] == 0
    assert gql(world.buyer, ONE, n)["data"]["approvalRequest"]["steps"] == [{"role": "approver", "decision": "waiting"}]
    assert gql(world.approver, RULES)["data"]["approvalRules"][0]["kind"] == "order_total"
    assert gql(world.buyer, RULES)["errors"][0]["extensions"]["code"] == "forbidden"

    other = World(serial=44, prefix="g")
    for outsider in (other.admin, other.approver):
        assert gql(outsider, ONE, n)["data"]["approvalRequest"] is None
        assert gql(outsider, REQUESTS, {})["data"]["approvalRequests"]["totalCount"] == 0
        answer = gql(outsider, APPROVE, n)["data"]["approveRequest"]
        assert answer["request"] is None and answer["errors"][0]["code"] == "not_found"
    missing = gql(other.admin, APPROVE, {"n": "AP999999"})["data"]["approveRequest"]
    assert missing["errors"] == [{"field": "number", "code": "not_found", "message": missing["errors"][0]["message"]}]

    own = gql(world.buyer, APPROVE, n)["data"]["approveRequest"]
    assert own["request"] is None and own["errors"][0]["field"] == "number"
    no_comment = gql(world.approver, REJECT, {"n": approval.number, "c": " "})["data"]["rejectRequest"]
    assert no_comment["errors"] == [{"field": "comment", "code": "required"}]
    assert ApprovalStep.objects.get(request=approval).decision == Decision.WAITING

    done = gql(world.approver, APPROVE, n)["data"]["approveRequest"]
    assert done["errors"] == [] and done["request"]["status"] == "approved"
    assert done["request"]["orderNumber"] == Order.objects.get().number


def test_graphql_rules_are_the_admins_and_bad_input_changes_nothing(world):
    created = gql(
        world.admin, CREATE, {"i": {"kind": "freight", "threshold": "80.00", "approverRole": "finance", "step": 2}}
    )["data"]["createApprovalRule"]
    assert created["errors"] == [] and created["rule"]["threshold"] == "80.00"
    count = world.company.approval_rules.count()
    bad = gql(world.admin, CREATE, {"i": {"kind": "order_total", "threshold": "-5", "approverRole": "buyer"}})
    fields = {e["field"] for e in bad["data"]["createApprovalRule"]["errors"]}
    assert fields == {"input.threshold", "input.approverRole"}
    stranger = gql(
        world.admin,
        CREATE,
        {"i": {"kind": "monthly_budget", "threshold": "5", "approverRole": "admin", "buyerEmail": "nobody@example.cn"}},
    )
    assert stranger["data"]["createApprovalRule"]["errors"][0]["field"] == "input.buyerEmail"
    for refused in (world.approver, world.buyer):
        answer = gql(refused, CREATE, {"i": {"kind": "freight", "threshold": "1", "approverRole": "admin"}})
        assert answer["errors"][0]["extensions"]["code"] == "forbidden"
    other = World(serial=45, prefix="h")
    update = "mutation($id: ID!) { updateApprovalRule(id: $id, input: {isActive: false}) { rule { id } errors { field code } } }"
    answer = gql(other.admin, update, {"id": created["rule"]["id"]})["data"]["updateApprovalRule"]
    assert answer["errors"] == [{"field": "id", "code": "not_found"}]
    assert world.company.approval_rules.count() == count
    assert world.company.approval_rules.filter(is_active=True).count() == count


# --- query counts --------------------------------------------------------------------------


def place_queries(world, client, items) -> tuple[int, bool]:
    from tests.storefront.test_checkout import add, checkout_to_preview

    for product, quantity in items:
        add(client, product, quantity)
    checkout_to_preview(client, method="on-account")
    with CaptureQueriesContext(connection) as captured:
        client.post(reverse("checkout:preview"), {"action": "place_order"})
    return len(captured.captured_queries)


def test_rule_evaluation_costs_the_same_queries_for_one_or_ten_rules_and_at_most_three_more_than_none(world):
    buyer = client_for(world.buyer)
    items = [(world.goods["nut"], 1)]
    none = place_queries(world, buyer, items)
    world.rule(kind="monthly_budget", threshold="900000.00")
    one = place_queries(world, buyer, items)
    for n in range(9):
        world.rule(kind=("order_total", "freight", "sku_count")[n % 3], threshold="900000.00")
    ten = place_queries(world, buyer, items)
    assert Order.objects.count() == 3 and ApprovalRequest.objects.count() == 0
    assert one == ten
    assert ten - none <= 3


def test_submitting_costs_the_same_queries_for_one_or_ten_matching_rules(world):
    buyer = client_for(world.buyer)
    world.rule(threshold="1.00")
    place_queries(world, buyer, [(world.goods["nut"], 1)])  # the first hold opens the company's ledger accounts
    one = place_queries(world, buyer, [(world.goods["nut"], 1)])
    for _n in range(9):
        world.rule(threshold="2.00")
    ten = place_queries(world, buyer, [(world.goods["nut"], 1)])
    assert ApprovalRequest.objects.count() == 3 and Order.objects.count() == 0
    assert one == ten


def test_expiry_is_on_the_beat_schedule():
    from config.celery import app as celery_app

    tasks = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}
    assert "companies.tasks.expire_approval_requests" in tasks


def test_the_beat_task_expires_and_releases(world):
    from companies.tasks import expire_approval_requests

    world.rule(threshold="100.00")
    approval = pending(world)
    ApprovalRequest.objects.filter(pk=approval.pk).update(expires_at=approval.submitted_at - timedelta(minutes=1))
    assert expire_approval_requests() == 1
    assert ApprovalRequest.objects.get().status == RequestStatus.EXPIRED
    assert balance(world.buyer) == Decimal("0.00")
    assert Company.objects.filter(pk=world.company.pk).exists()


def test_operators_see_a_companys_rules_and_requests_read_only_in_the_back_office(world):
    world.rule(threshold="100.00")
    approval = pending(world)
    operator = client_for(factories.operator())
    page = operator.get(reverse("companies-dashboard:company-detail", args=[world.company.pk])).content.decode()
    assert approval.number in page and "订单总额超过 ¥100.00" in page and "待审批" in page
    assert 'id="approve"' not in page
    # the company's own people do not reach the back office
    assert client_for(world.admin).get(
        reverse("companies-dashboard:company-detail", args=[world.company.pk])
    ).status_code in (302, 403)
