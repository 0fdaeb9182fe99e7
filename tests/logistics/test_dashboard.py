"""Back office and supplier portal screens: scoped templates with a live preview, carriers,
shipments with their timeline and manual events."""

import pytest
from django.test import Client
from django.urls import reverse

from plugins.logistics.models import FreightRegionRule, FreightTemplate, TrackingEvent
from plugins.logistics.services.shipments import record_shipment
from tests import factories

pytestmark = pytest.mark.django_db


def login(user):
    client = Client()
    client.force_login(user)
    return client


def form_data(**overrides):
    data = {
        "partner": "",
        "name": "大件物流",
        "mode": "weight",
        "is_default": "",
        "first_unit": "1",
        "first_price": "8.00",
        "additional_unit": "1",
        "additional_price": "2.00",
        "excluded_provinces": [],
        "region-TOTAL_FORMS": "2",
        "region-INITIAL_FORMS": "0",
        "region-0-provinces": ["新疆维吾尔自治区", "西藏自治区"],
        "region-0-first_unit": "1",
        "region-0-first_price": "20.00",
        "region-0-additional_unit": "1",
        "region-0-additional_price": "10.00",
        "free-TOTAL_FORMS": "1",
        "free-INITIAL_FORMS": "0",
        "free-0-provinces": ["广东省"],
        "free-0-min_amount": "500",
        "free-0-min_quantity": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def staff(freight):
    return {
        "jg": factories.supplier_staff(freight["suppliers"]["jg"], "jgstaff"),
        "df": factories.supplier_staff(freight["suppliers"]["df"], "dfstaff"),
        "operator": factories.operator(),
    }


def test_supplier_staff_see_and_edit_only_their_own_templates(freight, staff):
    jg_t, df_t = freight["templates"]["jg"], freight["templates"]["df"]
    client = login(staff["jg"])
    page = client.get(reverse("logistics-dashboard:template-list")).content.decode()
    assert jg_t.name in page and df_t.name not in page
    assert client.get(reverse("logistics-dashboard:template-edit", args=[df_t.pk])).status_code == 404
    assert client.post(reverse("logistics-dashboard:template-delete", args=[df_t.pk])).status_code == 404
    assert FreightTemplate.objects.filter(pk=df_t.pk).exists()

    operator_page = login(staff["operator"]).get(reverse("logistics-dashboard:template-list")).content.decode()
    assert jg_t.name in operator_page and df_t.name in operator_page


def test_buyers_cannot_open_the_back_office_screens(freight, buyer_client):
    for name in ("template-list", "carrier-list", "shipment-list"):
        assert buyer_client.get(reverse(f"logistics-dashboard:{name}")).status_code == 403


def test_supplier_creates_a_template_for_its_own_partner_only(freight, staff):
    jg = freight["suppliers"]["jg"]
    client = login(staff["jg"])
    response = client.post(reverse("logistics-dashboard:template-create"), form_data(partner=str(jg.pk)))
    assert response.status_code == 302
    created = FreightTemplate.objects.get(name="大件物流")
    assert created.partner == jg
    assert list(created.region_rules.values_list("provinces", flat=True)) == [["新疆维吾尔自治区", "西藏自治区"]]
    assert created.free_rules.get().min_amount == 500

    df = freight["suppliers"]["df"]
    count = FreightTemplate.objects.count()
    response = client.post(reverse("logistics-dashboard:template-create"), form_data(partner=str(df.pk), name="越权"))
    assert response.status_code == 400
    response = client.post(reverse("logistics-dashboard:template-create"), form_data(partner="", name="平台"))
    assert response.status_code == 400
    assert FreightTemplate.objects.count() == count


def test_overlapping_region_rules_in_the_editor_are_refused_with_nothing_saved(freight, staff):
    template = freight["templates"]["jg"]
    client = login(staff["operator"])
    rules_before = list(FreightRegionRule.objects.values_list("pk", "provinces"))
    data = form_data(
        partner=str(template.partner_id),
        name="改名",
        **{
            "region-1-provinces": ["西藏自治区"],
            "region-1-first_unit": "1",
            "region-1-first_price": "25.00",
            "region-1-additional_unit": "1",
            "region-1-additional_price": "12.00",
        },
    )
    response = client.post(reverse("logistics-dashboard:template-edit", args=[template.pk]), data)
    assert response.status_code == 400
    assert "一个省份只能属于一条地区运费" in response.content.decode()
    template.refresh_from_db()
    assert template.name == "标准快递"
    assert list(FreightRegionRule.objects.values_list("pk", "provinces")) == rules_before

    response = client.post(
        reverse("logistics-dashboard:template-edit", args=[template.pk]),
        form_data(partner=str(template.partner_id), first_unit="0", first_price="-1"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "计费单位必须大于零。" in page and "价格不能为负数。" in page


def test_live_preview_quotes_the_unsaved_values_and_names_the_rule(freight, staff):
    client = login(staff["jg"])
    url = reverse("logistics-dashboard:template-preview")
    base = form_data(partner=str(freight["suppliers"]["jg"].pk))
    items = {"preview-0-quantity": "3", "preview-0-measure": "0.7", "preview-0-price": "10"}
    answer = client.post(url, {**base, **items, "preview-province": "新疆维吾尔自治区"}).json()
    # 2.1 kg: first 1 kg ¥20 + ceil(1.1) = 2 × ¥10
    assert answer["ok"] and answer["amount"] == "40.00" and answer["rule"] == "region:0"
    assert "新疆" in answer["explanation"]
    answer = client.post(url, {**base, **items, "preview-province": "江苏省"}).json()
    assert answer["amount"] == "12.00" and answer["rule"] == "default"
    big = {"preview-0-quantity": "60", "preview-0-measure": "1", "preview-0-price": "10"}
    answer = client.post(url, {**base, **big, "preview-province": "广东省"}).json()
    assert answer["amount"] == "0.00" and answer["rule"] == "free:0"
    answer = client.post(url, {**base, **items, "preview-province": "广东省", "first_unit": "0"})
    assert answer.status_code == 400 and "计费单位必须大于零。" in answer.json()["errors"]
    assert FreightTemplate.objects.filter(name="大件物流").count() == 0  # a preview never saves


def test_carriers_list(freight, staff):
    page = login(staff["jg"]).get(reverse("logistics-dashboard:carrier-list")).content.decode()
    assert "顺丰速运" in page and "中通快递" in page and "SF\\d{12,13}" in page


def test_shipment_detail_timeline_and_manual_event_scoped_to_the_supplier(freight, staff, buyer):
    order = factories.place_order(buyer, [(freight["bolt"], 2), (freight["wire"], 1)])
    shipment = record_shipment(
        order=order,
        partner=freight["suppliers"]["jg"],
        reference=f"{order.number}-S1",
        carrier_code="zto",
        tracking_numbers=["78123456789012"],
    )
    url = reverse("logistics-dashboard:shipment-detail", args=[shipment.pk])
    assert login(staff["df"]).get(url).status_code == 404
    assert order.number not in login(staff["df"]).get(reverse("logistics-dashboard:shipment-list")).content.decode()
    client = login(staff["jg"])
    assert order.number in client.get(reverse("logistics-dashboard:shipment-list")).content.decode()
    parcel = shipment.parcels.get()
    bad = client.post(url, {"parcel": parcel.pk, "occurred_at": "2026-11-20T10:00", "description": "", "status": "x"})
    assert bad.status_code == 400 and TrackingEvent.objects.count() == 0
    response = client.post(
        url,
        {
            "parcel": parcel.pk,
            "occurred_at": "2026-11-20T10:00",
            "location": "苏州",
            "description": "已发往深圳转运中心",
            "status": "in_transit",
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "已发往深圳转运中心" in page and "运输中" in page
    # the distributor sees the same timeline on its order page
    buyer_client = login(buyer)
    page = buyer_client.get(reverse("customer:order", kwargs={"order_number": order.number})).content.decode()
    assert "已发往深圳转运中心" in page and "78123456789012" in page


def test_a_product_names_another_template_from_the_editor(freight, staff):
    jg_t = freight["templates"]["jg"]
    client = login(staff["jg"])
    url = reverse("logistics-dashboard:template-products", args=[jg_t.pk])
    client.post(url, {"sku": "DF-BV-2.5"})  # another supplier's product: refused
    client.post(url, {"sku": "jg-hn-m8"})
    page = client.get(reverse("logistics-dashboard:template-edit", args=[jg_t.pk])).content.decode()
    assert "JG-HN-M8" in page and "DF-BV-2.5" not in page.split('id="template-products"')[1]
    from plugins.logistics.models import ProductFreightTemplate

    assert list(ProductFreightTemplate.objects.values_list("product__upc", "template_id")) == [("JG-HN-M8", jg_t.pk)]
    client.post(url, {"sku": "JG-HN-M8", "action": "remove"})
    assert not ProductFreightTemplate.objects.exists()
