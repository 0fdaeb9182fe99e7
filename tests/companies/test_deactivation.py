"""A deactivated person's work is not lost: their open basket's lines move into the basket of the
admin who deactivated them (every line and quantity, merged as Oscar merges), recorded and told on
the page; and the deactivated person behaves like a user without a company everywhere."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_class, get_model

from companies import selectors
from companies.models import CompanyMember, Role
from companies.services import addresses, people
from core.models import TransitionLog
from tests import factories

pytestmark = pytest.mark.django_db
Basket = get_model("basket", "Basket")
Selector = get_class("partner.strategy", "Selector")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def basket_of(user, *items):
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy(user=user)
    for product, quantity in items:
        basket.add_product(product, quantity)
    return basket


def contents(user) -> dict:
    basket = Basket.open.get(owner=user)
    return {line.product.upc: line.quantity for line in basket.lines.select_related("product")}


@pytest.fixture
def team(catalogue):
    admin = factories.person("admin")
    company = factories.company(admin)
    buyer = factories.person("zhang")
    member = people.add_member(company=company, user=buyer, role=Role.BUYER, by=admin)
    return {"admin": admin, "company": company, "buyer": buyer, "member": member, **catalogue}


def test_the_basket_moves_to_the_deactivating_admin_with_every_line_and_quantity(team):
    bolt, wire, nut = team["bolt"], team["wire"], team["nut"]
    basket_of(team["buyer"], (bolt, 3), (wire, 5), (nut, 7))
    basket_of(team["admin"], (bolt, 2))
    client = client_for(team["admin"])
    response = client.post(reverse("companies:member-action", args=[team["member"].pk, "deactivate"]), follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "购物车中的 3 行商品（共 15 件）已移至您的购物车" in text, text[:3000]
    assert contents(team["admin"]) == {bolt.upc: 5, wire.upc: 5, nut.upc: 7}
    emptied = Basket.objects.get(owner=team["buyer"])
    assert emptied.status == Basket.MERGED and not emptied.lines.exists()
    log = TransitionLog.objects.get(machine="basket_handover")
    assert (log.object_id, log.actor, log.from_state, log.to_state) == (
        str(emptied.pk),
        team["admin"],
        "open",
        "merged",
    )
    assert "3 行" in log.reason and "admin@example.cn" in log.reason and "已被停用" in log.reason
    assert not CompanyMember.objects.get(pk=team["member"].pk).is_active


def test_the_admin_without_a_basket_gets_one(team):
    basket_of(team["buyer"], (team["bolt"], 4))
    member = people.deactivate(member=team["member"], by=team["admin"])
    assert contents(team["admin"]) == {team["bolt"].upc: 4}
    assert member.handed_over and "共 4 件" in member.handed_over[0]


def test_an_empty_basket_hands_over_nothing_and_says_nothing(team):
    Basket.objects.create(owner=team["buyer"])
    member = people.deactivate(member=team["member"], by=team["admin"])
    assert member.handed_over == []
    assert not Basket.objects.filter(owner=team["admin"]).exists()
    assert not TransitionLog.objects.filter(machine="basket_handover").exists()


def test_deactivated_by_an_operator_the_basket_goes_to_the_companys_first_admin(team):
    basket_of(team["buyer"], (team["wire"], 2))
    operator = factories.operator()
    member = people.deactivate(member=team["member"], by=operator)
    assert contents(team["admin"]) == {team["wire"].upc: 2}
    assert not Basket.objects.filter(owner=operator).exists()
    assert "admin@example.cn" in member.handed_over[0]


def test_a_hand_over_that_fails_leaves_the_person_active_and_the_basket_untouched(team, monkeypatch):
    from storefront.services import basket as basket_services

    basket_of(team["buyer"], (team["bolt"], 3))

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(basket_services, "hand_over", broken)
    with pytest.raises(RuntimeError):
        people.deactivate(member=team["member"], by=team["admin"])
    assert CompanyMember.objects.get(pk=team["member"].pk).is_active
    assert contents(team["buyer"]) == {team["bolt"].upc: 3}
    assert not TransitionLog.objects.filter(machine="company_member", to_state="inactive").exists()


def test_a_deactivated_person_behaves_like_a_user_without_a_company(team, settings):
    buyer, company = team["buyer"], team["company"]
    addresses.create(
        company=company,
        details={
            "label": "总部仓库",
            "consignee": "李四",
            "mobile": "13800138001",
            "province": "广东省",
            "city": "深圳市",
            "district": "南山区",
            "line": "机密路1号",
        },
        by=team["admin"],
    )
    assert selectors.may_order_on_account(buyer) and selectors.shipping_addresses(buyer).exists()
    people.deactivate(member=team["member"], by=team["admin"])
    buyer = type(buyer).objects.get(pk=buyer.pk)  # a new request
    assert selectors.membership_of(buyer) is None and selectors.company_of(buyer) is None
    assert selectors.role_of(buyer) is None
    for action in selectors.ROLE_ACTIONS:
        assert not selectors.can(buyer, action, company), action
    assert not selectors.may_order_on_account(buyer)
    settings.COMPANY_VERIFICATION_REQUIRED_TO_ORDER = True
    assert not selectors.may_order(buyer)
    assert not selectors.company_addresses(buyer).exists() and not selectors.shipping_addresses(buyer).exists()
    assert not selectors.own_members(buyer).exists() and not selectors.own_invitations(buyer).exists()
    client = client_for(buyer)
    page = client.get(reverse("companies:mine")).content.decode()
    assert "已被企业管理员停用" in page and company.legal_name not in page and "机密路1号" not in page
    assert client.get(reverse("companies:addresses")).status_code == 403
    assert client.post(reverse("companies:invite"), {"email": "x@example.cn", "role": "admin"}).status_code == 403
    body = json.loads(
        client.post(
            "/graphql/",
            json.dumps({"query": "{ myCompany { legalName } companyAddresses { line } }"}),
            content_type="application/json",
        ).content
    )
    assert body["data"] == {"myCompany": None, "companyAddresses": []}
    body = json.loads(
        client.post(
            "/graphql/",
            json.dumps({"query": "{ companyInvitations { totalCount } }"}),
            content_type="application/json",
        ).content
    )
    assert body["errors"][0]["extensions"]["code"] == "forbidden"
    # checkout offers no shared address and refuses one by id
    settings.COMPANY_VERIFICATION_REQUIRED_TO_ORDER = False
    client.post(reverse("basket:add", kwargs={"pk": team["bolt"].pk}), {"quantity": 1})
    page = client.get(reverse("checkout:shipping-address")).content.decode()
    assert "机密路1号" not in page
    address = company.addresses.get()
    # a person who orders for no company is sent to register one before any checkout step
    response = client.post(reverse("checkout:shipping-address"), {"company_address_id": address.pk})
    assert response.status_code == 302 and response["Location"] == reverse("companies:register")


def test_reactivated_the_person_is_back_with_an_empty_basket_of_their_own(team):
    basket_of(team["buyer"], (team["bolt"], 3))
    people.deactivate(member=team["member"], by=team["admin"])
    people.reactivate(member=team["member"], by=team["admin"])
    assert selectors.company_of(type(team["buyer"]).objects.get(pk=team["buyer"].pk)) == team["company"]
    assert contents(team["admin"]) == {team["bolt"].upc: 3}  # the hand-over stays
    assert not Basket.open.filter(owner=team["buyer"], lines__isnull=False).exists()


def test_graphql_deactivation_says_what_was_handed_over(team):
    basket_of(team["buyer"], (team["bolt"], 3), (team["nut"], 1))
    query = (
        "mutation($m: ID!) { companyMemberDeactivate(memberId: $m) { member { isActive handedOver } errors { code } } }"
    )
    body = json.loads(
        client_for(team["admin"])
        .post(
            "/graphql/",
            json.dumps({"query": query, "variables": {"m": str(team["member"].pk)}}),
            content_type="application/json",
        )
        .content
    )
    member = body["data"]["companyMemberDeactivate"]["member"]
    assert member["isActive"] is False
    assert member["handedOver"] == ["张三 购物车中的 2 行商品（共 4 件）已移至您的购物车。"]
    assert contents(team["admin"]) == {team["bolt"].upc: 3, team["nut"].upc: 1}
