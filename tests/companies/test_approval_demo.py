"""Purchase approval in the demo data: rules on two companies, an approver, one order waiting for
them (through the real submission: its lines, prices and freight), idempotent."""

import pytest
from django.utils import timezone

from companies import uscc
from companies.approvals import services
from companies.approvals.models import ApprovalRequest, ApprovalRule
from companies.demo import seed as companies_seed
from companies.models import Company
from core.demo.seed import SeedReport, seed_demo

pytestmark = pytest.mark.django_db


def test_demo_companies_have_rules_and_an_order_waiting_for_their_approver():
    report = seed_demo()
    waiting = ApprovalRequest.objects.get()
    assert waiting.status == "pending" and waiting.company.legal_name == "深圳市宏达五金机电有限公司"
    assert waiting.total_incl_tax > 5000 and len(waiting.lines) >= 2
    assert waiting.buyer.email == "hongda@demo.s2b2b.cn"
    assert [s.role for s in waiting.steps.all()][0] == "approver"
    assert ApprovalRule.objects.values("company").distinct().count() == 2
    assert ("approver.hongda@demo.s2b2b.cn") in {email for _, email, _ in report.logins}
    approver = waiting.company.members.get(user__email="approver.hongda@demo.s2b2b.cn").user
    assert services.refusal(approver, waiting, services.current_step(waiting)) is None
    assert all(uscc.is_valid(c.uscc) for c in Company.objects.all())

    before = (ApprovalRule.objects.count(), ApprovalRequest.objects.count())
    companies_seed(SeedReport(), now=timezone.now(), seed=2026)
    assert (ApprovalRule.objects.count(), ApprovalRequest.objects.count()) == before
