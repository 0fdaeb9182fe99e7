"""The statements demo: last month's statements (one confirmed, one disputed), the month before
closed, the books still hold; a second run adds nothing."""

import random

import pytest
from django.utils import timezone

from core.demo import data
from plugins.finance.models import ClosedPeriod, Statement
from plugins.finance.statements import demo
from tests import factories
from tests.finance.conftest import assert_books_hold

pytestmark = pytest.mark.django_db


class Report:
    def __init__(self):
        self.notes = []


def test_the_demo_issues_confirms_disputes_and_closes_a_month(catalogue):
    operator = factories.operator("demo-operator")
    operator.email = f"{data.OPERATOR[0]}@{data.EMAIL_DOMAIN}"
    operator.save()
    user = factories.distributor("hongda")
    factories.place_order(user, [(catalogue["bolt"], 1)], paid=True)
    factories.supplier_staff(catalogue["suppliers"]["jg"], "jgstaff")
    report = Report()
    demo.seed(report, now=timezone.now(), rng=random.Random(1))
    demo.close_month(report, now=timezone.now())
    states = sorted(Statement.objects.values_list("state", flat=True))
    assert states == ["confirmed", "disputed"]
    assert ClosedPeriod.objects.count() == 1 and "Statements: 2 issued" in report.notes[0]
    assert report.notes[1].startswith("Closed month: ")
    demo.seed(Report(), now=timezone.now(), rng=random.Random(1))
    demo.close_month(Report(), now=timezone.now())
    assert Statement.objects.count() == 2 and ClosedPeriod.objects.count() == 1
    assert_books_hold()
