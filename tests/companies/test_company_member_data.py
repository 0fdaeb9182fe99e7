"""Member data belongs to the company (issue 9, item 3): orders record the company and the
person who placed them, who sees which order follows the role, tier prices, credit and points
are shared by the company's people, and only a company that may order can check out."""

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from companies.models import CompanyStatus
from companies.selectors import forget
from plugins.member_tiers.models import Membership, PriceRule, Tier
from plugins.member_tiers.services import credit, members, points
from tests import factories
from tests.storefront.test_checkout import add, checkout_to_preview

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def firm(catalogue):
    """One company with an admin, two buyers, an approver, finance and a read-only person; and
    another company next door."""
    admin = factories.distributor("admin")
    company = factories.company_of(admin)
    people = {"admin": admin}
    for key, role in (
        ("buyer1", "buyer"),
        ("buyer2", "buyer"),
        ("approver", "approver"),
        ("finance", "finance"),
        ("viewer", "readonly"),
    ):
        people[key] = factories.person(key)
        factories.join(people[key], company, role)
    people["other"] = factories.distributor("other")
    orders = {
        "buyer1": factories.place_order(people["buyer1"], [(catalogue["bolt"], 1)]),
        "buyer2": factories.place_order(people["buyer2"], [(catalogue["nut"], 2)]),
        "other": factories.place_order(people["other"], [(catalogue["wire"], 1)]),
    }
    return {"company": company, "people": people, "orders": orders}


def listed(user):
    body = client_of(user).get(reverse("customer:order-list")).content.decode()
    return body


def test_orders_record_the_company_and_the_person_who_placed_them(firm):
    order = firm["orders"]["buyer1"]
    assert order.company == firm["company"] and order.user == firm["people"]["buyer1"]
    assert firm["orders"]["other"].company != firm["company"]


@pytest.mark.parametrize("who", ["admin", "approver", "finance", "viewer"])
def test_admins_approvers_finance_and_read_only_see_every_order_of_the_company(firm, who):
    person = firm["people"][who]
    body = listed(person)
    assert firm["orders"]["buyer1"].number in body and firm["orders"]["buyer2"].number in body
    assert firm["orders"]["other"].number not in body
    assert "下单人" in body  # who placed each
    detail = client_of(person).get(reverse("customer:order", args=[firm["orders"]["buyer2"].number]))
    assert detail.status_code == 200
    assert "由 张三 为 admin测试贸易有限公司 下单" in detail.content.decode()


def test_a_buyer_sees_only_their_own_orders(firm):
    buyer = firm["people"]["buyer1"]
    body = listed(buyer)
    assert firm["orders"]["buyer1"].number in body and firm["orders"]["buyer2"].number not in body
    client = client_of(buyer)
    assert client.get(reverse("customer:order", args=[firm["orders"]["buyer2"].number])).status_code == 404
    assert client.get(reverse("customer:order", args=[firm["orders"]["other"].number])).status_code == 404
    query = "{ myOrders { totalCount items { number } } }"
    data = json.loads(client.post("/graphql/", {"query": query}, content_type="application/json").content)["data"]
    assert data["myOrders"] == {"totalCount": 1, "items": [{"number": firm["orders"]["buyer1"].number}]}


def test_another_companys_admin_and_a_deactivated_person_see_none_of_them(firm):
    other = firm["people"]["other"]
    for number in (firm["orders"]["buyer1"].number, firm["orders"]["buyer2"].number):
        assert client_of(other).get(reverse("customer:order", args=[number])).status_code == 404
        query = "query($n: String!) { order(number: $n) { number } }"
        payload = json.dumps({"query": query, "variables": {"n": number}})
        response = client_of(other).post("/graphql/", payload, content_type="application/json")
        assert json.loads(response.content)["data"]["order"] is None
    # a person who left the company takes none of its orders with them, not even their own
    member = firm["company"].members.get(user=firm["people"]["buyer1"])
    member.is_active = False
    member.save()
    forget(firm["people"]["buyer1"])
    assert firm["orders"]["buyer1"].number not in listed(firm["people"]["buyer1"])
    # and the company keeps it
    assert firm["orders"]["buyer1"].number in listed(firm["people"]["admin"])


