"""A buyer searches on a phone (375 px, Chinese): bolts first for 螺栓, facets narrow the list."""

import pytest
from selenium.webdriver.common.by import By

from tests import factories
from tests.browser.waiting import click_and_wait

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_search_on_a_phone_in_chinese(live_server, browser, screenshot):
    bolts = factories.category("螺栓", parent=factories.category("紧固件"))
    jg = factories.supplier("jg", "苏州精工五金制品有限公司")
    hx = factories.supplier("hx", "宁波恒鑫紧固件有限公司")
    nut = factories.product("JG-HN-M8", "六角螺母 M8", "1.20", partner=jg)
    nut.description = "与M8螺栓配套使用"
    nut.save()
    factories.product("JG-HB-M8-30", "外六角螺栓 M8×30", "32.00", partner=jg, categories=(bolts,))
    factories.product("HX-SS-M10", "304不锈钢外六角螺栓 M10", "56.00", partner=hx, categories=(bolts,))

    browser.set_window_size(375, 812)
    browser.get(f"{live_server.url}/search/?q=螺栓")
    results = [li.get_attribute("data-sku") for li in browser.find_elements(By.CSS_SELECTOR, "#search-results > li")]
    assert results == ["HX-SS-M10", "JG-HB-M8-30", "JG-HN-M8"]
    assert "找到 3 个结果" in browser.find_element(By.ID, "search-count").text
    facets = browser.find_element(By.ID, "search-facets").text
    assert "供应商" in facets and "苏州精工五金制品有限公司" in facets and "(2)" in facets
    # nothing wider than the phone
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 375
    screenshot("search-phone-zh")

    supplier = browser.find_element(By.CSS_SELECTOR, f'[data-facet="supplier"] a[data-key="{hx.pk}"]')
    click_and_wait(browser, supplier)
    results = [li.get_attribute("data-sku") for li in browser.find_elements(By.CSS_SELECTOR, "#search-results > li")]
    assert results == ["HX-SS-M10"]
    assert "找到 1 个结果" in browser.find_element(By.ID, "search-count").text
