"""Roles land where they work: after signing in (the storefront's form or the dashboard's) supplier
staff are in their portal, operators in the back office, salespeople at their members and
distributors in the storefront; ``next=`` is followed only to a page of this site the user may
open. Supplier staff are refused the storefront's membership pages, and no menu offers them."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.s2b2b_orders.conftest import make_supplier

pytestmark = pytest.mark.django_db

STOREFRONT_LOGIN = "/accounts/login/"
DASHBOARD_LOGIN = "/dashboard/login/"


def _storefront_sign_in(client: Client, user, next_url: str = ""):
    url = f"{STOREFRONT_LOGIN}?next={next_url}" if next_url else STOREFRONT_LOGIN
    form = {"login-username": user.email, "login-password": factories.PASSWORD, "login_submit": "1"}
    form["login-redirect_url"] = next_url
    return client.post(url, form)


def _dashboard_sign_in(client: Client, user, next_url: str = ""):
    return client.post(DASHBOARD_LOGIN, {"username": user.email, "password": factories.PASSWORD, "next": next_url})


@pytest.fixture
def people():
    jg = make_supplier("jg", "苏州精工五金制品有限公司")
    return {
        "supplier": factories.supplier_staff(jg, "jgstaff"),
        "operator": factories.operator("op"),
        "salesperson": factories.salesperson("sales"),
        "distributor": factories.distributor("buyer"),
    }


LANDINGS = {
    "supplier": lambda: reverse("s2b2b-portal-orders"),
    "operator": lambda: reverse("dashboard:index"),
    "salesperson": lambda: reverse("member_tiers:member-list"),
    "distributor": lambda: "/",
}


@pytest.mark.parametrize("who", sorted(LANDINGS))
@pytest.mark.parametrize("sign_in", [_storefront_sign_in, _dashboard_sign_in], ids=["storefront", "dashboard"])
def test_each_role_lands_where_it_works_by_every_sign_in_path(people, who, sign_in):
    client = Client()
    response = sign_in(client, people[who])
    assert response.status_code == 302
    assert response["Location"] == LANDINGS[who]()
    assert client.get(response["Location"], follow=True).status_code == 200


def test_a_signed_in_supplier_opening_the_login_page_goes_to_the_portal(people):
    client = Client()
    client.force_login(people["supplier"])
    response = client.get(STOREFRONT_LOGIN)
    assert response.status_code == 302 and response["Location"] == reverse("s2b2b-portal-orders")


@pytest.mark.parametrize("sign_in", [_storefront_sign_in, _dashboard_sign_in], ids=["storefront", "dashboard"])
def test_next_is_followed_only_to_a_page_the_user_may_open(people, sign_in):
    products = reverse("s2b2b-portal-products")
    # a page of the portal the supplier asked for: followed
    assert sign_in(Client(), people["supplier"], products)["Location"] == products
    # a storefront membership page is not theirs: the portal instead
    for page in ("/accounts/profile/", "/accounts/addresses/", "/checkout/", "/dashboard/orders/"):
        assert sign_in(Client(), people["supplier"], page)["Location"] == reverse("s2b2b-portal-orders"), page
    # the distributor's own order history: followed
    assert sign_in(Client(), people["distributor"], "/accounts/orders/")["Location"] == "/accounts/orders/"
    # a back-office page for a distributor: the storefront
    assert sign_in(Client(), people["distributor"], "/dashboard/orders/")["Location"] == "/"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example.cn/", "//evil.example.cn/accounts/", "http://evil.example.cn", "javascript:alert(1)"],
)
@pytest.mark.parametrize("sign_in", [_storefront_sign_in, _dashboard_sign_in], ids=["storefront", "dashboard"])
def test_next_to_another_site_is_refused(people, sign_in, target):
    response = sign_in(Client(), people["distributor"], target)
    assert response.status_code == 302 and response["Location"] == "/"
    response = sign_in(Client(), people["supplier"], target)
    assert response["Location"] == reverse("s2b2b-portal-orders")


MEMBERSHIP_PAGES = [
    "customer:summary",
    "customer:profile-view",
    "customer:order-list",
    "customer:address-list",
    "customer:email-list",
    "customer:alerts-list",
    "customer:wishlists-list",
    "checkout:index",
    "storefront:quick-order",
    "storefront:api-tokens",
    "membership:mine",
]


@pytest.mark.parametrize("url_name", MEMBERSHIP_PAGES)
def test_supplier_staff_are_refused_the_storefront_membership_pages(people, url_name):
    client = Client()
    client.force_login(people["supplier"])
    response = client.get(reverse(url_name))
    assert response.status_code == 403
    page = response.content.decode()
    assert "您无权打开此页面" in page
    # the way back is their portal
    assert f'href="{reverse("s2b2b-portal-orders")}"' in page


def test_supplier_staff_keep_their_inbox_password_and_api_tokens_in_the_portal(people):
    client = Client()
    client.force_login(people["supplier"])
    inbox = client.get(reverse("customer:notifications-inbox"))
    assert inbox.status_code == 200
    page = inbox.content.decode()
    # the account menu offers only what they may open
    for refused in ("customer:profile-view", "customer:order-list", "customer:address-list", "storefront:api-tokens"):
        assert f'href="{reverse(refused)}"' not in page, refused
    assert f'href="{reverse("customer:change-password")}"' in page
    assert client.get(reverse("customer:change-password")).status_code == 200
    # tokens for the supplier API are issued in the portal
    tokens = client.post(reverse("s2b2b-portal-api-tokens"), {"name": "金蝶 ERP"})
    assert tokens.status_code == 200 and 'id="new-token-secret"' in tokens.content.decode()
    assert people["supplier"].api_tokens.filter(name="金蝶 ERP", revoked_at__isnull=True).count() == 1


def test_menus_offer_supplier_staff_their_portal_not_the_membership_pages(people):
    client = Client()
    client.force_login(people["supplier"])
    storefront = client.get("/catalogue/").content.decode()
    assert f'href="{reverse("customer:summary")}"' not in storefront
    assert f'href="{reverse("storefront:quick-order")}"' not in storefront
    assert f'href="{reverse("dashboard:index")}"' in storefront and "供应商后台" in storefront
    portal = client.get(reverse("s2b2b-portal-orders")).content.decode()
    assert f'href="{reverse("customer:summary")}"' not in portal
    assert f'href="{reverse("customer:notifications-inbox")}"' in portal
    assert f'href="{reverse("s2b2b-portal-api-tokens")}"' in portal

    buyer = Client()
    buyer.force_login(people["distributor"])
    storefront = buyer.get("/catalogue/").content.decode()
    assert f'href="{reverse("customer:summary")}"' in storefront
    assert f'href="{reverse("storefront:quick-order")}"' in storefront
    assert f'href="{reverse("dashboard:index")}"' not in storefront


@pytest.mark.parametrize("who", ["operator", "supplier"])
def test_the_dashboard_shows_the_platforms_name_and_logo(people, who):
    client = Client()
    client.force_login(people[who])
    page = client.get(reverse("dashboard:index"), follow=True).content.decode()
    assert 'id="platform-logo"' in page and "/static/core/logo.svg" in page
    assert settings.PLATFORM_NAME in page
    assert f"<title>\n    控制面板 | {settings.PLATFORM_NAME}" in page or f"| {settings.PLATFORM_NAME}" in page
    assert "oscar/favicon.ico" not in page
    login = Client().get(DASHBOARD_LOGIN).content.decode()
    assert 'id="platform-logo"' in login and settings.PLATFORM_NAME in login and "oscar/favicon.ico" not in login
    assert "登录" in login and "登陆" not in login
