"""Demo data: a template per supplier with remote surcharges and free-shipping thresholds."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from core.demo.seed import seed_demo
from plugins.logistics.models import FreeShippingRule, FreightRegionRule, FreightTemplate
from plugins.logistics.services.freight import LineInput, quote_lines

Product = get_model("catalogue", "Product")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")

pytestmark = pytest.mark.django_db


def test_demo_templates_price_the_same_basket_for_guangdong_and_xinjiang():
    report = seed_demo(months=1)
    assert any(note.startswith(("Logistics:", "物流：")) for note in report.notes)
    templates = {t.partner.code: t for t in FreightTemplate.objects.select_related("partner")}
    assert set(templates) == {"jg", "df", "hn", "bf"}
    assert all(t.is_default for t in templates.values())
    for template in templates.values():
        assert any("新疆维吾尔自治区" in r.provinces for r in template.region_rules.all())
        assert template.free_rules.exists()
    assert ProductAttributeValue.objects.filter(attribute__code="volume").count() > 0

    bolt = Product.objects.get(upc="JG-HB-M8-30")  # 1.6 kg a box
    oil = Product.objects.filter(upc__startswith="HN-").first()
    lines = [
        LineInput(1, bolt.pk, templates["jg"].partner_id, 5, Decimal("160.00"), bolt.title),
        LineInput(2, oil.pk, templates["hn"].partner_id, 1, Decimal("100.00"), oil.title),
    ]
    guangdong = quote_lines(lines, "广东省")
    xinjiang = quote_lines(lines, "新疆维吾尔自治区")
    jg = templates["jg"].partner_id
    # 8 kg of bolts: 广东 ¥8 + 7 × ¥2 = ¥22; 新疆 ¥25 + 7 × ¥12 = ¥109
    assert guangdong.parts[jg].amount == Decimal("22.00")
    assert xinjiang.parts[jg].amount == Decimal("109.00")
    assert xinjiang.total > guangdong.total
    # 西藏 gets no chemicals: the oil is named as not delivered
    tibet = quote_lines(lines, "西藏自治区")
    assert [i.title for i in tibet.undeliverable] == [oil.title]

    counts = (FreightTemplate.objects.count(), FreightRegionRule.objects.count(), FreeShippingRule.objects.count())
    seed_demo(months=1)
    assert (
        FreightTemplate.objects.count(),
        FreightRegionRule.objects.count(),
        FreeShippingRule.objects.count(),
    ) == counts
