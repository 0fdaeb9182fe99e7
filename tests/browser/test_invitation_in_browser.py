"""A company's admin invites a buyer by e-mail in headless Chromium; the invitee opens the link
from the e-mail (in the outbox, then sent), signs up on the page and is a buyer of the company."""

import re

import pytest
from django.core import mail
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from companies.models import CompanyInvitation, CompanyMember, Consent
from core.outbox import OutboxMessage
from tests import factories
from tests.browser.waiting import click_and_wait

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_admin_invites_and_the_invitee_signs_up_from_the_link(live_server, browser, screenshot):
    admin = factories.person("browseradmin")
    company = factories.company(admin, "深圳市浏览器测试实业有限公司", 31)
    browser.get(f"{live_server.url}/accounts/login/")
    browser.find_element(By.NAME, "login-username").send_keys(admin.email)
    browser.find_element(By.NAME, "login-password").send_keys(factories.PASSWORD)
    click_and_wait(browser, browser.find_element(By.NAME, "login_submit"))

    browser.get(f"{live_server.url}/accounts/company/")
    browser.find_element(By.ID, "invite_email").send_keys("Chen.Buyer@example.cn")
    Select(browser.find_element(By.ID, "invite_role")).select_by_value("buyer")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#invite-member button[type=submit]"))
    assert "已向 chen.buyer@example.cn 发送邀请" in browser.page_source
    assert "chen.buyer@example.cn" in browser.find_element(By.ID, "invitation-table").text
    screenshot("invitation-sent")

    message = OutboxMessage.objects.get(topic="company.invitation")
    assert (message.channel, message.recipient) == ("email", "chen.buyer@example.cn")
    link = re.search(r"https?://\S+/accounts/company/invitations/\S+/", message.payload["body"]).group(0)
    assert link.startswith(live_server.url)
    sent = [m for m in mail.outbox if m.to == ["chen.buyer@example.cn"]]  # delivered after the commit
    assert sent and link in sent[0].body

    browser.delete_all_cookies()  # the invitee, on another machine
    browser.get(link)
    assert company.legal_name in browser.find_element(By.ID, "invitation-summary").text
    assert "采购员" in browser.find_element(By.ID, "invitation-summary").text
    form = browser.find_element(By.ID, "invitation-signup")
    email = form.find_element(By.NAME, "email")
    assert email.get_attribute("value") == "chen.buyer@example.cn"
    form.find_element(By.NAME, "password1").send_keys("Chen-pass-2026!")
    form.find_element(By.NAME, "password2").send_keys("Chen-pass-2026!")
    form.find_element(By.NAME, "mobile").send_keys("13926512360")
    click_and_wait(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "请同意" in browser.page_source  # the consent is missing: said, nothing saved
    assert not CompanyMember.objects.filter(user__email="chen.buyer@example.cn").exists()
    screenshot("invitation-consent-missing")

    form = browser.find_element(By.ID, "invitation-signup")
    form.find_element(By.NAME, "password1").send_keys("Chen-pass-2026!")
    form.find_element(By.NAME, "password2").send_keys("Chen-pass-2026!")
    form.find_element(By.NAME, "consent").click()
    click_and_wait(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "/accounts/company/" in browser.current_url
    assert "欢迎" in browser.page_source and "采购员" in browser.find_element(By.ID, "my-role").text
    screenshot("invitation-joined")

    member = CompanyMember.objects.get(user__email="chen.buyer@example.cn")
    assert (member.company, member.role, member.is_active, member.added_by) == (company, "buyer", True, admin)
    assert Consent.objects.filter(user=member.user, context="company_invitation").exists()
    assert CompanyInvitation.objects.get().status == "accepted"
