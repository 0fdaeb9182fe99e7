"""The ABC charts drawn in a real browser (headless Chromium, offline, under the site's
Content-Security-Policy): the Pareto chart and the ABC-XYZ matrix render, nothing is fetched from
another host and the console shows no error. Screenshots go to $SCREENSHOT_DIR when set."""

from datetime import date, timedelta
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests import factories
from tests.bigdata.test_abc_runs import sell
from tests.browser.conftest import browser, requested_urls, screenshot  # noqa: F401  (fixtures)
from tests.browser.waiting import click_and_wait

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_pareto_chart_and_the_matrix_render_offline(live_server, browser, screenshot):  # noqa: F811
    sup = factories.supplier("abc", "测试供应商")
    today = timezone.localdate()
    for k, yuan in enumerate((900, 400, 200, 120, 80, 40, 20, 10), start=1):
        product = factories.product(f"ABC-{k}", f"商品{k}", partner=sup)
        for months_back in range(k % 4 + 1):
            sell(product, yuan, today - timedelta(days=30 * months_back), supplier_id=sup.pk, quantity=k)
    op = factories.operator("abcbrowser")
    browser.get(f"{live_server.url}/accounts/login/")
    browser.find_element(By.NAME, "login-username").send_keys(op.email)
    browser.find_element(By.NAME, "login-password").send_keys(factories.PASSWORD)
    click_and_wait(browser, browser.find_element(By.NAME, "login_submit"))
    requested_urls(browser)  # forget the login's requests

    start = date(today.year - 1, today.month, 1).isoformat()
    for path, charts, name in (
        (f"/dashboard/analytics/abc/?start={start}", ["chart-pareto"], "abc-pareto"),
        (f"/dashboard/analytics/abc/?start={start}&scope=supplier", ["chart-groups"], "abc-per-supplier"),
        (f"/dashboard/analytics/abc/xyz/?start={start}", ["chart-matrix"], "abc-xyz-matrix"),
    ):
        browser.get(f"{live_server.url}{path}")
        for chart in charts:
            element = browser.find_element(By.ID, chart)
            WebDriverWait(browser, 20).until(lambda b, e=element: e.get_attribute("data-rendered") == "1")
            assert element.find_element(By.TAG_NAME, "canvas").size["height"] > 100
        assert "ABC-1" in browser.find_element(By.ID, "table-products").text
        screenshot(name)
        hosts = {urlparse(u).netloc for u in requested_urls(browser) if u.startswith("http")}
        assert hosts <= {urlparse(live_server.url).netloc}, hosts
        errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == [], errors
