"""A supplier's staff edits a freight template and the preview calculator answers live."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from plugins.logistics.services.templates import save_template
from tests import factories
from tests.browser.waiting import click_and_wait
from tests.logistics.conftest import weight_template_input

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_template_preview_answers_as_the_supplier_types(live_server, browser, screenshot):
    jg = factories.supplier("jg", "苏州精工五金制品有限公司")
    staff = factories.supplier_staff(jg, "jgbrowser")
    template = save_template(partner=jg, data=weight_template_input())
    browser.get(f"{live_server.url}/accounts/login/")
    browser.find_element(By.NAME, "login-username").send_keys(staff.email)
    browser.find_element(By.NAME, "login-password").send_keys(factories.PASSWORD)
    click_and_wait(browser, browser.find_element(By.NAME, "login_submit"))

    browser.get(f"{live_server.url}/dashboard/logistics/templates/{template.pk}/")
    result = browser.find_element(By.ID, "preview-result")
    WebDriverWait(browser, 10).until(lambda b: "¥8.00" in result.text)  # 1 piece, no weight, 广东: first price
    browser.find_element(By.NAME, "preview-0-quantity").clear()
    browser.find_element(By.NAME, "preview-0-quantity").send_keys("3")
    browser.find_element(By.NAME, "preview-0-measure").send_keys("0.7")
    Select(browser.find_element(By.ID, "preview-province")).select_by_value("新疆维吾尔自治区")
    # 2.1 kg to 新疆: ¥20 + 2 × ¥10, by the region rule
    WebDriverWait(browser, 10).until(lambda b: "¥40.00" in result.text)
    assert "新疆" in result.text
    screenshot("freight-preview-xinjiang")
    # an unsaved change to the template shows at once, and is not saved
    browser.find_element(By.NAME, "region-0-first_price").clear()
    browser.find_element(By.NAME, "region-0-first_price").send_keys("30")
    WebDriverWait(browser, 10).until(lambda b: "¥50.00" in result.text)
    template.refresh_from_db()
    assert template.region_rules.get().first_price == 20
