"""The cascading 省 / 市 / 区县 lists in headless Chromium: a distributor adds an address to the
address book by picking 广东省 → 深圳市 → 南山区, on a desktop and at phone width (375 px); the
lists come from the platform's own data file (no other host is asked) and the address is saved
with the names picked."""

import pytest
from oscar.core.loading import get_model
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests import factories
from tests.browser.conftest import requested_urls
from tests.browser.waiting import click_and_wait

UserAddress = get_model("address", "UserAddress")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def pick(browser, level: str, name: str) -> None:
    """Choose ``name`` in the list for ``level`` once the picker has filled it."""
    css = f'select[data-region-list="{level}"]'
    WebDriverWait(browser, 10).until(
        lambda b: any(o.text == name for o in b.find_elements(By.CSS_SELECTOR, f"{css} option"))
    )
    Select(browser.find_element(By.CSS_SELECTOR, css)).select_by_visible_text(name)


@pytest.mark.parametrize(("width", "height", "label"), [(1280, 1600, "desktop"), (375, 812, "phone")])
def test_a_distributor_picks_province_city_and_district(live_server, browser, screenshot, width, height, label):
    buyer = factories.distributor(f"picker{label}", province="四川省")
    browser.set_window_size(width, height)
    browser.get(f"{live_server.url}/accounts/login/")
    browser.find_element(By.NAME, "login-username").send_keys(buyer.email)
    browser.find_element(By.NAME, "login-password").send_keys(factories.PASSWORD)
    click_and_wait(browser, browser.find_element(By.NAME, "login_submit"))
    requested_urls(browser)  # from here on

    browser.get(f"{live_server.url}/accounts/addresses/add/")
    browser.find_element(By.NAME, "last_name").send_keys("王小明")
    browser.find_element(By.NAME, "phone_number").send_keys("13808012346")
    Select(browser.find_element(By.CSS_SELECTOR, 'select[data-region="province"]')).select_by_visible_text("广东省")
    pick(browser, "city", "深圳市")
    pick(browser, "district", "南山区")
    # the text inputs gave way to the lists; changing the city empties the district
    assert not browser.find_element(By.CSS_SELECTOR, 'input[data-region="district"]').is_displayed()
    browser.find_element(By.NAME, "line1").send_keys("科技园路2号")
    browser.find_element(By.NAME, "postcode").send_keys("518057")
    for level in ("province", "city", "district"):
        css = f'[data-region="{level}"]' if level == "province" else f'select[data-region-list="{level}"]'
        box = browser.find_element(By.CSS_SELECTOR, css).rect
        assert box["x"] >= 0 and box["x"] + box["width"] <= width  # the lists fit the screen
    screenshot(f"address-picker-{label}")

    form = browser.find_element(By.NAME, "line1").find_element(By.XPATH, "./ancestor::form")
    click_and_wait(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    saved = UserAddress.objects.get(user=buyer, line1="科技园路2号")
    assert (saved.state, saved.line4, saved.line3, saved.postcode) == ("广东省", "深圳市", "南山区", "518057")
    host = live_server.url.split("//", 1)[1]
    foreign = [u for u in requested_urls(browser) if u.startswith("http") and f"//{host}" not in u]
    assert foreign == []
