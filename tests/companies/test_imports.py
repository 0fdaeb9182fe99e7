"""Customer import with four-eyes review (客户导入审核): files, lines, duplicates, approval by a
second operator only, all or nothing, rejection; the back-office pages."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from companies import uscc
from companies.models import Company, CompanyStatus, ImportBatch, ImportStatus, IndustryPosition
from companies.services import imports
from core.models import TransitionLog
from core.statemachine import history
from plugins.member_tiers.models import Membership, SalespersonChange
from tests import factories

pytestmark = pytest.mark.django_db
User = get_user_model()

HEADER = list(imports.COLUMNS)


def line(serial: int, **overrides) -> dict:
    values = {
        "legal_name": f"导入测试{serial}号有限公司",
        "uscc": uscc.generate("330100", 500 + serial),
        "industry": "五金机电",
        "registered_capital": "500",
        "industry_position": "骨干",
        "grade": "A",
        "expected_annual_purchase": "1200000",
        "customer_code": f"IMP{serial:03d}",
        "invoice_title": "",
        "tax_number": "",
        "invoice_address_phone": "杭州市西湖区文三路1号 0571-88888888",
        "invoice_bank_account": "工商银行杭州分行 1202020209000012345",
        "taxpayer_type": "一般纳税人",
        "province": "浙江省",
        "city": "杭州市",
        "address": "西湖区文三路1号",
        "legal_representative": "李四",
        "contact_phone": f"1390571{serial:04d}",
        "salesperson": "sales@example.cn",
    }
    values.update(overrides)
    return values


def csv_file(lines, header=None, name="customers.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    header = header or HEADER
    writer.writerow(header)
    for values in lines:
        writer.writerow([values.get(h, "") for h in header])
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def staff():
    uploader = factories.operator("uploader")
    approver = factories.operator("approver")
    sales = User.objects.create_user(username="sales", email="sales@example.cn", password="x", is_staff=True)
    return uploader, approver, sales


def submit(user, upload):
    return imports.submit(user=user, upload=upload)


def file_error(user, upload) -> str:
    with pytest.raises(ValidationError) as exc:
        submit(user, upload)
    return " ".join(exc.value.message_dict["file"])


# --- bad files ----------------------------------------------------------------------------------


def test_files_that_cannot_be_imported_are_refused_and_nothing_is_kept(staff):
    uploader, _a, _s = staff
    assert "csv" in file_error(uploader, SimpleUploadedFile("customers.pdf", b"%PDF-1.4"))
    assert "UTF-8" in file_error(uploader, SimpleUploadedFile("c.csv", "企业名称".encode("gbk")))
    assert "XLSX" in file_error(uploader, SimpleUploadedFile("c.xlsx", b"not a zip"))
    assert "empty" in file_error(uploader, SimpleUploadedFile("c.csv", b""))
    assert "no lines" in file_error(uploader, csv_file([]))
    missing = file_error(uploader, csv_file([line(1)], header=[h for h in HEADER if h not in ("uscc", "city")]))
    assert "uscc" in missing and "city" in missing
    assert ImportBatch.objects.count() == 0


def test_only_operators_import(staff):
    _u, _a, sales = staff
    with pytest.raises(ValidationError):
        submit(sales, csv_file([line(1)]))
    assert ImportBatch.objects.count() == 0


# --- lines ---------------------------------------------------------------------------------------


def test_every_bad_line_is_reported_by_column_and_nothing_is_kept(staff):
    uploader, _a, _s = staff
    User.objects.create_user(username="shop", email="shop@example.cn", password="x")  # not staff
    User.objects.create_user(username="gone", email="gone@example.cn", password="x", is_staff=True, is_active=False)
    bad = {
        2: line(1),  # good
        3: line(2, uscc="91330100MA2B3C4D5X"),  # wrong check character
        4: line(3, province="火星省"),
        5: line(4, contact_phone="12345"),
        6: line(5, registered_capital="很多"),
        7: line(6, expected_annual_purchase="-5"),
        8: line(7, grade="D"),
        9: line(8, industry_position="巨头"),
        10: line(9, salesperson="shop@example.cn"),
        11: line(10, salesperson="gone@example.cn"),
        12: line(11, salesperson="nobody@example.cn"),
        13: line(12, legal_name=""),
        14: line(13, taxpayer_type="大型"),
    }
    result = submit(uploader, csv_file(bad.values()))
    assert result.batch is None and ImportBatch.objects.count() == 0
    errors = {ln.number: " ".join(ln.errors) for ln in result.report.lines}
    assert errors[2] == ""
    assert "unified social credit code" in errors[3]
    assert "province" in errors[4]
    assert "mobile" in errors[5] and "11 digits" in errors[5]
    assert "registered capital" in errors[6] and "number" in errors[6]
    assert "expected annual purchase" in errors[7]
    assert "value grade" in errors[8] and "A / B / C" in errors[8]
    assert "industry position" in errors[9]
    for n in (10, 11, 12):
        assert "salesperson" in errors[n] and "active staff" in errors[n]
    assert "legal name" in errors[13]
    assert "taxpayer type" in errors[14]
    assert result.report.bad_lines == 12


def test_the_report_speaks_the_users_language(staff):
    uploader, _a, _s = staff
    with translation.override("zh-hans"):
        result = submit(uploader, csv_file([line(1, grade="D", province="火星省")]))
    text = " ".join(result.report.lines[0].errors)
    assert "价值等级" in text and "省份" in text


def test_duplicates_inside_the_file_name_the_earlier_line(staff):
    uploader, _a, _s = staff
    first = line(1)
    lines = [
        first,
        line(2, uscc=first["uscc"].lower().replace("9", "９", 1)),  # the same code, full-width and lower case
        line(3, legal_name=first["legal_name"].replace("有限", "有 限")),  # the same name but a space
        line(4, customer_code=first["customer_code"].lower()),
    ]
    report = submit(uploader, csv_file(lines)).report
    errors = {ln.number: " ".join(ln.errors) for ln in report.lines}
    assert errors[2] == ""
    assert "unified social credit code" in errors[3] and "line 2" in errors[3]
    assert "legal name" in errors[4] and "line 2" in errors[4]
    assert "customer code" in errors[5] and "line 2" in errors[5]


def test_duplicates_against_the_database(staff):
    uploader, _a, _s = staff
    existing = factories.company(factories.person("boss"), "宁波已注册贸易有限公司", 7)
    existing.customer_code = "TAKEN1"
    existing.save()
    lines = [
        line(1, uscc=existing.uscc),
        line(2, legal_name="宁波已注册贸易有限公司"),
        line(3, customer_code="taken1"),
    ]
    report = submit(uploader, csv_file(lines)).report
    errors = [" ".join(ln.errors) for ln in report.lines]
    assert "already registered" in errors[0]
    assert "already registered" in errors[1]
    assert "customer code" in errors[2]


def test_chinese_headers_xlsx_and_choices_by_their_words(staff):
    uploader, approver, sales = staff
    book = Workbook()
    sheet = book.active
    sheet.append([imports.CHINESE_HEADERS[c][0] for c in imports.COLUMNS])
    values = line(1, industry_position="龙头", taxpayer_type="小规模纳税人", grade="b", salesperson="SALES@example.cn")
    values["contact_phone"] = 13905710001  # a number in a spreadsheet cell
    values["registered_capital"] = 500.0
    sheet.append([values[c] for c in imports.COLUMNS])
    out = io.BytesIO()
    book.save(out)
    result = submit(uploader, SimpleUploadedFile("客户.xlsx", out.getvalue()))
    assert result.report.ok, result.report.lines[0].errors
    imports.approve(result.batch, by=approver)
    company = Company.objects.get(uscc=values["uscc"])
    assert company.industry_position == IndustryPosition.LEADER
    assert company.taxpayer_type == "small"
    assert company.contact_phone == "13905710001"
    assert company.membership.grade == "B" and company.membership.salesperson == sales


def test_the_grades_are_member_tiers_grades():
    assert tuple(code for code, _label in Membership.GRADES) == imports.GRADES


def test_the_template_has_every_column_and_reads_back():
    header = imports.template_csv().strip().split(",")
    assert len(header) == len(imports.COLUMNS)
    assert [imports.ALIASES[h] for h in header] == list(imports.COLUMNS)


# --- review ---------------------------------------------------------------------------------------


def good_batch(uploader, n=3) -> ImportBatch:
    result = submit(uploader, csv_file([line(i) for i in range(1, n + 1)]))
    assert result.report.ok, [ln.errors for ln in result.report.lines]
    return result.batch


def test_a_good_file_waits_for_review_and_creates_nothing(staff):
    uploader, _a, _s = staff
    before = Company.objects.count()
    batch = good_batch(uploader)
    assert batch.status == ImportStatus.PENDING and len(batch.rows) == 3
    assert batch.file.read().startswith(b"legal_name,uscc")
    assert Company.objects.count() == before


def test_the_uploader_cannot_approve_their_own_batch(staff):
    uploader, _a, _s = staff
    batch = good_batch(uploader)
    with pytest.raises(ValidationError) as exc:
        imports.approve(batch, by=uploader)
    assert exc.value.code == "own_batch"
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PENDING
    assert not Company.objects.filter(legal_name__startswith="导入测试").exists()


def test_the_database_refuses_an_approval_by_the_uploader_too(staff):
    from django.db import IntegrityError, transaction

    uploader, _a, _s = staff
    batch = good_batch(uploader)
    with pytest.raises(IntegrityError), transaction.atomic():
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.APPROVED, decided_by=uploader)


def test_a_second_operator_approves_and_every_line_is_applied(staff):
    uploader, approver, sales = staff
    batch = good_batch(uploader)
    imports.approve(batch, by=approver)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPROVED and batch.decided_by == approver and batch.decided_at
    companies = list(batch.companies.order_by("legal_name"))
    assert len(companies) == 3
    for company in companies:
        assert company.status == CompanyStatus.VERIFIED and company.verified_at
        assert company.industry_position == IndustryPosition.BACKBONE
        assert company.invoice_title == company.legal_name and company.tax_number == company.uscc
        assert company.applied_by == uploader
        assert not company.members.exists()  # its people are invited later
        steps = list(history(company))
        assert len(steps) == 1 and steps[0].to_state == CompanyStatus.VERIFIED and steps[0].actor == approver
        assert f"#{batch.pk}" in steps[0].reason
        assert company.membership.grade == "A" and company.membership.salesperson == sales
        change = SalespersonChange.objects.get(membership=company.membership)
        assert change.to_user == sales and change.changed_by == approver and f"#{batch.pk}" in change.reason
    assert Company.objects.get(customer_code="IMP002").legal_name == "导入测试2号有限公司"
    with pytest.raises(ValidationError):  # once only
        imports.approve(batch, by=factories.operator("third"))
    assert batch.companies.count() == 3


def test_an_approval_after_a_clash_applies_nothing(staff):
    uploader, approver, _s = staff
    batch = good_batch(uploader)
    # meanwhile the second line's company registers itself
    factories.company(factories.person("early"), "别的名字有限公司", 9, uscc=batch.rows[1]["values"]["uscc"])
    companies, logs, changes = Company.objects.count(), TransitionLog.objects.count(), SalespersonChange.objects.count()
    with pytest.raises(imports.ImportRefused) as exc:
        imports.approve(batch, by=approver)
    bad = [ln for ln in exc.value.report.lines if ln.errors]
    assert [ln.number for ln in bad] == [3] and "already registered" in bad[0].errors[0]
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PENDING and batch.decided_by is None
    assert (Company.objects.count(), TransitionLog.objects.count(), SalespersonChange.objects.count()) == (
        companies,
        logs,
        changes,
    )


def test_rejection_needs_a_reason(staff):
    uploader, approver, _s = staff
    batch = good_batch(uploader)
    with pytest.raises(ValidationError) as exc:
        imports.reject(batch, by=approver, reason="  ")
    assert "reason" in exc.value.message_dict
    imports.reject(batch, by=approver, reason="客户编码规则不对")
    batch.refresh_from_db()
    assert batch.status == ImportStatus.REJECTED and batch.reason == "客户编码规则不对"
    assert [h.to_state for h in history(batch)] == [ImportStatus.REJECTED]
    with pytest.raises(ValidationError):
        imports.approve(batch, by=approver)
    assert not Company.objects.filter(legal_name__startswith="导入测试").exists()


# --- pages ----------------------------------------------------------------------------------------


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_upload_report_review(staff):
    uploader, approver, _s = staff
    up = client_for(uploader)
    assert up.get(reverse("companies-dashboard:import-upload")).status_code == 200
    template = up.get(reverse("companies-dashboard:import-template"))
    assert template.status_code == 200 and "统一社会信用代码" in template.content.decode("utf-8-sig")

    bad = up.post(reverse("companies-dashboard:import-upload"), {"file": csv_file([line(1), line(2, grade="Z")])})
    assert bad.status_code == 400 and 'id="line-3"' in bad.content.decode() and ImportBatch.objects.count() == 0
    wrong = up.post(reverse("companies-dashboard:import-upload"), {"file": SimpleUploadedFile("a.txt", b"x")})
    assert wrong.status_code == 400 and ImportBatch.objects.count() == 0

    good = up.post(reverse("companies-dashboard:import-upload"), {"file": csv_file([line(1), line(2)])})
    batch = ImportBatch.objects.get()
    detail = reverse("companies-dashboard:import-detail", args=[batch.pk])
    assert good.status_code == 302 and good["Location"] == detail
    page = up.get(detail).content.decode()
    assert 'id="own-batch"' in page and 'id="approve-form"' not in page
    assert up.post(detail, {"action": "approve"}).status_code == 400
    assert ImportBatch.objects.get().status == ImportStatus.PENDING

    ap = client_for(approver)
    listing = ap.get(reverse("companies-dashboard:import-list")).content.decode()
    assert detail in listing and "customers.csv" in listing
    assert 'id="approve-form"' in ap.get(detail).content.decode()
    assert ap.post(detail, {"action": "approve"}).status_code == 302
    assert ImportBatch.objects.get().status == ImportStatus.APPROVED
    assert 'id="batch-companies"' in ap.get(detail).content.decode()


def test_page_rejects_with_a_reason_and_shows_a_clash(staff):
    uploader, approver, _s = staff
    batch = good_batch(uploader, n=2)
    detail = reverse("companies-dashboard:import-detail", args=[batch.pk])
    ap = client_for(approver)
    factories.company(factories.person("early"), "先注册有限公司", 9, uscc=batch.rows[0]["values"]["uscc"])
    page = ap.get(detail).content.decode()
    assert 'id="batch-clash"' in page
    refused = ap.post(detail, {"action": "approve"})
    assert refused.status_code == 400 and "line-error" in refused.content.decode()
    assert ap.post(detail, {"action": "reject", "reason": ""}).status_code == 400
    assert ap.post(detail, {"action": "reject", "reason": "重复"}).status_code == 302
    assert ImportBatch.objects.get().status == ImportStatus.REJECTED
