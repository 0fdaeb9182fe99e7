"""A distributor orders 50 pieces at the break price from the product page and gives a PO number,
in headless Chromium (issue 13, items 2 and 3)."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model
from selenium.webdriver.common.by import By

from plugins.member_tiers.models import Membership
from tests import factories
from tests.browser.waiting import click_and_wait
from tests.member_tiers.conftest import make_tier, rule

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_fifty_pieces_at_the_break_price_with_a_po_number(live_server, browser, screenshot, catalogue):
    anchor = factories.product("JG-AB-M6", "膨胀螺栓 M6", "13.80", 500, catalogue["suppliers"]["jg"])
    StockRecord.objects.filter(product=anchor).update(min_order_quantity=10, pack_multiple=5)
    buyer = factories.distributor("b2bbrowser", province="四川省")
    gold = make_tier("gold", "金牌", 3, "5")
    Membership.objects.create(company=factories.company_of(buyer), tier=gold)
    rule(tier=gold, product=anchor, kind="fixed", value=Decimal("13.10"), min_quantity=10)
    rule(tier=gold, product=anchor, kind="fixed", value=Decimal("12.40"), min_quantity=50)
    factories.credit_line(buyer, limit="20000.00")

    browser.get(f"{live_server.url}/accounts/login/")
    browser.find_element(By.NAME, "login-username").send_keys(buyer.email)
    browser.find_element(By.NAME, "login-password").send_keys(factories.PASSWORD)
    click_and_wait(browser, browser.find_element(By.NAME, "login_submit"))

    # the product page: supplier, terms, the buyer's breaks, a quantity input from the minimum
    browser.get(f"{live_server.url}{anchor.get_absolute_url()}")
    assert browser.find_element(By.ID, "product-supplier").text == "苏州精工五金制品有限公司"
    assert browser.find_element(By.ID, "product-moq").text == "10 件"
    rows = [
        [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
        for row in browser.find_elements(By.CSS_SELECTOR, "#price-breaks tbody tr")
    ]
    assert rows == [["≥10", "¥13.10"], ["≥50", "¥12.40"]]
    quantity = browser.find_element(By.CSS_SELECTOR, "#add_to_basket_form input[name=quantity]")
    assert (quantity.get_attribute("value"), quantity.get_attribute("min"), quantity.get_attribute("step")) == (
        "10",
        "10",
        "5",
    )
    screenshot("b2b-product-page")
    quantity.clear()
    quantity.send_keys("50")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#add_to_basket_form button[type=submit]"))

    browser.get(f"{live_server.url}/basket/")
    page = browser.page_source
    assert "¥12.40" in page and "¥620.00" in page  # 50 × the ≥50 break
    assert "JG-AB-M6" in page and "苏州精工五金制品有限公司" in page
    assert "加入购物车以来" not in page  # a quantity break is not a price change
    screenshot("b2b-basket")

    browser.get(f"{live_server.url}/checkout/")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "button.ship-address"))
    note = browser.find_element(By.CSS_SELECTOR, "#method-on-account .method-note").text
    assert "可用额度 ¥20,000.00" in note and "¥620.00" in note
    browser.find_element(By.CSS_SELECTOR, "input[value=on-account]").click()
    click_and_wait(browser, browser.find_element(By.ID, "view_preview"))
    browser.find_element(By.NAME, "purchase_order_number").send_keys("PO-2026-0815")
    browser.find_element(By.NAME, f"remark_{catalogue['suppliers']['jg'].pk}").send_keys("请随货附质检报告")
    screenshot("b2b-preview")
    click_and_wait(browser, browser.find_element(By.ID, "place-order"))

    assert "/checkout/thank-you/" in browser.current_url
    assert "PO-2026-0815" in browser.find_element(By.ID, "order-po-number").text
    order = Order.objects.get(user=buyer)
    assert order.purchase_order_number == "PO-2026-0815"
    assert order.total_incl_tax == Decimal("620.00")
    so = order.supplier_orders.get()
    assert so.buyer_remark == "请随货附质检报告" and so.lines.get().unit_price == Decimal("12.40")
    screenshot("b2b-thank-you")
