"""The address book uses the same Chinese address form as checkout."""

from django.urls import reverse
from oscar.core.loading import get_model

UserAddress = get_model("address", "UserAddress")

GOOD = {
    "last_name": "王小明",
    "line2": "成都川西工业品贸易有限公司",
    "phone_number": "13808012346",
    "state": "四川省",
    "line4": "成都市",
    "line3": "武侯区",
    "line1": "武兴四路166号",
    "postcode": "610045",
}


def test_distributor_adds_an_address_with_a_listed_province(buyer_client, buyer):
    page = buyer_client.get(reverse("customer:address-create")).content.decode()
    assert "收货人" in page and '<option value="新疆维吾尔自治区">' in page
    assert 'name="first_name"' not in page

    country = buyer.addresses.first().country_id
    response = buyer_client.post(reverse("customer:address-create"), {**GOOD, "country": country})
    assert response.status_code == 302
    address = buyer.addresses.get(line1="武兴四路166号")
    assert (address.state, address.line4, address.last_name) == ("四川省", "成都市", "王小明")
    assert address.summary.startswith("四川省, 成都市, 武侯区, 武兴四路166号")


def test_an_unlisted_province_is_refused_and_nothing_is_saved(buyer_client, buyer):
    before = UserAddress.objects.count()
    country = buyer.addresses.first().country_id
    response = buyer_client.post(reverse("customer:address-create"), {**GOOD, "state": "Sichuan", "country": country})
    assert response.status_code == 200
    assert "请选择列出的省份之一。" in response.content.decode()
    assert UserAddress.objects.count() == before
