"""The contracts story in headless Chromium: a company's authorised buyer places an order, its
购销合同 is made and sent; the buyer opens 我的合同, reads the contract to its end (the reading
tracker notices), asks for a code (read from the e-mail), signs with it; the platform
countersigns; the public verification page shows both signatures valid."""

import time

import pytest
from django.core import mail
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from plugins.contracts.models import Contract, DocumentStage, EvidenceKind, State
from plugins.contracts.services.contracts import create_sales_contract, issue
from plugins.contracts.services.signing import countersign
from tests import factories
from tests.browser.waiting import click_and_wait
from tests.contracts.conftest import dev_pki, pki_dir  # noqa: F401 - fixtures (the contracts tests' dev PKI)
from tests.contracts.store_helpers import authorise, contract_env, last_code  # noqa: F401 - fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("contract_env"),
]


def sign_in(browser, live_server, user):
    browser.delete_all_cookies()
    browser.get(f"{live_server.url}/accounts/login/")
    browser.find_element(By.NAME, "login-username").send_keys(user.email)
    browser.find_element(By.NAME, "login-password").send_keys(factories.PASSWORD)
    click_and_wait(browser, browser.find_element(By.NAME, "login_submit"))


def test_the_authorised_buyer_reads_and_signs_and_the_platform_countersigns(live_server, browser, screenshot):
    buyer = factories.distributor("browsersigner")
    company = factories.company(buyer, "杭州浏览器签约贸易有限公司", 71)
    authorise(company, buyer)
    products = [factories.product(f"BR-{n}", f"浏览器测试商品{n}号", "88.00") for n in range(1, 13)]
    order = factories.place_order(buyer, [(p, 3) for p in products])
    contract = create_sales_contract(order=order)  # made on commit already; this finds it
    if contract.state == State.DRAFT:
        issue(contract=contract)
    contract.refresh_from_db()
    assert contract.state == State.SENT and contract.total == order.total_incl_tax

    sign_in(browser, live_server, buyer)
    browser.get(f"{live_server.url}/accounts/profile/")
    click_and_wait(browser, browser.find_element(By.ID, "tab-contracts"))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, contract.number))
    assert company.legal_name in browser.find_element(By.ID, "contract-facts").text
    request_button = browser.find_element(By.ID, "request-code")
    assert not request_button.is_enabled()  # not read yet
    time.sleep(2)  # time on the document
    browser.execute_script("var r = document.getElementById('contract-reader'); r.scrollTop = r.scrollHeight;")
    WebDriverWait(browser, 10).until(lambda b: b.find_element(By.ID, "request-code").is_enabled())
    assert browser.find_element(By.ID, "reading-status").get_attribute("data-reached-end") == "1"
    screenshot("contract-read")
    click_and_wait(browser, browser.find_element(By.ID, "request-code"))
    WebDriverWait(browser, 10).until(lambda b: any(buyer.email in m.to for m in mail.outbox))
    contract.refresh_from_db()
    assert contract.read_to_end and contract.read_seconds >= 1

    browser.find_element(By.ID, "id_code").send_keys(last_code(buyer.email))
    browser.find_element(By.ID, "id_agree").click()
    screenshot("contract-code")
    click_and_wait(browser, browser.find_element(By.ID, "sign-button"))
    contract.refresh_from_db()
    assert contract.state == State.BUYER_SIGNED and contract.buyer_signer == buyer
    assert contract.current_document.stage == DocumentStage.BUYER_SIGNED
    assert 'data-state="buyer_signed"' in browser.page_source

    countersign(contract=contract, by=factories.operator("browseroperator"))
    contract = Contract.objects.get(pk=contract.pk)
    assert contract.state == State.EFFECTIVE
    assert contract.evidence.filter(kind=EvidenceKind.EFFECTIVE).exists()

    browser.delete_all_cookies()  # the verification page is public
    browser.get(f"{live_server.url}/contracts/verify/")
    browser.find_element(By.ID, "id_number").send_keys(contract.number)
    click_and_wait(browser, browser.find_element(By.ID, "verify-button"))
    assert browser.find_element(By.ID, "verdict").get_attribute("data-ok") == "1"
    cards = browser.find_elements(By.CSS_SELECTOR, ".signature-check")
    assert sorted(c.get_attribute("data-field") for c in cards) == ["buyer", "platform"]
    assert all(c.get_attribute("data-ok") == "1" for c in cards)
    assert company.legal_name in browser.find_element(By.CSS_SELECTOR, "[data-field=buyer]").text
    assert browser.find_element(By.ID, "private-ca").text
    screenshot("contract-verified")
