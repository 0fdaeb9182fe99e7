"""The customers area's charts draw offline in a real Chromium (the vendored ECharts): the funnel,
the cycle histogram, the value-grade pie and the RFM scatter, with screenshots under
SCREENSHOT_DIR."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests import factories
from tests.bigdata.test_customers_reference import add_companies, new_world
from tests.browser.conftest import browser, screenshot  # noqa: F401  (the browser tests' fixtures)
from tests.browser.waiting import click_and_wait

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
YEAR = "?start=2025-01-01&end=2025-12-31"


def test_the_customer_charts_draw_in_a_browser(live_server, browser, screenshot):  # noqa: F811
    made = new_world()
    add_companies(made, 16, seed=5)
    operator = factories.operator()
    browser.get(f"{live_server.url}/accounts/login/")
    browser.find_element(By.NAME, "login-username").send_keys(operator.email)
    browser.find_element(By.NAME, "login-password").send_keys(factories.PASSWORD)
    click_and_wait(browser, browser.find_element(By.NAME, "login_submit"))

    for path, charts in (
        ("funnel", ["funnel"]),
        ("cycle", ["cycle"]),
        ("value", ["grades", "rfm"]),
    ):
        browser.get(f"{live_server.url}/dashboard/analytics/customers/{path}/{YEAR}")
        for name in charts:
            chart = browser.find_element(By.ID, f"chart-{name}")
            WebDriverWait(browser, 20).until(lambda b, c=chart: c.get_attribute("data-rendered") == "1")
            assert chart.find_elements(By.TAG_NAME, "canvas")
        screenshot(f"analytics-customers-{path}")
    assert "重要价值客户" in browser.page_source
