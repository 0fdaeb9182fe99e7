"""Price rule editor and bulk import: bad input is rejected with a clear message and changes nothing."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from openpyxl import Workbook

from plugins.member_tiers.models import PriceRule
from tests.member_tiers.conftest import rule

pytestmark = pytest.mark.django_db

HEADER = "tier,company,sku,category,kind,value,min_quantity,valid_from,valid_until,floor_margin\n"


def upload(client, name, content):
    """Upload a file and follow to its import's status page (the queued task runs on commit,
    eagerly in tests)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("member_tiers:rule-import"), {"file": SimpleUploadedFile(name, content)})
    if response.status_code != 302:
        return response
    return client.get(response["Location"])


def test_rule_editor_rejects_bad_input_and_saves_good_rules(operator_client, tiers, catalogue):
    url = reverse("member_tiers:rule-create")
    base = {"tier": tiers["gold"].pk, "sku": "JG-HB-M8-30", "kind": "percent", "value": "120", "min_quantity": "1"}
    response = operator_client.post(url, base)
    assert "百分比必须在 0 到 100 之间。" in response.content.decode()
    response = operator_client.post(url, {**base, "sku": "NOPE-1"})
    assert "未知的商品编码“NOPE-1”。" in response.content.decode()
    response = operator_client.post(url, {**base, "tier": "", "company_key": ""})
    assert "请选择一个等级或一家企业（二选一）。" in response.content.decode()
    response = operator_client.post(url, {**base, "tier": "", "company_key": "91440300MA5XXXXXXX"})
    assert "没有这家企业。" in response.content.decode()
    assert not PriceRule.objects.exists()

    response = operator_client.post(url, {**base, "value": "8"})
    assert response.status_code == 302
    # the same scope, product and quantity with an overlapping window is refused
    response = operator_client.post(url, {**base, "value": "9", "valid_from": "2026-01-01"})
    assert "相同对象、商品范围和数量的规则与此期间重叠" in response.content.decode()
    assert PriceRule.objects.count() == 1


def test_a_floor_above_the_fixed_price_is_refused(operator_client, tiers, catalogue):
    catalogue["bolt"].stockrecords.update(cost=Decimal("28.00"))
    response = operator_client.post(
        reverse("member_tiers:rule-create"),
        {
            "tier": tiers["gold"].pk,
            "sku": "JG-HB-M8-30",
            "kind": "fixed",
            "value": "29.00",
            "min_quantity": "1",
            "floor_margin_percent": "10",
        },
    )
    assert "底价（¥30.80 = 成本 ¥28.00 + 10%）高于规则价格 ¥29.00。" in response.content.decode()
    assert not PriceRule.objects.exists()


def test_csv_import_with_one_bad_line_imports_nothing_and_reports_every_line(operator_client, tiers, catalogue, buyer):
    content = (
        HEADER
        + "gold,,JG-HB-M8-30,,fixed,29.80,1,,,\n"
        + "gold,,NOPE-404,,fixed,1,1,,,\n"
        + "silver,,,紧固件,percent,150,1,,,\n"
        + f",{buyer.email},DF-BV-2.5,,fixed,199,1,2026-01-01,2026-12-31,\n"
        + "gold,,JG-HB-M8-30,,fixed,29.50,1,,,\n"  # overlaps line 2
    ).encode()
    response = upload(operator_client, "rules.csv", content)
    body = response.content.decode()
    assert "未导入任何内容：5 行中有 3 行有误" in body
    assert "sku：未知的商品编码“NOPE-404”。" in body
    assert "百分比必须在 0 到 100 之间。" in body
    assert "本次导入的另一行" in body
    assert [number for number, _values, _errors in response.context["bad_lines"]] == [3, 4, 6]
    assert not PriceRule.objects.exists()


