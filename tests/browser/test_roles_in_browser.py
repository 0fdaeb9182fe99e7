"""Roles land where they work, seen in Chromium: supplier staff who sign in on the storefront's
form are in their portal, whose header shows the platform's logo (the image loads) and name; a
missing page is the platform's styled 404 with the same header, in Chinese. Screenshots:
roles-portal-header.png, roles-404.png (SCREENSHOT_DIR)."""

import pytest
from django.conf import settings
from django.urls import reverse
from selenium.webdriver.common.by import By

from tests import factories
from tests.browser.waiting import click_and_wait
from tests.s2b2b_orders.conftest import make_supplier

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _logo_loaded(browser) -> bool:
    """The platform's logo has loaded and shows on the page (not pushed off it or hidden)."""
    return browser.execute_script(
        "const img = document.getElementById('platform-logo');"
        "if (!img || !img.complete || img.naturalWidth === 0) return false;"
        "const r = img.getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0"
    )


def _shows_no_oscar_logo(browser) -> bool:
    return browser.execute_script(
        "return !getComputedStyle(document.getElementById('platform-brand')).backgroundImage.includes('oscar')"
    )


def test_supplier_lands_in_the_portal_under_the_platforms_logo_and_a_404_is_styled(live_server, browser, screenshot):
    site = live_server.url
    staff = factories.supplier_staff(make_supplier("jg", "苏州精工五金制品有限公司"), "jgstaff")

    browser.get(f"{site}/accounts/login/")
    browser.find_element(By.NAME, "login-username").send_keys(staff.email)
    browser.find_element(By.NAME, "login-password").send_keys(factories.PASSWORD)
    click_and_wait(browser, browser.find_element(By.NAME, "login_submit"))
    assert browser.current_url == f"{site}{reverse('s2b2b-portal-orders')}"
    brand = browser.find_element(By.ID, "platform-brand")
    assert settings.PLATFORM_NAME in brand.text and brand.rect["x"] >= 0  # the name is shown, not indented away
    assert _logo_loaded(browser) and _shows_no_oscar_logo(browser)
    assert settings.PLATFORM_NAME in browser.title
    screenshot("roles-portal-header")

    browser.get(f"{site}/no-such-page/")
    assert browser.find_element(By.ID, "error-title").text == "页面不存在"
    assert _logo_loaded(browser)
    way_back = browser.find_element(By.ID, "error-way-back")
    assert way_back.get_attribute("href") == f"{site}{reverse('s2b2b-portal-orders')}"
    screenshot("roles-404")
    click_and_wait(browser, way_back)
    assert browser.current_url == f"{site}{reverse('s2b2b-portal-orders')}"
