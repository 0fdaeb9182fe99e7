"""The platform's error pages: 404, 500, 403 and a CSRF failure answer with their status, in the
user's language (zh-Hans unless the language cookie says otherwise), with the platform's header
and a way back, and without technical details; the 500 page answers while the database is down."""

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client, override_settings
from django.urls import reverse

from tests import factories
from tests.s2b2b_orders.conftest import make_supplier

pytestmark = pytest.mark.django_db

TECHNICAL = ("Traceback", "SELECT", "secret_column", "RuntimeError", "Django", "settings.py", "DEBUG")


def _client(language: str | None, **kwargs) -> Client:
    client = Client(**kwargs)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _looks_like_the_platform(page: str) -> None:
    assert 'id="platform-logo"' in page and settings.PLATFORM_NAME in page
    assert 'id="error-way-back"' in page
    for detail in TECHNICAL:
        assert detail not in page, detail


@pytest.mark.parametrize(
    ("language", "words", "lang_attr"),
    [(None, "页面不存在", "zh-hans"), ("en", "Page not found", "en")],
)
def test_404_in_the_users_language(language, words, lang_attr):
    response = _client(language).get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert words in page and f'lang="{lang_attr}"' in page
    _looks_like_the_platform(page)
    assert 'href="/"' in page


def test_404_sends_a_supplier_back_to_the_portal():
    client = Client()
    client.force_login(factories.supplier_staff(make_supplier("jg"), "jgstaff"))
    response = client.get(reverse("s2b2b-portal-order", args=["NO-SUCH-ORDER"]))
    assert response.status_code == 404
    assert f'id="error-way-back" href="{reverse("s2b2b-portal-orders")}"' in response.content.decode()


@override_settings(ROOT_URLCONF="tests.core.error_urls")
@pytest.mark.parametrize(
    ("language", "words"),
    [(None, "出错了"), ("en", "Something went wrong")],
)
def test_500_in_the_users_language_without_details(language, words):
    response = _client(language, raise_request_exception=False).get("/test-failure/")
    assert response.status_code == 500
    page = response.content.decode()
    assert words in page
    _looks_like_the_platform(page)


@override_settings(ROOT_URLCONF="tests.core.error_urls")
def test_500_answers_while_the_database_is_down():
    client = Client(raise_request_exception=False)
    client.force_login(factories.distributor("buyer"))

    def database_down(execute, sql, params, many, context):
        raise OperationalError("connection to server at 127.0.0.1 failed: secret_column")

    with connection.execute_wrapper(database_down):
        response = client.get("/catalogue/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "出错了" in page
    _looks_like_the_platform(page)


@pytest.mark.parametrize(
    ("language", "words"),
    [(None, "您无权打开此页面"), ("en", "You may not open this page")],
)
def test_403_in_the_users_language(language, words):
    client = _client(language)
    client.force_login(factories.distributor("buyer"))
    response = client.get(reverse("dashboard:order-list"))
    assert response.status_code == 403
    page = response.content.decode()
    assert words in page
    _looks_like_the_platform(page)


@pytest.mark.parametrize(
    ("language", "words"),
    [(None, "表单已失效"), ("en", "The form has expired")],
)
def test_a_csrf_failure_is_a_styled_403(language, words):
    buyer = factories.distributor("buyer")
    client = _client(language, enforce_csrf_checks=True)
    response = client.post(
        "/accounts/login/",
        {"login-username": buyer.email, "login-password": factories.PASSWORD, "login_submit": "1"},
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert words in page
    _looks_like_the_platform(page)
    assert "CSRF" not in page
    assert "_auth_user_id" not in client.session