def test_the_companys_people_share_its_tier_prices_credit_and_points(firm, catalogue):
    tiers = {
        "regular": Tier.objects.create(code="regular", name="普通会员", rank=1),
        "gold": Tier.objects.create(
            code="gold", name="金牌", rank=3, default_discount_percent=Decimal("5"), points_per_yuan=Decimal("1.5")
        ),
    }
    company = firm["company"]
    admin, buyer = firm["people"]["admin"], firm["people"]["buyer1"]
    membership = members.membership_for(admin)
    assert members.membership_for(buyer) == membership == Membership.objects.get(company=company)
    members.change_tier(membership, tiers["gold"], reason="年度评审")
    PriceRule.objects.create(company=company, product=catalogue["wire"], kind="fixed", value=Decimal("198.00"))
    from oscar.core.loading import get_class

    Selector = get_class("partner.strategy", "Selector")
    for person in (admin, buyer):
        strategy = Selector().strategy(user=person)
        assert strategy.fetch_for_product(catalogue["bolt"]).price.incl_tax == Decimal("30.40")  # gold 5 %
        assert strategy.fetch_for_product(catalogue["wire"]).price.incl_tax == Decimal("198.00")  # the company's
    # the other company pays list prices
    other = Selector().strategy(user=firm["people"]["other"])
    assert other.fetch_for_product(catalogue["wire"]).price.incl_tax == Decimal("218.00")
    # one credit line: what one person spends, the other cannot
    credit.set_credit_line(membership, limit=Decimal("1000.00"), payment_terms_days=30, reason="开通授信")
    credit.reserve(buyer, Decimal("600.00"), "C-1")
    with pytest.raises(credit.CreditRefused, match="¥400.00"):
        credit.reserve(admin, Decimal("400.01"), "C-2")
    credit.reserve(admin, Decimal("400.00"), "C-3")
    assert credit.account_of(firm["people"]["finance"]).balance == Decimal("1000.00")
    # points earned on a colleague's paid order are the company's
    points.earn_for_order(firm["orders"]["buyer2"])
    earned = int(firm["orders"]["buyer2"].total_incl_tax * Decimal("1.5"))  # gold: 1.5 points a yuan
    assert earned > 0 and Membership.objects.get(company=company).points_balance == earned


def test_people_who_may_not_order_are_stopped_at_checkout_with_the_reason(firm, catalogue, settings):
    cases = {
        "viewer": "您在 admin测试贸易有限公司 的角色是“只读”，不能下单；请联系贵公司管理员。",
        "finance": "您在 admin测试贸易有限公司 的角色是“财务”，不能下单；请联系贵公司管理员。",
    }
    for key, message in cases.items():
        client = client_of(firm["people"][key])
        add(client, catalogue["bolt"], 1)
        response = client.get(reverse("checkout:index"), follow=True)
        assert response.redirect_chain[-1][0] == reverse("basket:summary")
        assert message in response.content.decode()
    # a person without a company is sent to register one
    lone = factories.person("lone")
    client = client_of(lone)
    add(client, catalogue["bolt"], 1)
    response = client.get(reverse("checkout:index"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("companies:register")
    assert "下单前请先注册企业" in response.content.decode()
    # a suspended company orders nothing, whatever the role
    company = firm["company"]
    company.status, company.status_reason = CompanyStatus.SUSPENDED, "逾期未付"
    company.save()
    client = client_of(firm["people"]["admin"])
    add(client, catalogue["bolt"], 1)
    response = client.get(reverse("checkout:index"), follow=True)
    assert "admin测试贸易有限公司 已被暂停，恢复前不能下单。" in response.content.decode()
    assert Order.objects.filter(company=company).count() == 2  # the fixture's, nothing new


def test_an_application_orders_by_transfer_but_not_on_account_until_verified(catalogue, settings):
    admin = factories.person("applicant")
    company = factories.company(admin, verified=False)
    factories.credit_line(admin)
    client = client_of(admin)
    add(client, catalogue["nut"], 1)
    checkout_to_preview(client, method="on-account")
    response = client.post(reverse("checkout:preview"), {"action": "place_order"}, follow=True)
    assert "深圳市测试贸易有限公司 认证通过后方可账期支付" in response.content.decode()
    assert not Order.objects.filter(company=company).exists()
    assert credit.account_of(admin).balance == Decimal("0.00")
    checkout_to_preview(client, method="bank-transfer")
    client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert Order.objects.get(company=company).user == admin
    # when the setting asks for verification first, the application cannot order at all
    settings.COMPANY_VERIFICATION_REQUIRED_TO_ORDER = True
    add(client, catalogue["nut"], 1)
    response = client.get(reverse("checkout:index"), follow=True)
    assert "深圳市测试贸易有限公司 正在等待认证，认证通过后即可下单。" in response.content.decode()


def test_registering_a_company_brings_the_persons_earlier_orders(catalogue):
    person = factories.person("early")
    order = factories.history_order(person, "EARLY-1", "100.00", timezone.now())
    assert order.company is None
    company = factories.company(person)
    order.refresh_from_db()
    assert order.company == company
