"""The shared address book (共享收货地址): kept by the company's admins in 企业中心 (checked fields,
Chinese messages, nothing saved on an error), offered at checkout to the members who order, and
shipped to as an ordinary Oscar shipping address (province for freight, the supplier split)."""

import pytest
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from companies.models import CompanyAddress, Role
from companies.services import addresses, people
from tests import factories
from tests.storefront.test_checkout import add

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")

GOOD = {
    "label": "成都仓库",
    "consignee": "王五",
    "mobile": "139-2651-2360",
    "province": "四川省",
    "city": "成都市",
    "district": "武侯区",
    "line": "武兴四路166号",
    "postcode": "610045",
}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rows():
    return sorted(CompanyAddress.objects.values_list("pk", "company_id", "label", "line", "mobile", "is_default"))


@pytest.fixture
def admin():
    return factories.person("admin")


@pytest.fixture
def company(admin):
    return factories.company(admin)


def test_the_admin_adds_edits_and_deletes_shared_addresses(company, admin):
    client = client_for(admin)
    assert client.get(reverse("companies:addresses")).status_code == 200
    response = client.post(reverse("companies:addresses"), {**GOOD, "is_default": "on"})
    assert response.status_code == 302
    address = CompanyAddress.objects.get()
    assert (address.company, address.mobile, address.is_default, address.created_by) == (
        company,
        "13926512360",
        True,
        admin,
    )
    page = client.get(reverse("companies:mine")).content.decode()
    assert "成都仓库" in page and "武兴四路166号" in page
    response = client.post(reverse("companies:address-edit", args=[address.pk]), {**GOOD, "line": "天府大道1号"})
    assert response.status_code == 302
    address.refresh_from_db()
    assert address.line == "天府大道1号" and not address.is_default
    assert client.post(reverse("companies:address-delete", args=[address.pk])).status_code == 302
    assert not CompanyAddress.objects.exists()


def test_one_default_address_per_company(company, admin):
    first = addresses.create(company=company, details={**GOOD, "is_default": True}, by=admin)
    second = addresses.create(company=company, details={**GOOD, "label": "二号仓", "is_default": True}, by=admin)
    first.refresh_from_db()
    assert (first.is_default, second.is_default) == (False, True)
    addresses.update(address=first, details={**GOOD, "is_default": True}, by=admin)
    second.refresh_from_db()
    assert second.is_default is False
    assert list(CompanyAddress.objects.filter(is_default=True)) == [first]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"mobile": "12345"}, "mobile", "11 位"),
        ({"postcode": "61004"}, "postcode", "6 位数字"),
        ({"postcode": "6100451"}, "postcode", "6 位数字"),
        ({"province": "火星"}, "province", "省份"),
        ({"label": ""}, "label", "请填写"),
        ({"consignee": " "}, "consignee", "请填写"),
        ({"line": ""}, "line", "请填写"),
        ({"city": ""}, "city", "请填写"),
    ],
)
def test_address_errors_name_the_field_in_chinese_and_save_nothing(company, admin, changes, field, message):
    client = client_for(admin)
    existing = addresses.create(company=company, details=GOOD, by=admin)
    before = rows()
    response = client.post(reverse("companies:addresses"), {**GOOD, **changes})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    response = client.post(reverse("companies:address-edit", args=[existing.pk]), {**GOOD, **changes})
    assert response.status_code == 400
    assert rows() == before


def test_buyers_and_other_companies_cannot_manage_the_book(company, admin):
    address = addresses.create(company=company, details=GOOD, by=admin)
    buyer = factories.person("buyer2")
    people.add_member(company=company, user=buyer, role=Role.BUYER, by=admin)
    other_admin = factories.person("other")
    factories.company(other_admin, "其他实业有限公司", 9)
    outsider = factories.person("outsider")
    before = rows()
    for user, status in ((buyer, 403), (outsider, 403), (other_admin, 404)):
        client = client_for(user)
        if status == 403:
            assert client.get(reverse("companies:addresses")).status_code == 403
            assert client.post(reverse("companies:addresses"), GOOD).status_code == 403
        else:
            assert "武兴四路166号" not in client.get(reverse("companies:addresses")).content.decode()
        assert client.get(reverse("companies:address-edit", args=[address.pk])).status_code == status
        response = client.post(reverse("companies:address-edit", args=[address.pk]), {**GOOD, "line": "改写"})
        assert response.status_code == status
        assert client.post(reverse("companies:address-delete", args=[address.pk])).status_code == status
    assert rows() == before


def test_a_buyer_of_the_company_ships_to_a_shared_address_at_checkout(company, admin, catalogue):
    address = addresses.create(company=company, details=GOOD, by=admin)
    buyer = factories.person("buyer2")  # with an address of their own in 广东省
    people.add_member(company=company, user=buyer, role=Role.BUYER, by=admin)
    client = client_for(buyer)
    add(client, catalogue["bolt"], 2)
    client.get(reverse("checkout:index"), follow=True)
    page = client.get(reverse("checkout:shipping-address")).content.decode()
    assert "成都仓库" in page and "科技园路1号" in page  # the company's beside their own
    response = client.post(reverse("checkout:shipping-address"), {"company_address_id": address.pk})
    assert response.status_code == 302 and response["Location"] == reverse("checkout:shipping-method")
    response = client.get(reverse("checkout:shipping-method"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("checkout:payment-details")
    assert client.post(reverse("checkout:preview"), {"method": "bank-transfer"}).status_code == 200
    placed = client.post(reverse("checkout:preview"), {"action": "place_order"}, follow=True)
    assert placed.redirect_chain[-1][0] == reverse("checkout:thank-you")
    shipped = Order.objects.get(user=buyer).shipping_address
    assert (shipped.last_name, shipped.state, shipped.line4, shipped.line3, shipped.line1, shipped.postcode) == (
        "王五",
        "四川省",
        "成都市",
        "武侯区",
        "武兴四路166号",
        "610045",
    )
    assert shipped.line2 == company.legal_name and str(shipped.phone_number) == "+8613926512360"
    assert shipped.country_id == "CN"
    # the order is a snapshot: changing the book rewrites no order
    addresses.update(address=address, details={**GOOD, "line": "新地址9号"}, by=admin)
    assert Order.objects.get(user=buyer).shipping_address.line1 == "武兴四路166号"


def test_only_members_who_order_see_shared_addresses_at_checkout(company, admin, catalogue):
    address = addresses.create(company=company, details=GOOD, by=admin)
    reader = factories.person("reader")
    people.add_member(company=company, user=reader, role=Role.READ_ONLY, by=admin)
    other_admin = factories.person("other")
    factories.company(other_admin, "其他实业有限公司", 9)
    # people who may not order are stopped before the step (302); another company's admin, who
    # may order, asks for an address that is not theirs (404)
    for user, refused in ((reader, 302), (other_admin, 404), (factories.person("outsider"), 302)):
        client = client_for(user)
        add(client, catalogue["bolt"], 1)
        client.get(reverse("checkout:index"), follow=True)
        assert "成都仓库" not in client.get(reverse("checkout:shipping-address")).content.decode()
        response = client.post(reverse("checkout:shipping-address"), {"company_address_id": address.pk})
        assert response.status_code == refused
        response = client.post(reverse("checkout:shipping-address"), {"company_address_id": "x"})
        assert response.status_code == refused
    # an admin orders too
    client = client_for(admin)
    add(client, catalogue["bolt"], 1)
    client.get(reverse("checkout:index"), follow=True)
    assert "成都仓库" in client.get(reverse("checkout:shipping-address")).content.decode()
