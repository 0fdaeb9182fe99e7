"""No page breaks the Content-Security-Policy: Chromium walks the main pages of the storefront, the
back office, the supplier portal and GraphiQL, and any violation it reports in the console (a
refused inline script, handler, style or a foreign source) fails the test. The pages must also still
work under the policy: Oscar's onload block runs (it carries the nonce), GraphiQL starts and
answers a query, the freight template preview (a static file now) answers."""

import pytest
from oscar.core.loading import get_model
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from plugins.logistics.services.templates import save_template
from tests import factories
from tests.browser.waiting import click_and_wait
from tests.logistics.conftest import weight_template_input

Product = get_model("catalogue", "Product")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def violations(browser) -> list[str]:
    """The console messages since the last call that report a Content-Security-Policy violation."""
    return [
        entry["message"]
        for entry in browser.get_log("browser")
        if "Content Security Policy" in entry["message"] or "Content-Security-Policy" in entry["message"]
    ]


def sign_in(browser, site: str, user) -> None:
    browser.delete_all_cookies()
    browser.get(f"{site}/accounts/login/")
    browser.find_element(By.NAME, "login-username").send_keys(user.email)
    browser.find_element(By.NAME, "login-password").send_keys(factories.PASSWORD)
    click_and_wait(browser, browser.find_element(By.NAME, "login_submit"))


def walk(browser, site: str, paths: list[str]) -> dict[str, list[str]]:
    refused = {}
    for path in paths:
        browser.get(f"{site}{path}")
        WebDriverWait(browser, 10).until(lambda b: b.execute_script("return document.readyState") == "complete")
        # Oscar's onload block ran: it is the one inline script, allowed by its nonce
        assert browser.execute_script("return typeof window.jQuery") == "function", path
        found = violations(browser)
        if found:
            refused[path] = found
    return refused


def test_no_page_of_the_main_areas_reports_a_policy_violation(live_server, browser, catalogue):
    site = live_server.url
    product = catalogue["bolt"]
    jg = catalogue["suppliers"]["jg"]
    template = save_template(partner=jg, data=weight_template_input())
    violations(browser)  # start from an empty console
    refused = walk(browser, site, ["/catalogue/", product.get_absolute_url(), "/basket/", "/accounts/login/"])

    sign_in(browser, site, factories.distributor("cspwalker"))
    browser.get(f"{site}{product.get_absolute_url()}")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#add_to_basket_form button[type=submit]"))
    refused |= walk(
        browser,
        site,
        [
            "/basket/",
            "/quick-order/",
            "/accounts/profile/",
            "/accounts/orders/",
            "/accounts/addresses/add/",
            "/checkout/",
        ],
    )

    sign_in(browser, site, factories.operator("cspoperator"))
    refused |= walk(
        browser,
        site,
        [
            "/dashboard/",
            "/dashboard/orders/",
            "/dashboard/catalogue/",
            f"/dashboard/catalogue/products/{product.pk}/",
            "/dashboard/partners/",
            "/dashboard/logistics/templates/",
        ],
    )
    # Oscar's image widget has no inline handlers now: a picked image still hides its upload button
    browser.get(f"{site}/dashboard/catalogue/products/{product.pk}/")
    assert browser.execute_script("return document.querySelectorAll('.image-input img[onload]').length") == 0
    browser.execute_script(
        "document.querySelector('.image-input img[data-error-message]').src = 'data:image/png;base64,"
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';"
    )
    WebDriverWait(browser, 10).until(
        lambda b: (
            b.execute_script(
                "var img = document.querySelector('.image-input img[data-error-message]');"
                "return document.getElementById('upload_button_' + img.closest('.image-input').id).style.display"
            )
            == "none"
        )
    )
    refused |= {"image widget": found} if (found := violations(browser)) else {}

    sign_in(browser, site, factories.supplier_staff(jg, "cspsupplier"))
    refused |= walk(
        browser,
        site,
        [
            "/dashboard/supplier/orders/",
            "/dashboard/supplier/products/",
            "/dashboard/supplier/products/new/",
            "/dashboard/supplier/legal/",
            "/dashboard/logistics/templates/",
        ],
    )
    # the freight preview script is a static file now, and still answers as the page opens
    browser.get(f"{site}/dashboard/logistics/templates/{template.pk}/")
    result = browser.find_element(By.ID, "preview-result")
    WebDriverWait(browser, 10).until(lambda b: "¥8.00" in result.text)
    refused |= {"freight preview": found} if (found := violations(browser)) else {}

    sign_in(browser, site, factories.operator("cspgraphiql"))
    browser.get(f"{site}/graphql/")
    WebDriverWait(browser, 15).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".graphiql-container"))
    # its settings came from the page's data attributes (no inline script) and a query runs
    assert browser.execute_script("return window.GRAPHENE_SETTINGS.graphiqlHeaderEditorEnabled") is True
    answer = browser.execute_async_script(
        "var done = arguments[0];"
        "fetch('/graphql/', {method: 'POST', credentials: 'same-origin', headers: {'Content-Type': 'application/json',"
        " 'X-CSRFToken': document.querySelector('[name=csrfmiddlewaretoken]').value},"
        " body: JSON.stringify({query: '{ __typename }'})}).then(r => r.json()).then(done, e => done(String(e)));"
    )
    assert answer == {"data": {"__typename": "Query"}}
    refused |= {"/graphql/": found} if (found := violations(browser)) else {}

    assert refused == {}, "\n".join(f"{path}: {message}" for path, found in refused.items() for message in found)


def test_a_violation_is_seen_by_this_test(live_server, browser, db):
    """The console check is real: an inline script the policy refuses shows up in it."""
    browser.get(f"{live_server.url}/accounts/login/")
    violations(browser)
    browser.execute_script(
        "var s = document.createElement('script'); s.textContent = 'window.ran = 1'; document.body.appendChild(s);"
    )
    assert browser.execute_script("return window.ran") is None
    assert violations(browser)
