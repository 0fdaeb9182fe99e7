"""Defect 6 (issue 14): prices below cost were accepted when a rule named no floor (¥0.01; 100 %
off showed ¥0.00 to buyers). A platform default floor (setting, then operators' back office,
audited) holds for every rule naming none; going below it needs an override with a reason,
audited and listed for operators; the floor holds when prices are computed too."""

import json
from decimal import Decimal

import pytest
from django.test import Client, TestCase
from django.urls import reverse

from plugins.member_tiers.models import FloorAudit, Membership, PriceRule, PricingPolicy
from plugins.member_tiers.pricing import PriceBook
from plugins.member_tiers.services import rules
from tests import factories
from tests.member_tiers.conftest import rule

pytestmark = pytest.mark.django_db

HEADER = "tier,company,sku,category,kind,value,min_quantity,valid_from,valid_until,floor_margin"
BELOW = "规则价格 ¥0.01 低于底价 ¥28.00（成本 ¥28.00 + 平台默认加成 0.00%）。请提高价格，或填写原因以突破底价。"
FREE = "该规则使商品售价为 ¥0.00。请提高价格，或填写原因以突破底价。"


@pytest.fixture
def costed(catalogue):
    """The bolt lists at ¥32.00 and costs the platform ¥28.00."""
    catalogue["bolt"].stockrecords.update(cost=Decimal("28.00"))
    return catalogue


def price(user, product, quantity=1):
    return PriceBook(user).resolve(product, product.stockrecords.get(), quantity).unit_price


def new_rule(client, **fields):
    data = {"min_quantity": "1", "kind": "fixed", **fields}
    return client.post(reverse("member_tiers:rule-create"), data)


def test_a_rule_below_cost_is_refused_by_the_form_the_import_and_graphql(operator_client, tiers, costed):
    gold = tiers["gold"]
    response = new_rule(operator_client, tier=gold.pk, sku="JG-HB-M8-30", value="0.01")
    assert response.status_code == 200
    assert BELOW in response.content.decode()
    # 100 % off anything (here a whole category) is ¥0.00
    fasteners = costed["categories"]["fasteners"]
    response = new_rule(operator_client, tier=gold.pk, category=fasteners.pk, kind="percent", value="100")
    assert FREE in response.content.decode()
    # a percentage that lands below cost on the product: 32.00 × 15 % = 4.80 < 28.00
    response = new_rule(operator_client, tier=gold.pk, sku="JG-HB-M8-30", kind="percent", value="85")
    assert "规则价格 ¥4.80 低于底价 ¥28.00" in response.content.decode()

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = operator_client.post(
            reverse("member_tiers:rule-import"),
            {"file": _csv(f"{HEADER}\ngold,,JG-HB-M8-30,,fixed,29.00,1,,,\ngold,,JG-HB-M8-30,,fixed,0.01,10,,,\n")},
        )
    response = operator_client.get(response["Location"])  # the task ran when the upload committed
    assert "value: " + BELOW in response.content.decode()
    assert [n for n, _v, _e in response.context["bad_lines"]] == [3]

    body = _gql(
        factories.operator("ops2"),
        'mutation { priceRuleCreate(tierCode: "gold", sku: "JG-HB-M8-30", kind: "fixed", value: "0.01") '
        "{ rule { id } errors { field message } } }",
    )
    assert body["data"]["priceRuleCreate"] == {"rule": None, "errors": [{"field": "value", "message": BELOW}]}
    body = _gql(
        factories.operator("ops3"),
        'mutation { priceRuleCreate(tierCode: "gold", sku: "JG-HB-M8-30", kind: "fixed", value: "0.01", '
        'floorOverrideReason: "a\\u0000b") { rule { id } errors { field } } }',
    )
    assert body["data"]["priceRuleCreate"] == {"rule": None, "errors": [{"field": "floorOverrideReason"}]}
    assert not PriceRule.objects.exists()


def test_buyers_never_see_a_price_below_the_floor(buyer, tiers, costed):
    """Rules saved before the floor existed (or on a whole category) are held at each product's floor."""
    Membership.objects.create(company=factories.company_of(buyer), tier=tiers["gold"])
    bolt, nut = costed["bolt"], costed["nut"]
    rule(tier=tiers["gold"], product=bolt, kind="fixed", value=Decimal("0.01"))
    rule(tier=tiers["gold"], category=costed["categories"]["fasteners"], kind="percent", value=Decimal("100"))
    assert price(buyer, bolt) == Decimal("28.00")  # was ¥0.01
    resolution = PriceBook(buyer).resolve(bolt, bolt.stockrecords.get())
    assert resolution.explanation.endswith("已按成本底价上调")
    nut.stockrecords.update(cost=Decimal("15.50"))
    assert price(buyer, nut) == Decimal("15.50")  # was ¥0.00
    page = Client()
    page.force_login(buyer)
    body = page.get(bolt.get_absolute_url()).content.decode()
    assert "¥28.00" in body and "¥0.01" not in body


