"""省 / 市 / 区县 checked on every address form against the division data: the address book, the
checkout's delivery address, a company's shared addresses (page and GraphQL) and its registered
city. A city of another province, a district of another city or a bad postcode is refused with a
message naming the field, and nothing changes."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from companies.models import Company, CompanyAddress
from tests import factories
from tests.storefront.test_checkout import add

pytestmark = pytest.mark.django_db
UserAddress = get_model("address", "UserAddress")

NANSHAN = {
    "last_name": "王小明",
    "phone_number": "13808012346",
    "state": "广东省",
    "line4": "深圳市",
    "line3": "南山区",
    "line1": "科技园路2号",
    "postcode": "518057",
}
BAD = [
    ({"line3": "天河区"}, "line3", "天河区不是深圳市的区/县，请从列表中选择。"),
    ({"line4": "成都市", "line3": "武侯区"}, "line4", "成都市不是广东省的城市，请从列表中选择。"),
    ({"line3": ""}, "line3", "请选择区/县。"),
    ({"postcode": "51805"}, "postcode", "邮政编码为 6 位数字。"),
    ({"postcode": "51805A"}, "postcode", "邮政编码为 6 位数字。"),
]


def errors_of(response, field) -> list[str]:
    return list(response.context["form"].errors.get(field, []))


def test_the_address_book_saves_a_cascading_address_and_marks_the_fields_for_the_picker(buyer_client, buyer):
    page = buyer_client.get(reverse("customer:address-create")).content.decode()
    assert 'data-region="province"' in page and 'data-region="city"' in page and 'data-region="district"' in page
    assert "core/regions/divisions.json" in page and "core/regions/picker.js" in page

    country = buyer.addresses.first().country_id
    response = buyer_client.post(reverse("customer:address-create"), {**NANSHAN, "country": country})
    assert response.status_code == 302
    saved = buyer.addresses.get(line1="科技园路2号")
    assert (saved.state, saved.line4, saved.line3, saved.postcode) == ("广东省", "深圳市", "南山区", "518057")


@pytest.mark.parametrize(("changes", "field", "message"), BAD)
def test_the_address_book_refuses_a_place_that_does_not_exist_and_saves_nothing(
    buyer_client, buyer, changes, field, message
):
    before = list(UserAddress.objects.values_list("pk", "line1", "line3", "line4", "postcode"))
    country = buyer.addresses.first().country_id
    response = buyer_client.post(reverse("customer:address-create"), {**NANSHAN, **changes, "country": country})
    assert response.status_code == 200
    assert errors_of(response, field) == [message]
    assert list(UserAddress.objects.values_list("pk", "line1", "line3", "line4", "postcode")) == before


def test_editing_an_address_to_a_district_of_another_city_changes_nothing(buyer_client, buyer):
    address = buyer.addresses.first()  # 广东省 深圳市 南山区 (factories.person)
    country = address.country_id
    url = reverse("customer:address-detail", kwargs={"pk": address.pk})
    response = buyer_client.post(url, {**NANSHAN, "line3": "海淀区", "country": country})
    assert errors_of(response, "line3") == ["海淀区不是深圳市的区/县，请从列表中选择。"]
    address.refresh_from_db()
    assert (address.line3, address.line1) == ("南山区", "科技园路1号")


def test_checkout_ships_to_a_cascading_address_and_refuses_a_wrong_district(buyer_client, buyer, catalogue):
    add(buyer_client, catalogue["bolt"], 10)
    buyer_client.get(reverse("checkout:index"), follow=True)
    response = buyer_client.post(reverse("checkout:shipping-address"), {**NANSHAN, "line3": "天河区"})
    assert response.status_code == 200
    assert errors_of(response, "line3") == ["天河区不是深圳市的区/县，请从列表中选择。"]
    assert not buyer_client.session.get("checkout_data", {}).get("shipping", {}).get("new_address_fields")  # kept none

    response = buyer_client.post(reverse("checkout:shipping-address"), NANSHAN)
    assert response.status_code == 302
    fields = buyer_client.session["checkout_data"]["shipping"]["new_address_fields"]
    assert (fields["state"], fields["line4"], fields["line3"]) == ("广东省", "深圳市", "南山区")


SHARED = {
    "label": "深圳仓",
    "consignee": "王五",
    "mobile": "13926512360",
    "province": "广东省",
    "city": "深圳市",
    "district": "南山区",
    "line": "科技园路2号",
    "postcode": "518057",
}


def shared_rows():
    return sorted(CompanyAddress.objects.values_list("pk", "province", "city", "district", "line", "postcode"))


@pytest.fixture
def admin():
    admin = factories.person("admin")
    factories.company(admin)
    return admin


def test_a_company_address_cascades_and_a_district_of_another_city_is_refused(admin):
    client = Client()
    client.force_login(admin)
    page = client.get(reverse("companies:addresses")).content.decode()
    assert 'data-region="city"' in page and 'data-region="district"' in page
    assert client.post(reverse("companies:addresses"), SHARED).status_code == 302
    before = shared_rows()
    response = client.post(reverse("companies:addresses"), {**SHARED, "district": "天河区"})
    assert response.status_code == 400
    assert "天河区不是深圳市的区/县，请从列表中选择。" in response.content.decode()
    response = client.post(reverse("companies:addresses"), {**SHARED, "city": "成都市", "district": "武侯区"})
    assert "成都市不是广东省的城市，请从列表中选择。" in response.content.decode()
    assert shared_rows() == before


def gql(user, query, variables):
    client = Client()
    client.force_login(user)
    body = client.post(
        "/graphql/", json.dumps({"query": query, "variables": variables}), content_type="application/json"
    ).json()
    assert "errors" not in body, body
    return body["data"]


CREATE = """mutation($p: String!, $c: String!, $d: String, $z: String) {
  createCompanyAddress(label: "深圳仓", consignee: "王五", mobile: "13926512360", province: $p, city: $c,
                       district: $d, line: "科技园路2号", postcode: $z) {
    address { province city district divisionCode } errors { field code message } } }"""


def test_graphql_saves_a_cascading_company_address_and_refuses_wrong_places_with_nothing_saved(admin):
    good = {"p": "广东省", "c": "深圳市", "d": "南山区", "z": "518057"}
    data = gql(admin, CREATE, good)["createCompanyAddress"]
    assert data == {
        "address": {"province": "广东省", "city": "深圳市", "district": "南山区", "divisionCode": "440305"},
        "errors": [],
    }
    before = shared_rows()
    for changes, field, message in [
        ({"d": "天河区"}, "district", "天河区不是深圳市的区/县，请从列表中选择。"),
        ({"c": "成都市", "d": "武侯区"}, "city", "成都市不是广东省的城市，请从列表中选择。"),
        ({"d": None}, "district", "请选择区/县。"),
        ({"z": "5180"}, "postcode", "邮政编码为 6 位数字。"),
    ]:
        data = gql(admin, CREATE, {**good, **changes})["createCompanyAddress"]
        assert data["address"] is None
        assert [(e["field"], e["message"]) for e in data["errors"]] == [(field, message)]
    assert shared_rows() == before


def test_a_company_registers_with_a_city_of_its_province_only():
    from django.core.exceptions import ValidationError

    from companies.services import registration

    user = factories.person("founder")
    with pytest.raises(ValidationError) as exc:
        registration.clean_details(factories.company_details(province="广东省", city="成都市"))
    assert exc.value.message_dict == {"city": ["成都市不是广东省的城市，请从列表中选择。"]}
    assert not Company.objects.filter(applied_by=user).exists()
    data, _warnings = registration.clean_details(factories.company_details(province="四川省", city="成都市"))
    assert (data["province"], data["city"]) == ("四川省", "成都市")


def test_an_operator_correcting_an_orders_delivery_address_gets_the_same_check(buyer, catalogue):
    order = factories.place_order(buyer, [(catalogue["bolt"], 10)])
    address = order.shipping_address
    before = (address.state, address.line4, address.line3, address.line1)
    client = Client()
    client.force_login(factories.operator())
    url = reverse("dashboard:order-shipping-address", kwargs={"number": order.number})
    page = client.get(url).content.decode()
    assert 'data-region="district"' in page
    response = client.post(url, {**NANSHAN, "line3": "天河区", "country": "CN"})
    assert response.status_code == 200
    assert errors_of(response, "line3") == ["天河区不是深圳市的区/县，请从列表中选择。"]
    address.refresh_from_db()
    assert (address.state, address.line4, address.line3, address.line1) == before

    assert client.post(url, {**NANSHAN, "country": "CN"}).status_code == 302
    address.refresh_from_db()
    assert (address.state, address.line4, address.line3, address.line1) == ("广东省", "深圳市", "南山区", "科技园路2号")
