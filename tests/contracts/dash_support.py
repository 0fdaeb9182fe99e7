"""Data for the back-office and GraphQL tests of contracts: a platform operator, a company of one
(its admin buys and is authorised to sign), real orders, contracts made, sent and signed through
the workflow services with the development PKI (``dev_pki`` of tests/contracts/conftest.py)."""

from __future__ import annotations

import json
import re

from django.core import mail
from django.test import Client

from plugins.contracts.services import contracts as contract_services
from plugins.contracts.services import documents, seals, signing
from plugins.contracts.services.evidence import Origin
from tests import factories


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def graphql(user, query: str, variables: dict | None = None) -> dict:
    client = client_for(user) if user is not None else Client()
    response = client.post(
        "/graphql/", json.dumps({"query": query, "variables": variables or {}}), content_type="application/json"
    )
    return response.json()


def templates() -> None:
    from plugins.contracts.services.templates import ensure_default_templates

    ensure_default_templates()


class World:
    """An operator; company A (its admin ``buyer``, authorised to sign without a cap) with two
    orders; company B (its admin ``other``) with one order; supplier staff."""

    def __init__(self, key: str = ""):
        templates()
        self.operator = factories.operator(f"operator{key}")
        self.jg = factories.supplier(f"jg{key}", "苏州精工五金制品有限公司")
        self.bolt = factories.product(f"JG-HB-M8-30{key}", "外六角螺栓 M8×30", "32.00", 500, self.jg)
        self.nut = factories.product(f"JG-HN-M8{key}", "六角螺母 M8", "19.80", 300, self.jg)
        self.buyer = factories.distributor(f"buyer{key}")
        self.company = factories.company_of(self.buyer)
        self.other = factories.distributor(f"other{key}", province="浙江省")
        self.other_company = factories.company_of(self.other)
        self.supplier_staff = factories.supplier_staff(self.jg, f"jgstaff{key}")
        seals.grant(company=self.company, user=self.buyer, amount_cap=None, expires_on=None, by=self.buyer)
        seals.grant(company=self.other_company, user=self.other, amount_cap=None, expires_on=None, by=self.other)

    def sales_contract(self, user=None, items=None):
        user = user or self.buyer
        order = factories.place_order(user, items or [(self.bolt, 3), (self.nut, 2)])
        contract = contract_services.create_sales_contract(order=order)
        contract.refresh_from_db()  # money as stored (the snapshot holds strings)
        return contract


def code_from_mail(number: str) -> str:
    """The code of the last signing-code e-mail about contract ``number``."""
    for message in reversed(mail.outbox):
        if number in message.subject or number in message.body:
            text = message.body.replace(number, "")
            found = re.search(r"(?<!\d)(\d{6})(?!\d)", text)
            if found:
                return found.group(1)
    raise AssertionError(f"no signing code was e-mailed for {number}")


def read_to_end(contract, user) -> None:
    contract_services.record_view(contract=contract, origin=Origin(actor=user), seconds=45, reached_end=True)


def request_code(contract, user, capture) -> str:
    """Read to the end, ask for a code (sent after commit) and return it from the mailbox."""
    read_to_end(contract, user)
    document = documents.current(contract)
    with capture(execute=True):
        signing.request_code(contract=contract, user=user, document_sha256=document.sha256, origin=Origin(actor=user))
    return code_from_mail(contract.number)


def buyer_signs(contract, user, capture):
    """Send (if a draft), read, get the code by e-mail and sign as the buyer."""
    if contract.state == "draft":
        contract_services.issue(contract=contract)
    code = request_code(contract, user, capture)
    document = documents.current(contract)
    return signing.sign_as_buyer(
        contract=contract, user=user, code=code, document_sha256=document.sha256, origin=Origin(actor=user)
    )
