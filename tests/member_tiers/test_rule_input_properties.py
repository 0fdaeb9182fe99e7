"""Defect 7 (issue 14), the price rules' part: a rule import with NaN, Infinity, 1e11, a 31-digit
minimum quantity, negative numbers, NUL characters or the wrong sheet/columns answered with a
server error. Every bad cell is now an error of its line, a bad file an error of the file; and
properties over random cells in every column of the import and every field of the rule form:
never an exception, either saved or refused with an error, nothing saved on error."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import TestCase
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from plugins.member_tiers.dashboard.forms import PriceRuleForm
from plugins.member_tiers.models import PriceRule, RuleImport
from plugins.member_tiers.services import rules
from tests import factories

pytestmark = pytest.mark.django_db

COLUMNS = rules.IMPORT_COLUMNS + rules.OPTIONAL_COLUMNS


def csv_file(*lines: dict) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for line in lines:
        writer.writerow([line.get(c, "") for c in COLUMNS])
    return out.getvalue().encode()


def import_through_the_back_office(client, name, content):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("member_tiers:rule-import"), {"file": SimpleUploadedFile(name, content)})
    if response.status_code == 302:
        response = client.get(response["Location"])
    return response


GOOD = {"tier": "gold", "sku": "JG-HB-M8-30", "kind": "fixed", "value": "30.00", "min_quantity": "1"}


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"value": "NaN"}, "value：“NaN”不是小于 10000000000 的数字。"),
        ({"value": "Infinity"}, "value：“Infinity”不是小于 10000000000 的数字。"),
        ({"value": "-Infinity"}, "value：“-Infinity”不是小于 10000000000 的数字。"),
        ({"value": "1e11"}, "value：“1e11”不是小于 10000000000 的数字。"),
        ({"value": "-5"}, "value: 数值不能为负数。"),
        ({"value": "abc"}, "value：“abc”不是数字。"),
        ({"floor_margin": "NaN"}, "floor_margin：“NaN”不是小于 10000 的数字。"),
        ({"floor_margin": "1e5"}, "floor_margin：“1e5”不是小于 10000 的数字。"),
        ({"floor_margin": "-3"}, "floor_margin_percent: 底价加成不能为负数。"),
        ({"min_quantity": "9" * 31}, "min_quantity：“" + "9" * 31 + "”不是 1 到 2147483647 之间的整数。"),
        ({"min_quantity": "-3"}, "min_quantity：“-3”不是 1 到 2147483647 之间的整数。"),
        ({"min_quantity": "²"}, "min_quantity：“²”不是 1 到 2147483647 之间的整数。"),
        ({"min_quantity": "0"}, "min_quantity: 起订数量至少为 1。"),
        ({"sku": "JG\x00HB"}, "sku：包含 NUL 字符。"),
        ({"tier": "gold\x00"}, "tier：包含 NUL 字符。"),
        ({"valid_from": "2026-13-45"}, "valid_from：“2026-13-45”不是日期（YYYY-MM-DD）。"),
        ({"floor_override_reason": "x" * 256}, "floor_override_reason：最多 255 个字符。"),
    ],
)
def test_each_bad_cell_is_an_error_of_its_line(operator_client, tiers, catalogue, cells, message):
    content = csv_file({**GOOD, "min_quantity": "5"}, {**GOOD, **cells})
    response = import_through_the_back_office(operator_client, "rules.csv", content)
    assert response.status_code == 200
    body = response.content.decode()
    assert "未导入任何内容：2 行中有 1 行有误" in body
    assert message in body
    assert [number for number, _v, _e in response.context["bad_lines"]] == [3]
    assert not PriceRule.objects.exists()


def test_a_wrong_sheet_or_wrong_columns_are_errors_of_the_file(operator_client, tiers, catalogue):
    book = Workbook()
    book.active.append(["商品", "价格"])  # the first sheet is something else; the rules are on the second
    book.create_sheet("rules").append(COLUMNS)
    data = io.BytesIO()
    book.save(data)
    response = import_through_the_back_office(operator_client, "rules.xlsx", data.getvalue())
    assert response.status_code == 400 and "缺少列：tier, company, sku" in response.content.decode()
    response = import_through_the_back_office(operator_client, "rules.csv", b"tier;sku;value\ngold;X;1\n")
    assert response.status_code == 400 and "缺少列：" in response.content.decode()
    response = import_through_the_back_office(operator_client, "rules.csv", "\ufeff".encode() + b"\xff\xfe")
    assert response.status_code == 400 and "CSV 文件必须使用 UTF-8 编码。" in response.content.decode()
    assert not RuleImport.objects.exists() and not PriceRule.objects.exists()


# --- properties -------------------------------------------------------------------------------

TRICKY = st.sampled_from(
    [
        "",
        "gold",
        "silver",
        "JG-HB-M8-30",
        "DF-BV-2.5",
        "紧固件",
        "buyer@example.cn",
        "fixed",
        "percent",
        "FIXED",
        "0",
        "0.01",
        "29.80",
        "100",
        "150",
        "-1",
        "NaN",
        "-NaN",
        "sNaN",
        "Infinity",
        "-inf",
        "1e11",
        "1E-30",
        "9" * 31,
        "²",
        "①",
        "５",
        "\x00",
        "2026-01-01",
        "2026-02-30",
        "9999-12-31",
        "=1+1",
        " 12 ",
        "1,000.5",
    ]
)
CELL = st.one_of(TRICKY, st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
LINE = st.fixed_dictionaries({column: CELL for column in COLUMNS})
PROPERTY = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@PROPERTY
@given(lines=st.lists(LINE, min_size=1, max_size=4))
def test_any_cells_in_any_column_import_all_or_nothing_and_never_fail(tiers, catalogue, buyer, lines):
    with transaction.atomic():
        operator = factories.operator("prop-ops")
        before = PriceRule.objects.count()
        try:
            with TestCase.captureOnCommitCallbacks(execute=True):
                job = rules.submit_import(filename="rules.csv", content=csv_file(*lines), by=operator)
        except ValidationError as exc:  # a file that cannot be read at all: refused, nothing kept
            assert set(exc.message_dict) == {"file"}
            assert PriceRule.objects.count() == before and not RuleImport.objects.exists()
        else:
            job.refresh_from_db()
            assert job.status in ("done", "failed") and not job.message, job.message
            if job.status == "done":
                assert job.imported == len(lines) == PriceRule.objects.count() - before
            else:
                assert job.errors and all(reasons for _n, reasons in job.errors)
                assert PriceRule.objects.count() == before
        transaction.set_rollback(True)


FORM_FIELDS = (
    "tier",
    "company_key",
    "sku",
    "category",
    "kind",
    "value",
    "min_quantity",
    "valid_from",
    "valid_until",
    "floor_margin_percent",
    "floor_override_reason",
    "note",
)


@PROPERTY
@given(data=st.data())
def test_any_input_to_the_rule_form_is_saved_or_refused_with_a_field_error(tiers, catalogue, buyer, data):
    catalogue["bolt"].stockrecords.update(cost=Decimal("28.00"))
    ids = st.sampled_from([str(tiers["gold"].pk), str(catalogue["categories"]["fasteners"].pk), "0", "-1", "9" * 20])
    values = {name: data.draw(st.one_of(CELL, ids), label=name) for name in FORM_FIELDS}
    with transaction.atomic():
        operator = factories.operator("form-ops")
        before = PriceRule.objects.count()
        form = PriceRuleForm(data=values, instance=PriceRule())
        if form.is_valid():
            rules.save_rule(form.instance, by=operator)
            assert PriceRule.objects.count() == before + 1
        else:
            assert form.errors
            assert PriceRule.objects.count() == before
        transaction.set_rollback(True)
