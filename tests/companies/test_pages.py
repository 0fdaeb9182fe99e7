"""Companies' pages: registration in the storefront, 企业中心 and its people, the back office
list, queue and detail with the verification actions, the licence download."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from companies.models import Company, CompanyMember, CompanyStatus, Consent, Role
from core.models import TransitionLog
from tests import factories

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def counts():
    return (
        Company.objects.count(),
        CompanyMember.objects.count(),
        Consent.objects.count(),
        TransitionLog.objects.count(),
    )


def form_data(**overrides):
    data = {k: v for k, v in factories.company_details().items()}
    data.update(consent="on", licence=factories.licence_upload())
    data.update(overrides)
    return data


def test_a_buyer_registers_a_company_in_the_storefront():
    user = factories.person("buyer")
    client = client_for(user)
    page = client.get(reverse("companies:mine"))
    assert page.status_code == 200 and reverse("companies:register") in page.content.decode()
    assert "企业中心" in client.get(reverse("customer:profile-view")).content.decode()
    assert client.get(reverse("companies:register")).status_code == 200
    response = client.post(reverse("companies:register"), form_data(uscc="９１４４０３００１９２２０３８２１６"))
    assert response.status_code == 302, response.content.decode()[:2000]
    company = Company.objects.get()
    assert company.uscc == "914403001922038216" and company.status == CompanyStatus.APPLIED
    page = client.get(reverse("companies:mine")).content.decode()
    assert company.legal_name in page and "待认证" in page and "管理员" in page
    # registered: the registration page sends back to the company
    assert client.get(reverse("companies:register"))["Location"] == reverse("companies:mine")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"uscc": "914403001922038217"}, "uscc", "校验位不符"),
        ({"licence": factories.licence_upload("执照.png", b"GIF8 not really")}, "licence", "图片"),
        ({"consent": ""}, "consent", "同意"),
        ({"contact_phone": "555"}, "contact_phone", "手机号"),
    ],
)
def test_registration_errors_name_the_field_in_chinese_and_save_nothing(overrides, field, message):
    user = factories.person("buyer")
    client = client_for(user)
    before = counts()
    response = client.post(reverse("companies:register"), form_data(**overrides))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert counts() == before


def test_a_rejected_company_is_corrected_and_re_applied_by_its_admin():
    admin = factories.person("admin")
    company = factories.company(admin, verified=False)
    from companies.services import verification

    verification.reject(company, actor=factories.operator("op"), reason="执照不清晰")
    client = client_for(admin)
    page = client.get(reverse("companies:register"))
    assert page.status_code == 200 and "执照不清晰" in page.content.decode()
    data = form_data(address="南山区改正路2号")
    data.pop("licence")
    data.pop("consent")
    assert client.post(reverse("companies:register"), data).status_code == 302
    company.refresh_from_db()
    assert company.status == CompanyStatus.APPLIED and company.address == "南山区改正路2号"


@pytest.fixture
def team(db):
    admin = factories.person("admin")
    company = factories.company(admin)
    buyer = factories.person("buyer2")
    return company, admin, buyer


def test_the_admin_manages_people_in_the_company_centre(team):
    company, admin, buyer = team
    client = client_for(admin)
    response = client.post(reverse("companies:member-add"), {"email": buyer.email.upper(), "role": "buyer"})
    assert response.status_code == 302
    member = CompanyMember.objects.get(user=buyer)
    assert member.role == Role.BUYER and member.added_by == admin
    page = client.get(reverse("companies:mine")).content.decode()
    assert buyer.email in page and "采购员" in page
    url = reverse("companies:member-action", args=[member.pk, "role"])
    assert client.post(url, {"role": "finance"}).status_code == 302
    assert CompanyMember.objects.get(pk=member.pk).role == Role.FINANCE
    assert client.post(reverse("companies:member-action", args=[member.pk, "deactivate"])).status_code == 302
    assert not CompanyMember.objects.get(pk=member.pk).is_active
    assert client.post(reverse("companies:member-action", args=[member.pk, "reactivate"])).status_code == 302
    assert CompanyMember.objects.get(pk=member.pk).is_active
    # the buyer sees the company, not its people, and may not manage them
    buyer_client = client_for(buyer)
    page = buyer_client.get(reverse("companies:mine")).content.decode()
    assert company.legal_name in page and admin.email not in page
    assert (
        buyer_client.post(reverse("companies:member-add"), {"email": "x@example.cn", "role": "admin"}).status_code
        == 403
    )
    own = CompanyMember.objects.get(user=admin)
    response = buyer_client.post(reverse("companies:member-action", args=[own.pk, "deactivate"]))
    assert response.status_code == 403 and CompanyMember.objects.get(pk=own.pk).is_active


def test_demoting_the_last_admin_in_the_page_says_why_and_changes_nothing(team):
    company, admin, buyer = team
    client = client_for(admin)
    own = CompanyMember.objects.get(user=admin)
    before = (list(CompanyMember.objects.values_list("role", "is_active")), TransitionLog.objects.count())
    response = client.post(reverse("companies:member-action", args=[own.pk, "role"]), {"role": "buyer"})
    assert response.status_code == 400 and "至少需要一名有效的管理员" in response.content.decode()
    response = client.post(reverse("companies:member-action", args=[own.pk, "deactivate"]))
    assert response.status_code == 400 and "至少需要一名有效的管理员" in response.content.decode()
    assert (list(CompanyMember.objects.values_list("role", "is_active")), TransitionLog.objects.count()) == before
    other = factories.person("other")
    factories.company(other, "深圳市乙有限公司", 2)
    response = client.post(reverse("companies:member-add"), {"email": other.email, "role": "buyer"})
    assert response.status_code == 400 and "已属于一家企业" in response.content.decode()


def test_english_speakers_read_the_errors_in_english(team):
    company, admin, buyer = team
    client = client_for(admin)
    client.cookies["django_language"] = "en"
    own = CompanyMember.objects.get(user=admin)
    response = client.post(reverse("companies:member-action", args=[own.pk, "role"]), {"role": "buyer"})
    assert "at least one active administrator" in response.content.decode()


# --- back office ------------------------------------------------------------------------------


def test_operators_filter_verify_reject_and_suspend_companies():
    op = factories.operator("op")
    a = factories.company(factories.person("a"), "深圳市甲有限公司", 1, verified=False)
    b = factories.company(factories.person("b"), "成都市乙有限公司", 2, province="四川省")
    Company.objects.filter(pk=b.pk).update(customer_code="CD-001")  # the platform's code for the customer
    client = client_for(op)
    page = client.get(reverse("companies-dashboard:company-list"), {"status": "applied"}).content.decode()
    assert a.legal_name in page and b.legal_name not in page
    page = client.get(reverse("companies-dashboard:company-list"), {"province": "四川省"}).content.decode()
    assert b.legal_name in page and a.legal_name not in page
    page = client.get(reverse("companies-dashboard:company-list"), {"q": "cd-001"}).content.decode()
    assert b.legal_name in page and a.legal_name not in page
    page = client.get(reverse("companies-dashboard:company-list"), {"q": a.uscc.lower()}).content.decode()
    assert a.legal_name in page and b.legal_name not in page
    queue = client.get(reverse("companies-dashboard:verification-queue")).content.decode()
    assert a.legal_name in queue and b.legal_name not in queue
    detail_url = reverse("companies-dashboard:company-detail", args=[a.pk])
    detail = client.get(detail_url).content.decode()
    assert a.licence_url in detail and "校验位正确" in detail
    before = TransitionLog.objects.count()
    response = client.post(detail_url, {"action": "reject", "reason": ""})
    assert response.status_code == 400 and TransitionLog.objects.count() == before
    assert client.post(detail_url, {"action": "reject", "reason": "执照过期"}).status_code == 302
    a.refresh_from_db()
    assert a.status == CompanyStatus.REJECTED and a.status_reason == "执照过期"
    response = client.post(detail_url, {"action": "verify", "reason": ""})
    assert response.status_code == 400  # a rejected company goes back to the queue first
    b_url = reverse("companies-dashboard:company-detail", args=[b.pk])
    assert client.post(b_url, {"action": "suspend", "reason": "逾期"}).status_code == 302
    assert client.post(b_url, {"action": "reinstate", "reason": ""}).status_code == 302
    b.refresh_from_db()
    assert b.status == CompanyStatus.VERIFIED
    history = client.get(b_url).content.decode()
    assert "逾期" in history and "已停用" in history


def test_the_queue_flags_duplicates_of_name_and_phone():
    op = factories.operator("op")
    factories.company(factories.person("a"), "阿里巴巴（中国）有限公司", 1, contact_phone="13800000001")
    b = factories.company(
        factories.person("b"), "阿里巴巴(中国)有限公司", 2, contact_phone="13800000001", verified=False
    )
    client = client_for(op)
    queue = client.get(reverse("companies-dashboard:verification-queue")).content.decode()
    assert "手机号与其他企业相同" in queue
    detail = client.get(reverse("companies-dashboard:company-detail", args=[b.pk])).content.decode()
    assert 'id="duplicates"' in detail and "名称相同" in detail and "手机号相同" in detail


def test_the_licence_is_served_by_its_bytes_to_operators_and_the_companys_admin_only(team):
    company, admin, buyer = team
    from companies.services.people import add_member

    add_member(company=company, user=buyer, role="buyer", by=admin)
    url = reverse("companies:licence", args=[company.pk])
    for user in (factories.operator("op"), admin):
        response = client_for(user).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert client_for(buyer).get(url).status_code == 404
    assert client_for(factories.person("stranger")).get(url).status_code == 404
    assert Client().get(url).status_code == 302
    assert (
        client_for(factories.operator("op2")).get(reverse("companies:licence", args=[company.pk + 999])).status_code
        == 404
    )


# --- GraphQL ------------------------------------------------------------------------------------


def gql(user, query, variables=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.post(
        "/graphql/", json.dumps({"query": query, "variables": variables or {}}), content_type="application/json"
    )
    return response.json()


MY_COMPANY = "{ myCompany { legalName uscc status statusLabel myRole people { email role isActive } } }"


def test_my_company_shows_people_to_its_admin_only(team):
    company, admin, buyer = team
    from companies.services.people import add_member

    add_member(company=company, user=buyer, role="buyer", by=admin)
    mine = gql(admin, MY_COMPANY)["data"]["myCompany"]
    assert mine["uscc"] == company.uscc and mine["myRole"] == "admin" and mine["statusLabel"] == "已认证"
    assert {p["email"] for p in mine["people"]} == {admin.email, buyer.email}
    theirs = gql(buyer, MY_COMPANY)["data"]["myCompany"]
    assert theirs["myRole"] == "buyer" and theirs["people"] is None
    assert gql(factories.person("lone"), MY_COMPANY)["data"]["myCompany"] is None
    answer = gql(factories.operator("op"), MY_COMPANY)
    assert answer["errors"][0]["extensions"]["code"] == "forbidden"
    assert gql(None, MY_COMPANY)["errors"][0]["extensions"]["code"] == "unauthenticated"


def test_operators_list_companies_with_filters():
    factories.company(factories.person("a"), "深圳市甲有限公司", 1, verified=False)
    factories.company(factories.person("b"), "成都市乙有限公司", 2, province="四川省")
    query = "query($s: String, $p: String) { companies(first: 10, status: $s, province: $p) { totalCount items { legalName people { email } } } }"
    op = factories.operator("op")
    answer = gql(op, query, {"s": "applied"})["data"]["companies"]
    assert answer["totalCount"] == 1 and answer["items"][0]["legalName"] == "深圳市甲有限公司"
    assert gql(op, query, {"p": "四川省"})["data"]["companies"]["items"][0]["people"] == [{"email": "b@example.cn"}]
    assert gql(factories.person("c"), query)["errors"][0]["extensions"]["code"] == "forbidden"


ADD = "mutation($e: String!, $r: String!) { companyMemberAdd(email: $e, role: $r) { member { id email role } errors { field message code } } }"
ROLE = "mutation($m: ID!, $r: String!) { companyMemberChangeRole(memberId: $m, role: $r) { member { role } errors { field message code } } }"
DEACTIVATE = (
    "mutation($m: ID!) { companyMemberDeactivate(memberId: $m) { member { isActive } errors { field message code } } }"
)


def test_the_admin_manages_people_through_graphql(team):
    company, admin, buyer = team
    added = gql(admin, ADD, {"e": buyer.email, "r": "buyer"})["data"]["companyMemberAdd"]
    assert added["errors"] == [] and added["member"]["role"] == "buyer"
    member_id = added["member"]["id"]
    assert (
        gql(admin, ROLE, {"m": member_id, "r": "approver"})["data"]["companyMemberChangeRole"]["member"]["role"]
        == "approver"
    )
    bad = gql(admin, ROLE, {"m": member_id, "r": "boss"})["data"]["companyMemberChangeRole"]
    assert bad["errors"] == [{"field": "role", "message": "请从列表中选择角色。", "code": "invalid"}]
    own = CompanyMember.objects.get(user=admin)
    last = gql(admin, DEACTIVATE, {"m": str(own.pk)})["data"]["companyMemberDeactivate"]
    assert last["errors"][0]["field"] == "memberId" and last["errors"][0]["code"] == "last_admin"
    demote = gql(admin, ROLE, {"m": str(own.pk), "r": "buyer"})["data"]["companyMemberChangeRole"]
    assert demote["errors"][0]["code"] == "last_admin" and demote["errors"][0]["field"] == "role"
    unknown = gql(admin, ADD, {"e": "nobody@example.cn", "r": "buyer"})["data"]["companyMemberAdd"]
    assert unknown["errors"][0]["field"] == "email" and unknown["member"] is None
    assert gql(admin, DEACTIVATE, {"m": member_id})["data"]["companyMemberDeactivate"]["member"]["isActive"] is False


def test_a_new_user_signs_up_with_the_company_in_one_step():
    client = Client()
    assert client.get(reverse("companies:signup")).status_code == 200
    data = form_data(email="new@example.cn", password1="Zq8!lmnb-2026", password2="Zq8!lmnb-2026")
    response = client.post(reverse("companies:signup"), data)
    assert response.status_code == 302 and response["Location"] == reverse("companies:mine")
    user = get_user_model().objects.get(email="new@example.cn")
    member = CompanyMember.objects.get(user=user)
    assert member.role == Role.ADMIN and member.company.status == CompanyStatus.APPLIED
    assert Consent.objects.filter(user=user).exists()
    assert client.get(reverse("companies:mine")).status_code == 200  # signed in


def test_a_failed_sign_up_creates_no_account():
    factories.company(factories.person("a"), serial=1)
    users = get_user_model().objects.count()
    before = counts()
    data = form_data(email="new@example.cn", password1="Zq8!lmnb-2026", password2="Zq8!lmnb-2026")  # same USCC
    response = Client().post(reverse("companies:signup"), data)
    assert response.status_code == 400 and "已注册" in response.content.decode()
    assert get_user_model().objects.count() == users and counts() == before
    data = form_data(email="new@example.cn", password1="Zq8!lmnb-2026", password2="other", consent="")
    response = Client().post(reverse("companies:signup"), data)
    assert response.status_code == 400 and get_user_model().objects.count() == users
    # signed in: the company centre's registration instead
    assert client_for(factories.person("b")).get(reverse("companies:signup"))["Location"] == reverse(
        "companies:register"
    )


def test_operators_manage_a_companys_people_under_the_same_rules(team):
    company, admin, buyer = team
    from companies.services.people import add_member

    member = add_member(company=company, user=buyer, role="buyer", by=admin)
    client = client_for(factories.operator("op"))
    url = reverse("companies-dashboard:company-detail", args=[company.pk])
    assert client.post(url, {"action": "member-role", "member": member.pk, "role": "approver"}).status_code == 302
    assert CompanyMember.objects.get(pk=member.pk).role == Role.APPROVER
    assert client.post(url, {"action": "member-deactivate", "member": member.pk}).status_code == 302
    assert not CompanyMember.objects.get(pk=member.pk).is_active
    own = CompanyMember.objects.get(user=admin)
    response = client.post(url, {"action": "member-deactivate", "member": own.pk})
    assert response.status_code == 400 and "至少需要一名有效的管理员" in response.content.decode()
    other = factories.company(factories.person("other"), "深圳市乙有限公司", 2)
    stranger = CompanyMember.objects.get(company=other)
    assert client.post(url, {"action": "member-deactivate", "member": stranger.pk}).status_code == 404
    assert CompanyMember.objects.get(pk=stranger.pk).is_active


def test_the_companies_list_in_graphql_is_flat_in_page_size():
    op = factories.operator("op")
    for i in range(6):
        factories.company(factories.person(f"d{i}"), f"深圳市第{i}有限公司", 10 + i)
    query = "query($n: Int!) { companies(first: $n) { totalCount items { legalName people { email role } } } }"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sizes = []
    for n in (1, 6):
        with CaptureQueriesContext(connection) as ctx:
            answer = gql(op, query, {"n": n})
        assert len(answer["data"]["companies"]["items"]) == n
        sizes.append(len(ctx.captured_queries))
    assert sizes[0] == sizes[1]


def test_the_login_page_links_to_the_company_sign_up():
    page = Client().get(reverse("customer:login")).content.decode()
    assert reverse("companies:signup") in page and "企业注册" in page


def test_a_deactivated_person_sees_why_and_cannot_register_another_company(team):
    company, admin, buyer = team
    from companies.services.people import add_member, deactivate

    deactivate(member=add_member(company=company, user=buyer, role="buyer", by=admin), by=admin)
    client = client_for(buyer)
    page = client.get(reverse("companies:mine")).content.decode()
    assert 'id="deactivated"' in page and company.legal_name not in page
    assert client.get(reverse("companies:register"))["Location"] == reverse("companies:mine")


def test_the_company_centre_tab_shows_only_to_buyers():
    buyer_page = client_for(factories.person("b")).get(reverse("customer:profile-view")).content.decode()
    assert reverse("companies:mine") in buyer_page
    staff = get_user_model().objects.create_user(username="li", email="li@example.cn", password="x", is_staff=True)
    staff_page = client_for(staff).get(reverse("customer:profile-view")).content.decode()
    assert reverse("companies:mine") not in staff_page


def test_operators_set_a_unique_customer_code():
    client = client_for(factories.operator("op"))
    a = factories.company(factories.person("a"), "深圳市甲有限公司", 1)
    b = factories.company(factories.person("b"), "深圳市乙有限公司", 2)
    url = reverse("companies-dashboard:company-detail", args=[a.pk])
    assert client.post(url, {"action": "customer-code", "customer_code": " gd-0001 "}).status_code == 302
    a.refresh_from_db()
    assert a.customer_code == "GD-0001"
    response = client.post(
        reverse("companies-dashboard:company-detail", args=[b.pk]),
        {"action": "customer-code", "customer_code": "GD-0001"},
    )
    assert response.status_code == 400 and "其他企业已使用该客户编码" in response.content.decode()
    b.refresh_from_db()
    assert b.customer_code == ""
