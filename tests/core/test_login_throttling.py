"""Sign-in throttling (django-axes): wrong passwords lock the account and the address out for a
while, the right password then does not sign in either, the page says so in Chinese; a success
clears the count; operators see and lift lockouts; production has no /admin/."""

import importlib
import threading
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.urls import clear_url_caches, reverse
from django.utils import timezone

from tests import factories

LOGIN = "/accounts/login/"


def _sign_in(client: Client, email: str, password: str, ip: str = "203.0.113.7"):
    return client.post(
        LOGIN,
        {"login-username": email, "login-password": password, "login_submit": "1"},
        REMOTE_ADDR=ip,
    )


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_wrong_passwords_lock_the_account_and_the_right_one_then_fails(client):
    user = factories.distributor("lockme")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, user.email, "wrong-password").status_code == 200  # the form again
    assert _sign_in(client, user.email, "wrong-password").status_code == 429  # the last straw
    response = _sign_in(client, user.email, factories.PASSWORD)
    assert response.status_code == 429 and not _signed_in(client)
    page = response.content.decode()
    assert "登录失败次数过多" in page and "15 分钟后再试" in page
    # from another address too: the account itself is locked
    assert _sign_in(Client(), user.email, factories.PASSWORD, ip="198.51.100.9").status_code == 429


@pytest.mark.django_db
def test_one_address_guessing_many_accounts_is_locked_out(client):
    victims = [factories.distributor(f"victim{n}") for n in range(settings.AXES_FAILURE_LIMIT)]
    for victim in victims:
        _sign_in(client, victim.email, "wrong-password")
    other = factories.distributor("innocent")
    # the address is locked even for an account it never tried …
    assert _sign_in(client, other.email, factories.PASSWORD).status_code == 429
    # … while the same account signs in from elsewhere
    elsewhere = Client()
    _sign_in(elsewhere, other.email, factories.PASSWORD, ip="198.51.100.20")
    assert _signed_in(elsewhere)


@pytest.mark.django_db
def test_a_success_clears_the_count_and_the_lock_ends_after_the_cool_off(client):
    user = factories.distributor("forgetful")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, user.email, "wrong-password")
    _sign_in(client, user.email, factories.PASSWORD)
    assert _signed_in(client)
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, user.email, "wrong-password")
    _sign_in(client, user.email, factories.PASSWORD)
    assert _signed_in(client)  # the earlier failures did not add up
    client.logout()

    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, user.email, "wrong-password")
    assert _sign_in(client, user.email, factories.PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1))
    _sign_in(client, user.email, factories.PASSWORD)
    assert _signed_in(client)


@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_passwords_still_lock_the_account():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL")
    user = factories.distributor("parallel")
    barrier = threading.Barrier(6)

    def guess(n: int) -> None:
        barrier.wait()
        try:
            for _ in range(5):
                _sign_in(Client(), user.email, f"wrong-{n}", ip=f"192.0.2.{n + 1}")
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    late = Client()
    assert _sign_in(late, user.email, factories.PASSWORD, ip="192.0.2.99").status_code == 429
    assert not _signed_in(late)


@pytest.mark.django_db
def test_operators_see_lockouts_and_lift_them(client):
    user = factories.distributor("liftme")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(Client(), user.email, "wrong-password")
    client.force_login(factories.operator())
    page = client.get(reverse("dashboard-lockouts")).content.decode()
    assert user.email in page and "已锁定" in page
    attempt = AccessAttempt.objects.get(username=user.email)
    response = client.post(reverse("dashboard-lockout-lift", args=[attempt.pk]))
    assert response.status_code == 302
    again = Client()
    _sign_in(again, user.email, factories.PASSWORD)
    assert _signed_in(again)


@pytest.mark.django_db
def test_distributors_cannot_open_the_lockout_page(client):
    client.force_login(factories.distributor("curious"))
    assert client.get(reverse("dashboard-lockouts")).status_code == 403


def test_production_mounts_no_admin_unless_an_admin_url_is_set():
    import config.urls

    try:
        with override_settings(ADMIN_URL=""):
            clear_url_caches()
            module = importlib.reload(config.urls)
            assert not any(str(p.pattern).startswith("admin") for p in module.urlpatterns)
        with override_settings(ADMIN_URL="ops-7f3k/"):
            module = importlib.reload(config.urls)
            assert any(str(p.pattern) == "ops-7f3k/" for p in module.urlpatterns)
    finally:
        importlib.reload(config.urls)
        clear_url_caches()


@pytest.mark.django_db
def test_oscar_registration_still_signs_the_new_user_in(client):
    # Oscar's registration confirms the new password with authenticate() and no request: the
    # throttle passes such a call on instead of failing it
    response = client.post(
        "/accounts/login/",
        {
            "registration-email": "newcomer@example.cn",
            "registration-password1": "Str0ng-pass-2026",
            "registration-password2": "Str0ng-pass-2026",
            "registration_submit": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert _signed_in(client)
