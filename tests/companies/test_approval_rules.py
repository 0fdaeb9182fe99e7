"""Which orders need approval: each kind of rule at its boundary (to the fen), ordered steps,
one step for two rules naming the same step and role, a buyer's monthly budget; and the rules'
management refusing bad input without changing anything."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from companies.approvals import rules, services
from companies.approvals.models import ApprovalRule
from core.models import TransitionLog
from tests import factories
from tests.companies.approval_world import World, client_for

D = Decimal


def rule(pk, kind, threshold=None, approver_role="approver", step=1, buyer_role="", buyer_id=None, is_active=True):
    made = ApprovalRule(
        kind=kind,
        threshold=None if threshold is None else D(threshold),
        approver_role=approver_role,
        step=step,
        buyer_role=buyer_role,
        buyer_id=buyer_id,
        is_active=is_active,
    )
    made.pk = pk
    return made


def facts(total="100.00", skus=1, freight="0.00", role="buyer", spend=None, buyer_id=7):
    return rules.Facts(
        buyer_id=buyer_id,
        role=role,
        total_incl_tax=D(total),
        sku_count=skus,
        freight_incl_tax=D(freight),
        month_spend=None if spend is None else D(spend),
    )


@pytest.mark.parametrize(
    ("made", "given", "expected"),
    [
        (rule(1, "order_total", "5000.00"), facts(total="5000.00"), False),
        (rule(1, "order_total", "5000.00"), facts(total="5000.01"), True),
        (rule(1, "sku_count", "3"), facts(skus=3), False),
        (rule(1, "sku_count", "3"), facts(skus=4), True),
        (rule(1, "freight", "50.00"), facts(freight="50.00"), False),
        (rule(1, "freight", "50.00"), facts(freight="50.01"), True),
        (rule(1, "role", buyer_role="buyer"), facts(role="buyer"), True),
        (rule(1, "role", buyer_role="buyer"), facts(role="admin"), False),
        (rule(1, "monthly_budget", "10000.00"), facts(total="3000.00", spend="7000.00"), False),
        (rule(1, "monthly_budget", "10000.00"), facts(total="3000.01", spend="7000.00"), True),
        (rule(1, "monthly_budget", "10000.00", buyer_id=8), facts(total="30000.00", spend="0", buyer_id=7), False),
        (rule(1, "monthly_budget", "10000.00", buyer_id=7), facts(total="10000.01", spend="0", buyer_id=7), True),
        (rule(1, "order_total", "0.00", is_active=False), facts(total="1.00"), False),
    ],
)
def test_each_kind_matches_strictly_above_its_threshold(made, given, expected):
    assert rules.matches(made, given) is expected


def test_steps_are_ordered_and_the_same_step_and_role_counts_once():
    made = [
        rule(5, "order_total", "100.00", approver_role="finance", step=2),
        rule(3, "sku_count", "0", approver_role="approver", step=1),
        rule(4, "freight", "0.00", approver_role="approver", step=1),  # same step and role as #3
        rule(2, "order_total", "100000.00", approver_role="admin", step=1),  # does not match
        rule(1, "order_total", "100.00", approver_role="admin", step=3),
    ]
    planned = rules.plan(made, facts(total="200.00", freight="10.00"))
    assert [(s.step, s.role, [r.pk for r in s.rules]) for s in planned] == [
        (1, "approver", [3, 4]),
        (2, "finance", [5]),
        (3, "admin", [1]),
    ]
    assert rules.plan(made, facts(total="50.00", skus=0)) == []


def test_a_budget_rule_without_the_months_spend_is_a_programming_error():
    with pytest.raises(ValueError):
        rules.matches(rule(1, "monthly_budget", "1.00"), facts())


@pytest.mark.django_db
def test_month_spend_counts_this_shanghai_month_without_cancelled_orders():
    buyer = factories.distributor("monthly")
    tz = ZoneInfo("Asia/Shanghai")
    now = datetime(2026, 11, 15, 12, 0, tzinfo=tz)
    factories.history_order(buyer, "H1", "1000.00", datetime(2026, 11, 1, 0, 0, 1, tzinfo=tz))
    factories.history_order(buyer, "H2", "234.56", datetime(2026, 11, 14, 9, 0, tzinfo=tz))
    factories.history_order(buyer, "H3", "999.00", datetime(2026, 10, 31, 23, 59, 59, tzinfo=tz))  # last month
    factories.history_order(buyer, "H4", "500.00", datetime(2026, 11, 2, tzinfo=tz), status="Cancelled")
    assert services.month_spend(buyer, now) == D("1234.56")


@pytest.fixture
def world(db):
    return World(serial=31, prefix="r")


def rule_state():
    return (
        sorted(
            ApprovalRule.objects.values_list(
                "pk", "kind", "threshold", "buyer_role", "buyer_id", "approver_role", "step", "is_active"
            )
        ),
        TransitionLog.objects.filter(machine="purchase_approval_rule").count(),
    )


BAD = [
    ({"kind": "order_total", "threshold": "-1", "approver_role": "approver", "step": 1}, "threshold", "不能为负数"),
    ({"kind": "monthly_budget", "threshold": "", "approver_role": "approver", "step": 1}, "threshold", "请填写"),
    ({"kind": "order_total", "threshold": "100", "approver_role": "buyer", "step": 1}, "approver_role", ""),
    ({"kind": "order_total", "threshold": "100", "approver_role": "readonly", "step": 1}, "approver_role", ""),
    ({"kind": "sku_count", "threshold": "2.5", "approver_role": "approver", "step": 1}, "threshold", "整数"),
    ({"kind": "role", "buyer_role": "", "approver_role": "approver", "step": 1}, "buyer_role", ""),
    ({"kind": "order_total", "threshold": "100", "approver_role": "approver", "step": 0}, "step", ""),
    ({"kind": "spend", "threshold": "100", "approver_role": "approver", "step": 1}, "kind", ""),
]


@pytest.mark.parametrize(("data", "field", "words"), BAD)
def test_bad_rule_input_is_refused_by_field_and_changes_nothing(world, data, field, words):
    admin = client_for(world.admin)
    world.rule(threshold="5000.00")
    before = rule_state()
    response = admin.post(reverse("companies:approval-rules"), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    if words:
        assert words in " ".join(form.errors[field])
    assert rule_state() == before


def test_a_budget_for_a_person_of_another_company_is_refused(world):
    other = World(serial=32, prefix="o")
    with pytest.raises(ValidationError) as caught:
        services.create_rule(
            company=world.company,
            by=world.admin,
            kind="monthly_budget",
            threshold=D("100"),
            buyer=other.buyer,
            approver_role="approver",
            step=1,
        )
    assert "buyer" in caught.value.message_dict


def test_the_admin_creates_edits_and_deactivates_rules(world):
    admin = client_for(world.admin)
    response = admin.post(
        reverse("companies:approval-rules"),
        {
            "kind": "monthly_budget",
            "threshold": "20000.00",
            "buyer": world.buyer.pk,
            "approver_role": "finance",
            "step": 2,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    made = ApprovalRule.objects.get()
    assert (made.kind, made.threshold, made.buyer, made.approver_role, made.step) == (
        "monthly_budget",
        D("20000.00"),
        world.buyer,
        "finance",
        2,
    )
    page = admin.get(reverse("companies:approval-rules")).content.decode()
    assert "王采购" in page and "20000.00" in page
    edit = reverse("companies:approval-rule-edit", args=[made.pk])
    response = admin.post(
        edit, {"kind": "order_total", "threshold": "8000.00", "approver_role": "approver", "step": 1, "is_active": "on"}
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert (made.kind, made.threshold, made.buyer, made.step) == ("order_total", D("8000.00"), None, 1)
    admin.post(edit, {"action": "deactivate"})
    made.refresh_from_db()
    assert made.is_active is False
    assert TransitionLog.objects.filter(machine="purchase_approval_rule", object_id=str(made.pk)).count() == 3


def test_only_the_admin_changes_rules_approvers_and_finance_read_them(world):
    made = world.rule(threshold="100.00")
    for user in (world.approver, world.finance):
        client = client_for(user)
        assert client.get(reverse("companies:approval-rules")).status_code == 200
        data = {"kind": "order_total", "threshold": "1", "approver_role": "approver", "step": 1}
        assert client.post(reverse("companies:approval-rules"), data).status_code == 403
        assert client.get(reverse("companies:approval-rule-edit", args=[made.pk])).status_code == 403
    assert client_for(world.buyer).get(reverse("companies:approval-rules")).status_code == 403
    assert ApprovalRule.objects.count() == 1
