from decimal import Decimal

import pytest

from plugins.logistics.services.templates import FreeRuleInput, RuleInput, TemplateInput, save_template
from tests import factories

REMOTE = ["新疆维吾尔自治区", "西藏自治区"]


def weight_template_input(**overrides) -> TemplateInput:
    """By weight: first 1 kg ¥8, each further kg ¥2; 新疆/西藏 first 1 kg ¥20, further ¥10;
    free above ¥500 except in the remote provinces."""
    values = dict(
        name="标准快递",
        mode="weight",
        first_unit="1",
        first_price="8.00",
        additional_unit="1",
        additional_price="2.00",
        is_default=True,
        region_rules=[RuleInput(REMOTE, "1", "20.00", "1", "10.00")],
        free_rules=[
            FreeRuleInput(
                ["广东省", "江苏省", "浙江省", "上海市", "四川省"],
                min_amount="500.00",
            )
        ],
        excluded_provinces=["台湾省"],
    )
    values.update(overrides)
    return TemplateInput(**values)


def set_weight(product, kg: str):
    from oscar.core.loading import get_model

    ProductAttribute = get_model("catalogue", "ProductAttribute")
    ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
    attribute, _ = ProductAttribute.objects.get_or_create(
        product_class=product.product_class, code="weight", defaults={"name": "重量(kg)", "type": "float"}
    )
    ProductAttributeValue.objects.update_or_create(
        product=product, attribute=attribute, defaults={"value_float": float(Decimal(kg))}
    )


@pytest.fixture
def freight(catalogue):
    """The catalogue fixture with weights and a default template for each supplier."""
    jg, df = catalogue["suppliers"]["jg"], catalogue["suppliers"]["df"]
    set_weight(catalogue["bolt"], "0.5")
    set_weight(catalogue["nut"], "0.2")
    set_weight(catalogue["wire"], "9.5")
    set_weight(catalogue["breaker"], "0.15")
    jg_template = save_template(partner=jg, data=weight_template_input())
    df_template = save_template(
        partner=df,
        data=TemplateInput(
            name="东方电气按件",
            mode="piece",
            first_unit="1",
            first_price="10.00",
            additional_unit="2",
            additional_price="3.00",
            is_default=True,
            region_rules=[RuleInput(REMOTE, "1", "30.00", "1", "15.00")],
            free_rules=[FreeRuleInput([], min_quantity=100)],
        ),
    )
    return {**catalogue, "templates": {"jg": jg_template, "df": df_template}}


@pytest.fixture
def xinjiang_buyer(db):
    return factories.distributor("xjbuyer", province="新疆维吾尔自治区")
