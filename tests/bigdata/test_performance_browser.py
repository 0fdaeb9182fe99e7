"""The performance pages in a real browser: the trend line chart and the score bar chart are drawn
by the vendored ECharts (offline: nothing from another host), the dimension switch reloads the
leaderboard, and a salesperson's page shows only their own line."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from plugins.bigdata.performance.models import SalesTarget
from plugins.bigdata.services.facts import write
from tests import factories
from tests.bigdata.generated import generate
from tests.browser.conftest import browser, requested_urls, screenshot  # noqa: F401 (fixtures)
from tests.browser.waiting import click_and_wait

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PERIOD = "?start=2025-01-01&end=2025-12-31"


def sign_in(browser, live_server, user):  # noqa: F811 (the fixture, passed in)
    browser.get(f"{live_server.url}/accounts/login/")
    browser.find_element(By.NAME, "login-username").send_keys(user.email)
    browser.find_element(By.NAME, "login-password").send_keys(factories.PASSWORD)
    click_and_wait(browser, browser.find_element(By.NAME, "login_submit"))


def drawn(browser, element_id: str) -> None:  # noqa: F811 (the fixture, passed in)
    WebDriverWait(browser, 15).until(lambda b: b.find_element(By.ID, element_id).get_attribute("data-rendered") == "1")


def test_the_charts_are_drawn_offline_and_the_switch_changes_the_leaderboard(live_server, browser, screenshot):  # noqa: F811
    write(generate(orders=300))
    User = get_user_model()
    for pk in (501, 502, 503):
        person = User.objects.create_user(f"sp{pk}", f"sp{pk}@example.cn", factories.PASSWORD, pk=pk, is_staff=True)
        SalesTarget.objects.create(
            owner_kind="salesperson",
            salesperson=person,
            level="month",
            period_start=date(2025, 6, 1),
            revenue=Decimal(300000 * (pk - 500)),
            new_customers=2,
        )
    operator = factories.operator("op")
    sign_in(browser, live_server, operator)
    requested_urls(browser)

    browser.get(f"{live_server.url}/dashboard/analytics/performance/{PERIOD}")
    drawn(browser, "chart-trend")
    rows = browser.find_elements(By.CSS_SELECTOR, "#table-leaderboard tbody tr")
    assert len(rows) == 4  # three salespeople and the sales credited to nobody
    screenshot("performance-by-salesperson")
    Select(browser.find_element(By.ID, "id_dimension")).select_by_value("tier")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#analytics-filters button[type=submit]"))
    drawn(browser, "chart-trend")
    tiers = [
        r.find_elements(By.TAG_NAME, "td")[1].text
        for r in browser.find_elements(By.CSS_SELECTOR, "#table-leaderboard tbody tr")
    ]
    assert {"gold", "regular", "silver"} <= set(tiers) and len(tiers) == 4  # and the edge cases' unknown tier

    browser.get(f"{live_server.url}/dashboard/analytics/performance/targets/{PERIOD}")
    drawn(browser, "chart-scores")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#table-targets tbody tr")) == 3
    screenshot("performance-targets")
    foreign = [u for u in requested_urls(browser) if not u.startswith((live_server.url, "data:", "blob:"))]
    assert foreign == []