def test_csv_and_xlsx_imports_of_good_files(operator_client, tiers, catalogue, buyer):
    content = (HEADER + "gold,,JG-HB-M8-30,,fixed,29.80,1,,,\ngold,,JG-HB-M8-30,,fixed,28.50,20,,,\n").encode(
        "utf-8-sig"
    )
    response = upload(operator_client, "rules.csv", content)
    assert "已导入 2 条价格规则" in response.content.decode()

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["", buyer.email, "DF-BV-2.5", "", "fixed", 199, 1, date(2026, 1, 1), date(2026, 12, 31), None])
    sheet.append(["silver", "", "", "紧固件", "percent", 4, 10, None, None, 5])
    data = io.BytesIO()
    book.save(data)
    response = upload(operator_client, "rules.xlsx", data.getvalue())
    assert response.context["job"].status == "done", response.context["bad_lines"]
    customer_rule = PriceRule.objects.get(company__members__user=buyer)
    assert (customer_rule.value, customer_rule.valid_until) == (Decimal("199.00"), date(2026, 12, 31))
    assert PriceRule.objects.get(tier=tiers["silver"]).category.name == "紧固件"
    assert PriceRule.objects.count() == 4


def test_unreadable_files_are_refused(operator_client, tiers):
    assert "请上传 .csv 或 .xlsx 文件。" in upload(operator_client, "rules.txt", b"x").content.decode()
    assert "缺少列：" in upload(operator_client, "rules.csv", b"tier,sku\n").content.decode()
    assert "无法读取该 XLSX 文件。" in upload(operator_client, "rules.xlsx", b"not a zip").content.decode()
    assert not PriceRule.objects.exists()


def test_only_superusers_edit_rules(client, tiers, catalogue):
    from tests import factories

    sales = factories.operator("sales")
    sales.is_superuser = False
    sales.save()
    client.force_login(sales)
    assert client.get(reverse("member_tiers:rule-list")).status_code == 403
    assert client.post(reverse("member_tiers:rule-import")).status_code == 403


def test_price_explanation_lists_every_candidate_and_the_winner(operator_client, gold_buyer, tiers, catalogue):
    bolt = catalogue["bolt"]
    rule(tier=tiers["gold"], product=bolt, kind="fixed", value=Decimal("29.80"))
    winner = rule(tier=tiers["gold"], product=bolt, kind="fixed", value=Decimal("28.50"), min_quantity=20)
    rule(tier=tiers["gold"], product=bolt, kind="fixed", value=Decimal("27.20"), min_quantity=100)
    rule(tier=tiers["gold"], category=catalogue["categories"]["fasteners"], kind="percent", value=Decimal("7"))
    response = operator_client.get(
        reverse("member_tiers:price-explain"),
        {"company_key": gold_buyer.email, "sku": "JG-HB-M8-30", "quantity": 50},
    )
    resolution = response.context["resolution"]
    assert resolution.unit_price == Decimal("28.50") and resolution.rule == winner
    statuses = {c.rule.pk if c.rule else c.source: c.status for c in resolution.candidates}
    assert statuses[winner.pk] == "won"
    assert sorted(statuses.values()).count("quantity") == 1  # the 100-piece break
    assert statuses["tier-default"] == "outranked" and statuses["list"] == "outranked"
    body = response.content.decode()
    assert "需至少 100 件。" in body and "¥28.50" in body


def test_tier_editor_rejects_bad_input_and_the_menu_is_in_chinese(operator_client, tiers):
    from plugins.member_tiers.models import Tier

    url = reverse("member_tiers:tier-edit", args=[tiers["gold"].pk])
    data = {
        "code": "gold",
        "name": "金牌",
        "rank": 3,
        "default_discount_percent": "120",
        "upgrade_threshold": "-1",
        "window_days": 365,
        "points_per_yuan": "1.5",
    }
    body = operator_client.post(url, data).content.decode()
    assert "百分比必须在 0 到 100 之间。" in body and "升级门槛不能为负数。" in body
    assert Tier.objects.get(code="gold").default_discount_percent == Decimal("5.00")
    response = operator_client.post(url, {**data, "default_discount_percent": "6", "upgrade_threshold": "45000"})
    assert response.status_code == 302
    assert Tier.objects.get(code="gold").upgrade_threshold == Decimal("45000.00")
    dashboard = operator_client.get(reverse("dashboard:index")).content.decode()
    for label in ("会员列表", "会员等级", "价格规则", "导入价格规则", "价格解释", "转移业务员"):
        assert label in dashboard