def test_the_tier_default_discount_is_held_at_the_floor_too(buyer, tiers, costed):
    tiers["gold"].default_discount_percent = Decimal("20")  # 32.00 × 80 % = 25.60 < 28.00
    tiers["gold"].save()
    Membership.objects.create(company=factories.company_of(buyer), tier=tiers["gold"])
    assert price(buyer, costed["bolt"]) == Decimal("28.00")
    assert price(buyer, costed["nut"]) == Decimal("15.84")  # no cost stated: 19.80 × 80 %


def test_operators_change_the_default_floor_audited_and_prices_follow(operator_client, buyer, tiers, costed):
    Membership.objects.create(company=factories.company_of(buyer), tier=tiers["gold"])
    bolt = costed["bolt"]
    rule(tier=tiers["gold"], product=bolt, kind="fixed", value=Decimal("29.00"))
    assert price(buyer, bolt) == Decimal("29.00")

    url = reverse("member_tiers:pricing-policy")
    assert "默认底价：成本 + 0.00%" in operator_client.get(url).content.decode()  # the setting's default
    response = operator_client.post(url, {"default_floor_margin_percent": "-1", "reason": "试试"})
    assert "确保该值大于或等于0" in response.content.decode()
    response = operator_client.post(url, {"default_floor_margin_percent": "10"})
    assert "这个字段是必填项" in response.content.decode()
    assert not PricingPolicy.objects.exists() and not FloorAudit.objects.exists()

    response = operator_client.post(url, {"default_floor_margin_percent": "10", "reason": "毛利保护"}, follow=True)
    assert "已保存默认底价。" in response.content.decode()
    entry = FloorAudit.objects.get()
    assert (entry.kind, entry.from_value, entry.to_value, entry.reason, entry.by.username) == (
        "default",
        "0.00%",
        "10.00%",
        "毛利保护",
        "operator",
    )
    body = response.content.decode()
    assert "默认底价：成本 + 10.00%" in body and "毛利保护" in body and "operator@example.cn" in body
    # the compiled rule indexes were replaced: the next request prices at cost + 10 %
    assert price(buyer, bolt) == Decimal("30.80")
    # and new rules below it are refused
    response = new_rule(operator_client, tier=tiers["silver"].pk, sku="JG-HB-M8-30", value="30.00")
    assert "规则价格 ¥30.00 低于底价 ¥30.80（成本 ¥28.00 + 平台默认加成 10.00%）" in response.content.decode()


def test_an_override_with_a_reason_goes_below_the_floor_and_is_audited(operator_client, buyer, tiers, costed):
    Membership.objects.create(company=factories.company_of(buyer), tier=tiers["gold"])
    bolt = costed["bolt"]
    response = new_rule(
        operator_client,
        tier=tiers["gold"].pk,
        sku="JG-HB-M8-30",
        value="0.01",
        floor_override_reason="清仓促销，经理批准",
    )
    assert response.status_code == 302
    saved = PriceRule.objects.get()
    assert (saved.floor_override_reason, saved.floor_override_by.username) == ("清仓促销，经理批准", "operator")
    assert saved.floor_override_at is not None
    entry = FloorAudit.objects.get()
    assert (entry.kind, entry.rule, entry.reason, entry.by.username) == (
        "override",
        saved,
        "清仓促销，经理批准",
        "operator",
    )
    assert price(buyer, bolt) == Decimal("0.01")

    body = operator_client.get(reverse("member_tiers:pricing-policy")).content.decode()
    assert "清仓促销，经理批准" in body and "operator@example.cn" in body
    assert "已突破底价" in operator_client.get(reverse("member_tiers:rule-list")).content.decode()

    # withdrawn: the rule must respect the floor again, and the withdrawal is audited
    edit = reverse("member_tiers:rule-edit", args=[saved.pk])
    data = {"tier": tiers["gold"].pk, "sku": "JG-HB-M8-30", "kind": "fixed", "value": "0.01", "min_quantity": "1"}
    assert BELOW in operator_client.post(edit, data).content.decode()
    assert operator_client.post(edit, {**data, "value": "29.00"}).status_code == 302
    saved.refresh_from_db()
    assert (saved.floor_override_reason, saved.floor_override_by) == ("", None)
    assert list(FloorAudit.objects.order_by("id").values_list("kind", "from_value")) == [
        ("override", ""),
        ("withdrawn", "清仓促销，经理批准"),
    ]
    assert price(buyer, bolt) == Decimal("29.00")


def test_an_imported_override_is_stamped_with_the_importer(tiers, costed):
    operator = factories.operator()
    content = f"{HEADER},floor_override_reason\ngold,,JG-HB-M8-30,,fixed,0.01,1,,,,样品价\n".encode()
    report = rules.import_rules("rules.csv", content, by=operator)
    assert report.ok, report.lines
    saved = PriceRule.objects.get()
    assert (saved.value, saved.floor_override_reason, saved.floor_override_by) == (Decimal("0.01"), "样品价", operator)
    assert FloorAudit.objects.get().rule == saved


def _csv(text):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("rules.csv", text.encode())


def _gql(user, query):
    client = Client()
    client.force_login(user)
    return client.post("/graphql/", json.dumps({"query": query}), content_type="application/json").json()
