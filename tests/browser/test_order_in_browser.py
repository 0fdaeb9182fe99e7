"""A distributor signs in, fills a quick order and places the order in headless Chromium."""

import pytest
from oscar.core.loading import get_model
from selenium.webdriver.common.by import By

from tests import factories
from tests.browser.waiting import click_and_wait

Order = get_model("order", "Order")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_distributor_signs_in_and_places_an_order(live_server, browser, screenshot, catalogue):
    buyer = factories.distributor("browserbuyer", province="四川省")
    browser.get(f"{live_server.url}/accounts/login/")
    browser.find_element(By.NAME, "login-username").send_keys(buyer.email)
    browser.find_element(By.NAME, "login-password").send_keys(factories.PASSWORD)
    click_and_wait(browser, browser.find_element(By.NAME, "login_submit"))
    assert "退出" in browser.page_source or "注销" in browser.page_source  # signed in, in Chinese

    click_and_wait(browser, browser.find_element(By.ID, "quick-order-link"))
    browser.find_element(By.NAME, "lines").send_keys("JG-HB-M8-30 5\nNO-SUCH 1")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#quick-order-form button[type=submit]"))
    problems = browser.find_element(By.ID, "quick-order-problems").text
    assert "第 2 行" in problems and "NO-SUCH" in problems
    screenshot("quick-order-errors")

    field = browser.find_element(By.NAME, "lines")
    field.clear()
    field.send_keys("JG-HB-M8-30 5\nDF-BV-2.5 1")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#quick-order-form button[type=submit]"))
    assert "/basket/" in browser.current_url
    assert "¥378.00" in browser.page_source  # 5 × 32.00 + 218.00
    screenshot("basket")

    browser.get(f"{live_server.url}/checkout/")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "button.ship-address"))
    browser.find_element(By.ID, "id_method_0").click()  # bank transfer
    click_and_wait(browser, browser.find_element(By.ID, "view_preview"))
    assert "银行转账" in browser.find_element(By.ID, "chosen-payment-method").text
    screenshot("preview")
    click_and_wait(browser, browser.find_element(By.ID, "place-order"))

    order = Order.objects.get(user=buyer)
    assert "/checkout/thank-you/" in browser.current_url
    page = browser.page_source
    assert str(order.number) in page and "待付款" in page and "¥378.00" in page
    assert order.shipping_address.state == "四川省"
    screenshot("thank-you")
