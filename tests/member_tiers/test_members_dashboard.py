"""Back office: member list with filters, salesperson scoping and reassignment, member actions; storefront page."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from plugins.member_tiers.models import CreditAccount, Membership, SalespersonChange, Tag
from plugins.member_tiers.services import credit, members, tags
from tests import factories

User = get_user_model()
pytestmark = pytest.mark.django_db


def salesperson(key):
    return User.objects.create_user(username=key, email=f"{key}@example.cn", password="x", is_staff=True)


@pytest.fixture
def book(tiers):
    wang, li = salesperson("wang"), salesperson("li")
    a = factories.distributor("alpha", province="广东省")
    b = factories.distributor("beta", province="四川省")
    c = factories.distributor("gamma", province="四川省")
    ma = Membership.objects.create(company=factories.company_of(a), tier=tiers["gold"], salesperson=wang, grade="A")
    mb = Membership.objects.create(company=factories.company_of(b), tier=tiers["silver"], salesperson=wang, grade="B")
    mc = Membership.objects.create(company=factories.company_of(c), tier=tiers["silver"], salesperson=li, grade="C")
    tags.set_tags(mb, ["重点客户"])
    return {"wang": wang, "li": li, "alpha": ma, "beta": mb, "gamma": mc}


def person_of(membership):
    """The one person of a test company of one."""
    return membership.company.members.get().user


def emails(response):
    return sorted(person_of(m).email for m in response.context["members"])


def test_a_salesperson_sees_only_their_own_members(book):
    client = Client()
    client.force_login(book["wang"])
    response = client.get(reverse("member_tiers:member-list"))
    assert emails(response) == ["alpha@example.cn", "beta@example.cn"]
    assert "您看到的是由您负责的会员" in response.content.decode()
    assert client.get(reverse("member_tiers:member-detail", args=[book["gamma"].pk])).status_code == 404
    assert client.get(reverse("member_tiers:member-detail", args=[book["alpha"].pk])).status_code == 200
    # nor can they act on someone else's member or on full-rights actions
    response = client.post(reverse("member_tiers:member-action", args=[book["gamma"].pk, "tags"]), {"tags": "x"})
    assert response.status_code == 404


def test_operators_filter_members_by_tier_tag_grade_salesperson_and_province(operator_client, book, tiers):
    url = reverse("member_tiers:member-list")
    assert len(operator_client.get(url).context["members"]) == 3
    assert emails(operator_client.get(url, {"tier": tiers["silver"].pk})) == ["beta@example.cn", "gamma@example.cn"]
    assert emails(operator_client.get(url, {"tag": Tag.objects.get(name="重点客户").pk})) == ["beta@example.cn"]
    assert emails(operator_client.get(url, {"grade": "C"})) == ["gamma@example.cn"]
    assert emails(operator_client.get(url, {"salesperson": book["li"].pk})) == ["gamma@example.cn"]
    assert emails(operator_client.get(url, {"province": "四川省"})) == ["beta@example.cn", "gamma@example.cn"]
    # fact tags (recomputed nightly from paid orders)
    Membership.objects.filter(pk=book["alpha"].pk).update(total_spend=Decimal("50000"), order_count=12)
    Membership.objects.filter(pk=book["beta"].pk).update(last_order_at=timezone.now() - timedelta(days=100))
    assert emails(operator_client.get(url, {"min_spend": "30000"})) == ["alpha@example.cn"]
    assert emails(operator_client.get(url, {"min_orders": "10"})) == ["alpha@example.cn"]
    assert emails(operator_client.get(url, {"inactive_days": "90"})) == [
        "alpha@example.cn",
        "beta@example.cn",
        "gamma@example.cn",
    ]
    Membership.objects.filter(pk__in=[book["alpha"].pk, book["gamma"].pk]).update(last_order_at=timezone.now())
    assert emails(operator_client.get(url, {"inactive_days": "90"})) == ["beta@example.cn"]
    body = operator_client.get(url).content.decode()
    assert "会员列表" in body and "价值等级" in body


def test_member_list_query_count_does_not_grow_with_members(operator_client, tiers, django_assert_max_num_queries):
    for n in range(30):
        m = Membership.objects.create(
            company=factories.company_of(factories.distributor(f"m{n}")), tier=tiers["regular"]
        )
        tags.set_tags(m, ["标签A"])
        credit.set_credit_line(m, limit=Decimal("100"), payment_terms_days=30, reason="x")
    operator_client.get(reverse("member_tiers:member-list"))
    with django_assert_max_num_queries(15):
        operator_client.get(reverse("member_tiers:member-list"))


def test_bulk_reassignment_when_a_salesperson_leaves_keeps_history(operator_client, book):
    response = operator_client.post(
        reverse("member_tiers:reassign"),
        {"from_salesperson": book["wang"].pk, "to_salesperson": book["li"].pk, "reason": "王磊离职"},
    )
    assert response.status_code == 302
    assert set(
        Membership.objects.filter(salesperson=book["li"]).values_list("company__members__user__username", flat=True)
    ) == {
        "alpha",
        "beta",
        "gamma",
    }
    history = SalespersonChange.objects.filter(reason="王磊离职")
    assert history.count() == 2 and {h.from_user for h in history} == {book["wang"]}
    # missing reason: refused, nothing moves
    response = operator_client.post(
        reverse("member_tiers:reassign"),
        {"members": [book["alpha"].pk], "to_salesperson": book["wang"].pk, "reason": ""},
    )
    assert response.status_code == 200 and Membership.objects.get(pk=book["alpha"].pk).salesperson == book["li"]
    # a customer cannot be a salesperson
    with pytest.raises(Exception):  # noqa: B017
        members.assign_salesperson([book["alpha"]], person_of(book["alpha"]), reason="x")


def test_member_detail_actions_with_reasons(operator_client, book, tiers):
    pk = book["alpha"].pk
    url = lambda action: reverse("member_tiers:member-action", args=[pk, action])  # noqa: E731
    response = operator_client.post(url("credit"), {"limit": "-5", "payment_terms_days": "30", "reason": "开通"})
    assert response.status_code == 400 and "信用额度不能为负数。" in response.content.decode()
    assert not CreditAccount.objects.exists()
    assert (
        operator_client.post(
            url("credit"), {"limit": "20000", "payment_terms_days": "45", "reason": "开通授信"}
        ).status_code
        == 302
    )
    credit.reserve(person_of(book["alpha"]), Decimal("1500"), "O-1")
    response = operator_client.post(url("movement"), {"kind": "reimbursed", "amount": "2000", "reason": "还款"})
    assert "该账户仅欠款 ¥1500.00。" in response.content.decode()
    operator_client.post(url("movement"), {"kind": "reimbursed", "amount": "1000", "reason": "银行回单 0012"})
    account = CreditAccount.objects.get(membership=book["alpha"])
    assert (account.balance, account.limit) == (Decimal("500.00"), Decimal("20000.00"))
    assert list(account.entries.order_by("id").values_list("kind", flat=True)) == [
        "allocated",
        "purchased",
        "reimbursed",
    ]
    operator_client.post(url("tier"), {"tier": tiers["diamond"].pk, "reason": "年度评审"})
    operator_client.post(url("points"), {"points": "200", "reason": "活动奖励"})
    detail = operator_client.get(reverse("member_tiers:member-detail", args=[pk])).content.decode()
    assert "年度评审" in detail and "活动奖励" in detail and "银行回单 0012" in detail and "钻石" in detail


def test_my_membership_page(tiers, book):
    alpha = person_of(book["alpha"])
    credit.set_credit_line(book["alpha"], limit=Decimal("50000"), payment_terms_days=45, reason="开通")
    client = Client()
    client.force_login(alpha)
    body = client.get(reverse("membership:mine")).content.decode()
    assert "金牌" in body and "钻石" in body  # current tier and the next one
    assert "¥50,000.00" in body and "45" in body
    assert "我的会员" in body


def test_graphql_membership_and_operator_guards(tiers, book):
    alpha = person_of(book["alpha"])
    credit.set_credit_line(book["alpha"], limit=Decimal("50000"), payment_terms_days=45, reason="开通")
    client = Client()
    client.force_login(alpha)
    query = "{ myMembership { tier { name } pointsBalance credit { limit available paymentTermsDays } progress { nextTier { name } } } }"
    data = json.loads(client.post("/graphql/", {"query": query}, content_type="application/json").content)["data"]
    assert data["myMembership"]["tier"]["name"] == "金牌"
    assert Decimal(data["myMembership"]["credit"]["available"]) == Decimal("50000")
    assert data["myMembership"]["progress"]["nextTier"]["name"] == "钻石"
    # a distributor cannot list members or change tiers
    denied = json.loads(
        client.post("/graphql/", {"query": "{ members { totalCount } }"}, content_type="application/json").content
    )
    assert denied["errors"][0]["extensions"]["code"] == "forbidden"
    mutation = 'mutation {{ memberChangeTier(memberId: "{}", tierCode: "diamond", reason: "x") {{ errors {{ code }} }} }}'.format(
        book["alpha"].pk
    )
    result = json.loads(client.post("/graphql/", {"query": mutation}, content_type="application/json").content)
    assert result["data"]["memberChangeTier"] is None
    assert result["errors"][0]["extensions"]["code"] == "forbidden"
    assert Membership.objects.get(pk=book["alpha"].pk).tier.code == "gold"
    # a salesperson sees their own members only
    sales = Client()
    sales.force_login(book["li"])
    listed = json.loads(
        sales.post(
            "/graphql/", {"query": "{ members { totalCount items { companyName } } }"}, content_type="application/json"
        ).content
    )
    assert listed["data"]["members"]["items"] == [{"companyName": "gamma测试贸易有限公司"}]


def test_graphql_operator_mutations_validate_input(operator_client, book):
    def run(query):
        return json.loads(operator_client.post("/graphql/", {"query": query}, content_type="application/json").content)[
            "data"
        ]

    pk = book["alpha"].pk
    bad = run(
        f'mutation {{ memberSetCreditLine(memberId: "{pk}", limit: "-1", paymentTermsDays: 30, reason: "x") {{ errors {{ field message }} }} }}'
    )
    assert bad["memberSetCreditLine"]["errors"] == [{"field": "limit", "message": "信用额度不能为负数。"}]
    assert not CreditAccount.objects.exists()
    bad = run(
        'mutation { priceRuleCreate(tierCode: "gold", kind: "percent", value: "101") { errors { field message } } }'
    )
    assert bad["priceRuleCreate"]["errors"] == [{"field": "value", "message": "百分比必须在 0 到 100 之间。"}]
    ok = run(
        f'mutation {{ memberChangeTier(memberId: "{pk}", tierCode: "diamond", reason: "年度评审") {{ member {{ tier {{ code }} }} errors {{ field }} }} }}'
    )
    assert ok["memberChangeTier"] == {"member": {"tier": {"code": "diamond"}}, "errors": []}


def test_a_filter_past_the_columns_range_is_a_form_error_not_a_server_error(operator_client, book):
    url = reverse("member_tiers:member-list")
    huge = "9" * 30
    for params in ({"min_spend": "1e999999"}, {"min_spend": huge}, {"min_orders": huge}, {"inactive_days": huge}):
        response = operator_client.get(url, params)
        assert response.status_code == 200, params
        assert response.context["form"].errors, params
