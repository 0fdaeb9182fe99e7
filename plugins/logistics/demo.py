"""Demo data: one freight template per demo supplier (remote-province surcharges for 新疆 and
西藏, free-shipping thresholds), and a volume (m³) for the protective-wear products that
北方安防 charges by volume. Idempotent and deterministic."""

from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.regions import PROVINCES
from plugins.logistics.models import FreightTemplate
from plugins.logistics.services.templates import FreeRuleInput, RuleInput, TemplateInput, save_template

Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")

REMOTE = ["新疆维吾尔自治区", "西藏自治区"]
NORTHWEST = ["青海省", "甘肃省", "宁夏回族自治区", "内蒙古自治区"]
OFFSHORE = ["台湾省", "香港特别行政区", "澳门特别行政区"]
MAINLAND = [p.name for p in PROVINCES if p.name not in REMOTE + OFFSHORE]


def _templates() -> dict[str, TemplateInput]:
    return {
        "jg": TemplateInput(
            name="精工五金 标准快递（按重量）",
            mode="weight",
            first_unit="1",
            first_price="8.00",
            additional_unit="1",
            additional_price="2.00",
            is_default=True,
            excluded_provinces=OFFSHORE,
            region_rules=[
                RuleInput(REMOTE, "1", "25.00", "1", "12.00"),
                RuleInput(NORTHWEST, "1", "15.00", "1", "6.00"),
            ],
            free_rules=[FreeRuleInput([p for p in MAINLAND if p not in NORTHWEST], min_amount="800.00")],
        ),
        "df": TemplateInput(
            name="东方电气 快递（按件）",
            mode="piece",
            first_unit="1",
            first_price="10.00",
            additional_unit="1",
            additional_price="2.00",
            is_default=True,
            excluded_provinces=OFFSHORE,
            region_rules=[RuleInput(REMOTE, "1", "30.00", "1", "8.00")],
            free_rules=[FreeRuleInput(MAINLAND, min_amount="1000.00")],
        ),
        "hn": TemplateInput(
            name="华南化工 危化品物流（按重量）",
            mode="weight",
            first_unit="5",
            first_price="15.00",
            additional_unit="1",
            additional_price="1.50",
            is_default=True,
            # chemicals are not sent to Tibet or outside the mainland by this supplier's carrier
            excluded_provinces=["西藏自治区", *OFFSHORE],
            region_rules=[RuleInput(["新疆维吾尔自治区"], "5", "40.00", "1", "6.00")],
            free_rules=[FreeRuleInput(["广东省", "广西壮族自治区", "福建省", "海南省"], min_amount="1500.00")],
        ),
        "bf": TemplateInput(
            name="北方安防 快递（按体积）",
            mode="volume",
            first_unit="0.05",
            first_price="12.00",
            additional_unit="0.05",
            additional_price="6.00",
            is_default=True,
            excluded_provinces=OFFSHORE,
            region_rules=[RuleInput(REMOTE, "0.05", "35.00", "0.05", "15.00")],
            free_rules=[
                FreeRuleInput(MAINLAND, min_amount="600.00"),
                FreeRuleInput(MAINLAND, min_quantity=50),
            ],
        ),
    }


def _seed_volumes() -> int:
    """m³ per piece for 北方安防's products, from their weight (light, bulky goods: 8 dm³ per kg)."""
    products = list(Product.objects.filter(stockrecords__partner__code="bf").distinct())
    if not products:
        return 0
    product_class = products[0].product_class
    volume, _created = ProductAttribute.objects.get_or_create(
        product_class=product_class, code="volume", defaults={"name": "体积(m³)", "type": ProductAttribute.FLOAT}
    )
    weights = dict(
        ProductAttributeValue.objects.filter(product__in=products, attribute__code="weight").values_list(
            "product_id", "value_float"
        )
    )
    for product in products:
        m3 = round(max(0.002, (weights.get(product.pk) or 0.25) * 0.008), 4)
        ProductAttributeValue.objects.update_or_create(product=product, attribute=volume, defaults={"value_float": m3})
    return len(products)


def seed(report, *, now, seed):
    made = []
    for code, data in _templates().items():
        partner = Partner.objects.filter(code=code).first()
        if partner is None:
            continue
        existing = FreightTemplate.objects.filter(partner=partner, name=data.name).first()
        save_template(partner=partner, data=data, template=existing)
        made.append(code)
    volumes = _seed_volumes()
    report.notes.append(
        _(
            "Logistics: freight templates for %(n)d suppliers (%(codes)s) with surcharges for 新疆 and 西藏 "
            "and free-shipping thresholds; volumes for %(volumes)d products."
        )
        % {"n": len(made), "codes": ", ".join(made), "volumes": volumes}
    )
