"""Builders for the storefront's contract tests: real orders, real contracts rendered and
prepared by the real services, signed with the development PKI (in a temporary directory)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.utils import translation
from django.utils.translation import gettext

from plugins.contracts.models import Contract, State
from tests import factories


def zh(text: str) -> str:
    """``text`` as a page in the default language shows it (Chinese once the catalogues have it)."""
    with translation.override("zh-hans"):
        return gettext(text)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def contract_env(dev_pki, settings):
    """The development PKI of the contracts tests (``dev_pki``: made once per run in a temporary
    directory, no timestamping service, so B-B), e-mail in memory, the standard templates."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from plugins.contracts.services.templates import ensure_default_templates

    ensure_default_templates()
    return dev_pki


_skus = iter(range(1, 10_000))


def order_for(user, price: str = "100.00", quantity: int = 2):
    product = factories.product(f"CT-{next(_skus):04d}", "不锈钢六角螺栓 M8×30", price)
    return factories.place_order(user, [(product, quantity)])


def sent_contract(user, *, price: str = "100.00", quantity: int = 2) -> Contract:
    """The sales contract of a new order of ``user``, rendered, prepared and sent for signing."""
    from plugins.contracts.services.contracts import create_sales_contract, issue

    order = order_for(user, price, quantity)
    contract = create_sales_contract(order=order)
    if contract.state == State.DRAFT:
        issue(contract=contract)
    contract.refresh_from_db()
    assert contract.state == State.SENT
    return contract


def authorise(company, user, *, cap=None, by=None):
    from plugins.contracts.services import seals

    return seals.grant(company=company, user=user, amount_cap=cap, expires_on=None, by=by or user)


def signer_with_contract(key: str = "signer", **kwargs) -> tuple:
    """A company's admin, authorised to sign, with a sent sales contract of their order."""
    user = factories.distributor(key)
    company = factories.company_of(user)
    authorise(company, user)
    return user, company, sent_contract(user, **kwargs)


def last_code(email: str) -> str:
    """The 6-digit code of the last signing e-mail sent to ``email``."""
    for message in reversed(mail.outbox):
        if email in message.to:
            found = re.search(r"(?<![\w/.,:-])(\d{6})(?![\w/-])", message.body)
            if found:
                return found.group(1)
    raise AssertionError(f"no signing code was e-mailed to {email}")


def read_to_end(client, contract, seconds: int = 42):
    from django.urls import reverse

    response = client.post(
        reverse("contracts:reading", args=[contract.number]), {"seconds": seconds, "reached_end": "1"}
    )
    assert response.status_code == 200, response.content[:500]
    return response


def request_code(client, contract, sha: str | None = None, **extra):
    """POST the code request; the e-mail goes out after commit (run here, as the request would)."""
    from django.urls import reverse

    sha = sha if sha is not None else contract.current_document.sha256
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("contracts:request-code", args=[contract.number]), {"document_sha256": sha, **extra})


def sign_through_pages(client, user, contract) -> Contract:
    """Read to the end, ask for a code, sign with it: as the buyer does on the contract's page."""
    from django.urls import reverse

    sha = contract.current_document.sha256
    read_to_end(client, contract)
    response = request_code(client, contract, sha)
    assert response.status_code == 302, response.content.decode()[:3000]
    response = client.post(
        reverse("contracts:sign", args=[contract.number]),
        {"document_sha256": sha, "code": last_code(user.email), "agree": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    contract.refresh_from_db()
    return contract


def countersigned(user, contract) -> Contract:
    from plugins.contracts.services.signing import countersign

    return countersign(contract=contract, by=factories.operator("countersigner"))
