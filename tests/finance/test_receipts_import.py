"""银行流水导入: a CSV/XLSX bank statement is previewed with its match proposals and row errors,
then applied all or nothing; and finance_check notices receipts the ledger does not explain."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from plugins.finance.models import BankStatement, JournalEntry, Receipt
from plugins.finance.services import receipts as service
from plugins.finance.services.reconcile import check
from tests import factories
from tests.finance.conftest import assert_books_hold
from tests.finance.fixtures_receipts import finance_clerk_fixture, looker, receipt, today  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

HEADER = "流水号,交易日期,金额,对方户名,对方账号,对方开户行,附言\n"


def _csv(lines: list[str], name="流水.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (HEADER + "\n".join(lines) + "\n").encode("utf-8"))


def test_a_statement_previews_its_matches_and_applies_all_rows(buyer, catalogue, finance_clerk):
    order = factories.place_order(buyer, [(catalogue["wire"], 2)], secure=False)
    day = today().isoformat()
    upload = _csv(
        [
            f"B-001,{day},{order.total_incl_tax},某公司,6222 0001,工商银行,货款{order.number}",
            f"B-002,{day},1234.56,张三,6222 0002,建设银行,",
        ]
    )
    statement, rows = service.preview_statement(upload, finance_clerk)
    assert statement.rows == 2 and statement.applied_at is None
    assert [r.errors for r in rows] == [[], []]
    assert rows[0].match.company == order.company and rows[0].match.allocations == [(order, order.total_incl_tax)]
    assert rows[1].match.company is None
    assert not Receipt.objects.exists()  # a preview records nothing

    made = service.apply_statement(statement, finance_clerk)
    assert [r.state for r in made] == [Receipt.State.PENDING, Receipt.State.UNCLAIMED]
    assert {r.source for r in made} == {Receipt.Source.IMPORT}
    assert made[1].amount == Decimal("1234.56") and made[1].payer_account == "6222 0002"
    statement.refresh_from_db()
    assert statement.applied_at is not None and statement.applied_by == finance_clerk
    with pytest.raises(ValidationError):
        service.apply_statement(statement, finance_clerk)  # once
    assert Receipt.objects.count() == 2
    assert_books_hold(warnings_ok=False)


def test_a_statement_with_a_bad_row_is_refused_whole(buyer, finance_clerk):
    receipt(finance_clerk, "5.00", ref="B-OLD")
    future = (today() + timedelta(days=2)).isoformat()
    day = today().isoformat()
    upload = _csv(
        [
            f"B-100,{day},100.00,甲,1,,",
            f"B-OLD,{day},100.00,乙,2,,",  # recorded before
            f"B-100,{day},100.00,丙,3,,",  # twice in the file
            f"B-101,{future},1.00,丁,4,,",
            "B-102,昨天,1.00,戊,5,,",
            f"B-103,{day},-3.00,己,6,,",
            f"B-104,{day},abc,庚,7,,",
            f"B-105,{day},1.00,,8,,",
        ]
    )
    statement, rows = service.preview_statement(upload, finance_clerk)
    errors = {r.line: " ".join(r.errors) for r in rows}
    assert errors[2] == ""
    assert "already recorded" in errors[3]
    assert "twice" in errors[4]
    assert "future" in errors[5]
    assert "not a date" in errors[6]
    assert "more than zero" in errors[7]
    assert "amount in yuan" in errors[8]
    assert "payer" in errors[9]
    entries = JournalEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        service.apply_statement(statement, finance_clerk)
    assert "Line 3" in str(refused.value)
    assert Receipt.objects.count() == 1 and JournalEntry.objects.count() == entries
    statement.refresh_from_db()
    assert statement.applied_at is None


def test_a_reference_recorded_between_preview_and_apply_refuses_the_file(finance_clerk):
    day = today().isoformat()
    statement, rows = service.preview_statement(
        _csv([f"B-200,{day},10.00,甲,1,,", f"B-201,{day},20.00,乙,2,,"]), finance_clerk
    )
    assert all(not r.errors for r in rows)
    receipt(finance_clerk, "20.00", ref="B-201")
    with pytest.raises(ValidationError):
        service.apply_statement(statement, finance_clerk)
    assert list(Receipt.objects.values_list("bank_reference", flat=True)) == ["B-201"]
    assert_books_hold(warnings_ok=False)


def test_an_xlsx_statement_reads_dates_and_amounts(finance_clerk):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["交易流水号", "交易日期", "贷方金额", "付款人", "付款账号"])
    sheet.append(["X-1", today(), 88.8, "甲公司", "6222"])
    buffer = io.BytesIO()
    book.save(buffer)
    statement, rows = service.preview_statement(SimpleUploadedFile("s.xlsx", buffer.getvalue()), finance_clerk)
    assert rows[0].errors == [] and rows[0].data["amount"] == Decimal("88.80")
    assert rows[0].data["received_on"] == today()
    made = service.apply_statement(statement, finance_clerk)
    assert made[0].amount == Decimal("88.80")


def test_unreadable_files_and_outsiders_are_refused(buyer, finance_clerk):
    with pytest.raises(ValidationError):
        service.preview_statement(SimpleUploadedFile("a.txt", b"x"), finance_clerk)
    with pytest.raises(ValidationError):
        service.preview_statement(SimpleUploadedFile("a.csv", "金额\n1\n".encode()), finance_clerk)
    with pytest.raises(PermissionDenied):
        service.preview_statement(_csv([]), looker())
    with pytest.raises(PermissionDenied):
        service.preview_statement(_csv([]), buyer)
    assert not BankStatement.objects.exists()


def test_finance_check_notices_receipts_the_ledger_does_not_explain(buyer, catalogue, finance_clerk):
    order = factories.place_order(buyer, [(catalogue["wire"], 2)], secure=False)
    made = receipt(finance_clerk, str(order.total_incl_tax + 1), memo=order.number)
    service.approve(made, finance_clerk)
    assert_books_hold(warnings_ok=False)
    Receipt.objects.filter(pk=made.pk).update(amount=made.amount + Decimal("0.01"))
    errors = check().errors
    assert any("Receipts not void total" in e for e in errors)
    assert any("2203 moved by receipts" in e for e in errors)
    Receipt.objects.filter(pk=made.pk).update(amount=made.amount, state=Receipt.State.PENDING)
    assert any("account 2241 holds" in e for e in check().errors)
