"""No page asks another host: in mainland China a blocked CDN (ajax.googleapis.com, cdn.jsdelivr.net)
leaves a page without its scripts. Chromium records every request of the storefront, the back office
and GraphiQL; any URL outside the site itself fails the test, and GraphiQL must actually start."""

from urllib.parse import urlsplit

import pytest
from oscar.core.loading import get_model
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests import factories
from tests.browser.conftest import requested_urls
from tests.browser.waiting import click_and_wait

Product = get_model("catalogue", "Product")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _foreign(urls: list[str], site: str) -> list[str]:
    own = urlsplit(site).netloc
    return [
        url for url in urls if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).netloc != own
    ]


def _sign_in(browser, site: str, user) -> None:
    browser.get(f"{site}/accounts/login/")
    browser.find_element(By.NAME, "login-username").send_keys(user.email)
    browser.find_element(By.NAME, "login-password").send_keys(factories.PASSWORD)
    click_and_wait(browser, browser.find_element(By.NAME, "login_submit"))


def test_storefront_back_office_and_graphiql_load_nothing_from_other_hosts(live_server, browser, catalogue):
    site = live_server.url
    product = Product.objects.filter(parent__isnull=True).exclude(structure="parent").first()
    requested_urls(browser)  # start from an empty log

    pages = ["/", "/catalogue/", product.get_absolute_url(), "/basket/", "/accounts/login/"]
    for path in pages:
        browser.get(f"{site}{path}")
    buyer = factories.distributor("cdnbuyer")
    _sign_in(browser, site, buyer)
    for path in ("/accounts/", "/accounts/orders/", "/checkout/"):
        browser.get(f"{site}{path}")
    seen = requested_urls(browser)
    assert any(url.endswith("jquery.min.js") for url in seen)  # the platform's own copy
    assert browser.execute_script("return typeof window.jQuery") == "function"
    assert _foreign(seen, site) == []

    browser.delete_all_cookies()
    _sign_in(browser, site, factories.operator("cdnoperator"))
    for path in ("/dashboard/", "/dashboard/orders/", "/dashboard/catalogue/products/"):
        browser.get(f"{site}{path}")
    browser.get(f"{site}/graphql/")
    # GraphiQL starts (its React bundle came from the platform) and shows its editor
    WebDriverWait(browser, 15).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".graphiql-container"))
    seen = requested_urls(browser)
    assert any("/static/vendor/graphiql/graphiql.min.js" in url for url in seen)
    assert _foreign(seen, site) == []
