"""Issue 13's "done when", tried as a new user would, in headless Chromium: the distributor finds
bolts for 螺栓, orders 50 at the break price from the product page with a PO number and a delivery
note on an address picked 省 → 市 → 区县; the supplier reads the note and ships in two parcels;
the buyer sees what is shipped and outstanding, confirms receipt and returns one line; the
supplier approves the return."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from plugins.member_tiers.models import Membership
from tests import factories
from tests.browser.test_address_picker_in_browser import pick
from tests.browser.waiting import click_and_wait
from tests.member_tiers.conftest import make_tier, rule

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in(browser, live_server, user) -> None:
    browser.delete_all_cookies()
    browser.get(f"{live_server.url}/accounts/login/")
    browser.find_element(By.NAME, "login-username").send_keys(user.email)
    browser.find_element(By.NAME, "login-password").send_keys(factories.PASSWORD)
    click_and_wait(browser, browser.find_element(By.NAME, "login_submit"))


def confirm_and_wait(browser, button) -> None:
    """Click a button whose form asks first (data-confirm), say yes, wait for the next page."""
    old_page = browser.find_element(By.TAG_NAME, "html")
    button.click()
    WebDriverWait(browser, 5).until(lambda b: b.switch_to.alert).accept()
    WebDriverWait(browser, 15).until(lambda b: b.find_element(By.TAG_NAME, "html") != old_page)
    WebDriverWait(browser, 15).until(lambda b: b.execute_script("return document.readyState") == "complete")


def part_line(browser, sku: str) -> tuple[str, str]:
    row = browser.find_element(By.CSS_SELECTOR, f'#supplier-parts tr[data-sku="{sku}"]')
    return row.find_element(By.CLASS_NAME, "shipped").text, row.find_element(By.CLASS_NAME, "outstanding").text


def test_order_ship_in_two_parcels_confirm_and_return_a_line(live_server, browser, screenshot, catalogue):
    jg = catalogue["suppliers"]["jg"]
    anchor = factories.product("JG-AB-M6", "膨胀螺栓 M6", "13.80", 500, jg)
    StockRecord.objects.filter(product=anchor).update(min_order_quantity=10, pack_multiple=5)
    buyer = factories.distributor("journey", province="四川省")
    gold = make_tier("gold", "金牌", 3, "5")
    Membership.objects.create(company=factories.company_of(buyer), tier=gold)
    rule(tier=gold, product=anchor, kind="fixed", value=Decimal("12.40"), min_quantity=50)
    factories.credit_line(buyer, limit="20000.00")
    staff = factories.supplier_staff(jg, "journeyjg")

    # search: bolts before nuts for 螺栓
    sign_in(browser, live_server, buyer)
    browser.get(f"{live_server.url}/search/?q=螺栓")
    skus = [li.get_attribute("data-sku") for li in browser.find_elements(By.CSS_SELECTOR, "#search-results > li")]
    assert set(skus[:2]) == {"JG-AB-M6", "JG-HB-M8-30"}  # the bolts, before the nut

    # 50 at the break price from the product page, and a second line from the same supplier
    browser.get(f"{live_server.url}{anchor.get_absolute_url()}")
    quantity = browser.find_element(By.CSS_SELECTOR, "#add_to_basket_form input[name=quantity]")
    quantity.clear()
    quantity.send_keys("50")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#add_to_basket_form button[type=submit]"))
    browser.get(f"{live_server.url}{catalogue['nut'].get_absolute_url()}")
    quantity = browser.find_element(By.CSS_SELECTOR, "#add_to_basket_form input[name=quantity]")
    quantity.clear()
    quantity.send_keys("4")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#add_to_basket_form button[type=submit]"))

    # a new address picked 省 → 市 → 区县, with a delivery note for the supplier
    browser.get(f"{live_server.url}/checkout/shipping-address/")
    form = browser.find_element(By.NAME, "line1").find_element(By.XPATH, "./ancestor::form")
    form.find_element(By.NAME, "last_name").send_keys("王小明")
    form.find_element(By.NAME, "phone_number").send_keys("13808012346")
    Select(form.find_element(By.CSS_SELECTOR, 'select[data-region="province"]')).select_by_visible_text("广东省")
    pick(browser, "city", "深圳市")
    pick(browser, "district", "南山区")
    form.find_element(By.NAME, "line1").send_keys("科技园路2号")
    form.find_element(By.NAME, "postcode").send_keys("518057")
    form.find_element(By.NAME, "notes").send_keys("工作日送货，前台签收")
    click_and_wait(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    browser.find_element(By.CSS_SELECTOR, "input[value=on-account]").click()
    click_and_wait(browser, browser.find_element(By.ID, "view_preview"))
    browser.find_element(By.NAME, "purchase_order_number").send_keys("PO-2026-1129")
    click_and_wait(browser, browser.find_element(By.ID, "place-order"))
    assert "/checkout/thank-you/" in browser.current_url

    order = Order.objects.get(user=buyer)
    assert order.total_incl_tax == Decimal("695.24")  # 50 × ¥12.40 (break) + 4 × ¥18.81 (gold: 5 % off ¥19.80)
    so = order.supplier_orders.get()
    assert so.buyer_note == "工作日送货，前台签收"

    # the supplier lands in the portal, reads the note, accepts and ships 30 of the 50 bolts
    sign_in(browser, live_server, staff)
    assert "/dashboard/supplier/" in browser.current_url
    browser.get(f"{live_server.url}/dashboard/supplier/orders/{so.number}/")
    assert browser.find_element(By.ID, "so-delivery-notes").text == "工作日送货，前台签收"
    assert browser.find_element(By.ID, "so-po-number").text == "PO-2026-1129"
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form input[value=accept] ~ button"))
    lines = {line.sku: line for line in so.lines.all()}
    Select(browser.find_element(By.NAME, "carrier")).select_by_value("sf")
    browser.find_element(By.NAME, "tracking_numbers").send_keys("SF1234567890001")
    anchor_qty = browser.find_element(By.NAME, f"qty_{lines['JG-AB-M6'].pk}")
    anchor_qty.clear()
    anchor_qty.send_keys("30")
    browser.find_element(By.NAME, f"qty_{lines['JG-HN-M8'].pk}").clear()  # not in this parcel
    screenshot("journey-partial-ship")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form input[value=ship] ~ button"))
    so.refresh_from_db()
    assert so.state == "partially_shipped"

    # the buyer sees what is shipped and what is outstanding
    sign_in(browser, live_server, buyer)
    browser.get(f"{live_server.url}/accounts/orders/{order.number}/")
    assert part_line(browser, "JG-AB-M6") == ("30", "20")
    assert part_line(browser, "JG-HN-M8") == ("0", "4")
    assert not browser.find_elements(By.CSS_SELECTOR, "button.confirm-receipt")  # not all shipped yet
    screenshot("journey-partly-shipped")

    # the supplier ships the rest; the buyer confirms receipt
    sign_in(browser, live_server, staff)
    browser.get(f"{live_server.url}/dashboard/supplier/orders/{so.number}/")
    Select(browser.find_element(By.NAME, "carrier")).select_by_value("sf")
    browser.find_element(By.NAME, "tracking_numbers").send_keys("SF1234567890002")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form input[value=ship] ~ button"))
    so.refresh_from_db()
    assert so.state == "shipped"

    sign_in(browser, live_server, buyer)
    browser.get(f"{live_server.url}/accounts/orders/{order.number}/")
    assert part_line(browser, "JG-AB-M6") == ("50", "0")
    confirm_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "button.confirm-receipt"))
    so.refresh_from_db()
    order.refresh_from_db()
    assert so.state == "completed" and order.status == "Complete"

    # ... and returns the nuts
    browser.get(f"{live_server.url}/accounts/orders/{order.number}/")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, f'tr[data-number="{so.number}"] a.apply-aftersales'))
    form = browser.find_element(By.ID, "aftersales-form")
    form.find_element(By.CSS_SELECTOR, "input[name=kind][value=return]").click()
    Select(form.find_element(By.NAME, "reason")).select_by_value("quality")
    nuts = form.find_element(By.NAME, f"quantity_{lines['JG-HN-M8'].pk}")
    nuts.clear()
    nuts.send_keys("4")
    screenshot("journey-aftersales-form")
    click_and_wait(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    request = so.aftersales_requests.get()
    assert request.state == "requested" and request.refund_amount == Decimal("75.24")  # what was paid for the 4 nuts

    # the supplier approves the return in the portal
    sign_in(browser, live_server, staff)
    browser.get(f"{live_server.url}/dashboard/aftersales/{request.number}/")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#aftersales-approve button"))
    request.refresh_from_db()
    assert request.state == "approved"
    screenshot("journey-aftersales-approved")
