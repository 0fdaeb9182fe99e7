"""Defect 9 (issue 14): a 5,000-row rule import took 43 s inside one request. The upload is now
queued as a Celery task (eager in tests), with a status page that refreshes itself while it runs;
a file over the row cap is refused with a clear message; all-or-nothing holds."""

import time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse

from plugins.member_tiers.models import PriceRule, RuleImport
from plugins.member_tiers.services import rules

pytestmark = pytest.mark.django_db

HEADER = "tier,company,sku,category,kind,value,min_quantity,valid_from,valid_until,floor_margin\n"


def big_file(lines: int, *, bad_at: int | None = None) -> bytes:
    """``lines`` quantity breaks of the bolt for the gold tier (line n+1 is minimum quantity n)."""
    rows = []
    for n in range(1, lines + 1):
        value = "not-a-price" if n == bad_at else f"{Decimal('31.99') - Decimal(n) / 1000:.2f}"
        rows.append(f"gold,,JG-HB-M8-30,,fixed,{value},{n},,,\n")
    return (HEADER + "".join(rows)).encode()


def post(client, content, name="rules.csv"):
    return client.post(reverse("member_tiers:rule-import"), {"file": SimpleUploadedFile(name, content)})


def test_a_5000_line_import_runs_as_a_task_and_reports_its_progress(operator_client, tiers, catalogue, capsys):
    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        response = post(operator_client, big_file(5000))
    job = RuleImport.objects.get()
    # the request only read the file and queued the task: nothing imported yet
    assert response.status_code == 302 and response["Location"] == reverse(
        "member_tiers:rule-import-status", args=[job.pk]
    )
    assert (job.status, job.total, PriceRule.objects.count(), len(queued)) == ("queued", 5000, 0, 1)
    page = operator_client.get(response["Location"]).content.decode()
    assert "0 / 5000 行已检查" in page and 'http-equiv="refresh"' in page  # refreshes itself, no script

    started = time.perf_counter()
    queued[0]()  # the task, run as the worker would after the commit
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n5,000-line price rule import task: {elapsed:.1f} s")

    job.refresh_from_db()
    assert (job.status, job.imported) == ("done", 5000)
    assert PriceRule.objects.filter(tier=tiers["gold"]).count() == 5000
    assert PriceRule.objects.get(min_quantity=5000).value == Decimal("26.99")  # 31.99 − 5.000
    page = operator_client.get(response["Location"]).content.decode()
    assert "已导入 5000 条价格规则。" in page and "5000 / 5000 行已检查" in page and "refresh" not in page


def test_one_bad_line_among_5000_imports_nothing_and_names_it(operator_client, tiers, catalogue):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = post(operator_client, big_file(5000, bad_at=4321))
    body = operator_client.get(response["Location"]).content.decode()
    assert "未导入任何内容：5000 行中有 1 行有误" in body
    assert "value：“not-a-price”不是数字。" in body
    job = RuleImport.objects.get()
    assert (job.status, job.imported, job.errors) == ("failed", 0, [[4322, ["value：“not-a-price”不是数字。"]]])
    assert not PriceRule.objects.exists()


def test_a_line_that_clashes_with_an_existing_rule_rolls_back_every_line(tiers, catalogue):
    PriceRule.objects.create(
        tier=tiers["gold"], product=catalogue["bolt"], kind="fixed", value=Decimal("30"), min_quantity=7
    )
    report = rules.import_rules("rules.csv", big_file(10))
    assert [n for n, _v, errors in report.lines if errors] == [8]
    assert PriceRule.objects.count() == 1


@override_settings(MEMBER_RULE_IMPORT_MAX_ROWS=3)
def test_a_file_over_the_row_cap_is_refused_at_once(operator_client, tiers, catalogue):
    with TestCase.captureOnCommitCallbacks(execute=True) as queued:
        response = post(operator_client, big_file(4))
    assert response.status_code == 400
    assert "该文件有 4 行；每个文件最多 3 行。请拆分后分别导入。" in response.content.decode()
    assert not queued and not RuleImport.objects.exists() and not PriceRule.objects.exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = post(operator_client, big_file(3))
    assert RuleImport.objects.get().status == "done" and PriceRule.objects.count() == 3
