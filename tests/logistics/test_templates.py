"""Freight template management: clean saves, bad input refused with the field named, nothing saved."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from plugins.logistics.models import FreeShippingRule, FreightRegionRule, FreightTemplate, ProductFreightTemplate
from plugins.logistics.services.freight import templates_for
from plugins.logistics.services.templates import (
    FreeRuleInput,
    RuleInput,
    input_from_template,
    save_template,
    set_product_template,
)
from tests.logistics.conftest import weight_template_input

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        list(FreightTemplate.objects.values_list("pk", "name", "first_price", "is_default", "excluded_provinces")),
        list(FreightRegionRule.objects.values_list("template_id", "provinces", "first_price")),
        list(FreeShippingRule.objects.values_list("template_id", "min_amount", "min_quantity")),
    )


def test_a_saved_template_round_trips(catalogue):
    jg = catalogue["suppliers"]["jg"]
    template = save_template(partner=jg, data=weight_template_input())
    data = input_from_template(template)
    assert data.region_rules[0].provinces == ["新疆维吾尔自治区", "西藏自治区"]
    assert data.free_rules[0].min_amount == Decimal("500.00")
    assert template.excluded_provinces == ["台湾省"]


def test_one_default_per_supplier(catalogue):
    jg = catalogue["suppliers"]["jg"]
    first = save_template(partner=jg, data=weight_template_input(name="A"))
    second = save_template(partner=jg, data=weight_template_input(name="B"))
    first.refresh_from_db()
    assert (first.is_default, second.is_default) == (False, True)


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        (
            {
                "region_rules": [
                    RuleInput(["广东省", "广西壮族自治区"], "1", "5", "1", "1"),
                    RuleInput(["广西壮族自治区"], "1", "6", "1", "1"),
                ]
            },
            "region_rules.1.provinces",
            "a province may be in one region rule only",
        ),
        ({"first_unit": "0"}, "first_unit", "Units must be greater than zero."),
        ({"additional_unit": "-1"}, "additional_unit", "Units must be greater than zero."),
        ({"first_price": "-0.01"}, "first_price", "Prices cannot be negative."),
        ({"additional_price": "abc"}, "additional_price", "Enter a number"),
        ({"first_price": "1.005"}, "first_price", "at most 2 decimal places"),
        ({"region_rules": [RuleInput(["火星"], "1", "5", "1", "1")]}, "region_rules.0.provinces", "Unknown province"),
        ({"region_rules": [RuleInput([], "1", "5", "1", "1")]}, "region_rules.0.provinces", "at least one province"),
        ({"region_rules": [RuleInput(["广东省"], "0", "5", "1", "1")]}, "region_rules.0.first_unit", "greater than"),
        ({"excluded_provinces": ["Xinjiang"]}, "excluded_provinces", "Unknown province: Xinjiang."),
        ({"free_rules": [FreeRuleInput([], None, None)]}, "free_rules.0", "minimum amount, a minimum quantity"),
        ({"free_rules": [FreeRuleInput([], "-5", None)]}, "free_rules.0.min_amount", "greater than zero"),
        ({"free_rules": [FreeRuleInput([], None, "0")]}, "free_rules.0.min_quantity", "greater than zero"),
        ({"mode": "distance"}, "mode", "by piece, by weight or by volume"),
        ({"name": "  "}, "name", "Enter a name."),
        (
            {"excluded_provinces": ["西藏自治区"]},
            "region_rules.0.provinces",
            "is not delivered to",
        ),
    ],
)
def test_bad_templates_are_refused_and_nothing_changes(catalogue, overrides, field, message, settings):
    settings.LANGUAGE_CODE = "en"
    jg = catalogue["suppliers"]["jg"]
    existing = save_template(partner=jg, data=weight_template_input())
    before = snapshot()
    for target in (None, existing):  # neither a new template nor an edit is saved
        with pytest.raises(ValidationError) as exc:
            save_template(partner=jg, data=weight_template_input(**overrides), template=target)
        assert any(message in m for m in exc.value.message_dict[field]), exc.value.message_dict
        assert snapshot() == before


def test_errors_are_in_chinese_by_default(catalogue):
    with pytest.raises(ValidationError) as exc:
        save_template(partner=None, data=weight_template_input(first_unit="0"))
    assert exc.value.message_dict["first_unit"] == ["计费单位必须大于零。"]


def test_product_names_another_template_else_supplier_default_else_platform(catalogue):
    jg, df = catalogue["suppliers"]["jg"], catalogue["suppliers"]["df"]
    jg_default = save_template(partner=jg, data=weight_template_input(name="精工默认"))
    heavy = save_template(partner=jg, data=weight_template_input(name="大件", is_default=False))
    platform = save_template(partner=None, data=weight_template_input(name="平台默认"))
    bolt, nut, wire = catalogue["bolt"], catalogue["nut"], catalogue["wire"]
    set_product_template(product=bolt, template=heavy)
    specs = templates_for([(bolt.pk, jg.pk), (nut.pk, jg.pk), (wire.pk, df.pk)])
    assert (specs[bolt.pk].name, specs[nut.pk].name, specs[wire.pk].name) == ("大件", "精工默认", "平台默认")
    assert {jg_default.pk, platform.pk} <= {s.id for s in specs.values()}

    with pytest.raises(ValidationError):
        set_product_template(product=wire, template=heavy)  # jg's template for a df product
    assert not ProductFreightTemplate.objects.filter(product=wire).exists()
    set_product_template(product=bolt, template=None)
    assert templates_for([(bolt.pk, jg.pk)])[bolt.pk].name == "精工默认"


def test_a_supplier_cannot_edit_another_suppliers_template(catalogue):
    jg, df = catalogue["suppliers"]["jg"], catalogue["suppliers"]["df"]
    template = save_template(partner=jg, data=weight_template_input())
    before = snapshot()
    with pytest.raises(ValidationError):
        save_template(partner=df, data=weight_template_input(name="改"), template=template)
    assert snapshot() == before
