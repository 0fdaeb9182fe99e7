"""Purchase approval in headless Chromium: a company's buyer places a large order on account, it
waits for approval with its credit held; the company's approver opens 企业中心 → 采购审批,
approves it with a comment, and the order is placed as the buyer."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model
from selenium.webdriver.common.by import By

from companies.approvals.models import ApprovalRequest
from companies.approvals.services import create_rule
from companies.services.people import add_member
from plugins.member_tiers.models import CreditAccount
from tests import factories
from tests.browser.waiting import click_and_wait

Order = get_model("order", "Order")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in(browser, live_server, user):
    browser.delete_all_cookies()
    browser.get(f"{live_server.url}/accounts/login/")
    browser.find_element(By.NAME, "login-username").send_keys(user.email)
    browser.find_element(By.NAME, "login-password").send_keys(factories.PASSWORD)
    click_and_wait(browser, browser.find_element(By.NAME, "login_submit"))


def test_a_large_order_waits_for_the_approver_and_is_placed_once_approved(live_server, browser, screenshot, catalogue):
    admin = factories.distributor("browseradmin", province="四川省")
    company = factories.company(admin, "成都浏览器测试贸易有限公司", 61)
    buyer = factories.person("browserbuyer", province="四川省")
    approver = factories.person("browserapprover", province="四川省")
    add_member(company=company, user=buyer, role="buyer", by=admin)
    add_member(company=company, user=approver, role="approver", by=admin)
    create_rule(
        company=company, by=admin, kind="order_total", threshold=Decimal("300.00"), approver_role="approver", step=1
    )
    factories.credit_line(buyer, limit="5000.00")

    sign_in(browser, live_server, buyer)
    click_and_wait(browser, browser.find_element(By.ID, "quick-order-link"))
    browser.find_element(By.NAME, "lines").send_keys("JG-HB-M8-30 5\nDF-BV-2.5 1")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#quick-order-form button[type=submit]"))
    assert "¥378.00" in browser.page_source
    browser.get(f"{live_server.url}/checkout/")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "button.ship-address"))
    browser.find_element(By.CSS_SELECTOR, "input[name=method][value=on-account]").click()
    click_and_wait(browser, browser.find_element(By.ID, "view_preview"))
    click_and_wait(browser, browser.find_element(By.ID, "place-order"))

    approval = ApprovalRequest.objects.get()
    assert "已提交审批" in browser.find_element(By.ID, "approval-submitted").text
    assert approval.number in browser.page_source
    assert Order.objects.count() == 0
    assert CreditAccount.objects.get(membership__company__members__user=buyer).balance == Decimal("378.00")
    screenshot("approval-submitted")

    sign_in(browser, live_server, approver)
    browser.get(f"{live_server.url}/accounts/company/")
    click_and_wait(browser, browser.find_element(By.ID, "nav-approvals"))
    waiting = browser.find_element(By.ID, "waiting-table").text
    assert approval.number in waiting and "378.00" in waiting
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, approval.number))
    assert "待审批" in browser.find_element(By.ID, "approval-status").text
    browser.find_element(By.NAME, "comment").send_keys("同意采购")
    screenshot("approval-detail")
    click_and_wait(browser, browser.find_element(By.ID, "approve"))

    order = Order.objects.get()
    approval.refresh_from_db()
    assert approval.status == "approved" and approval.order == order
    assert order.user == buyer and order.total_incl_tax == Decimal("378.00")
    assert order.number in browser.find_element(By.ID, "approval-order").text
    assert "已审批并下单" in browser.find_element(By.ID, "approval-status").text
    assert CreditAccount.objects.get(membership__company__members__user=buyer).balance == Decimal("378.00")  # held once
    screenshot("approved")
