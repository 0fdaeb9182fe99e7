"""Contracts in the storefront belong to their company: another company's people, a buyer of
the same company who neither placed the order nor may sign, supplier staff and a salesperson
get a 404 on every contract route — real numbers, guessed numbers and guessed revisions — and
an anonymous visitor is sent to the login page; none of them sees the contract's number or
parties in a list, none of their POSTs changes anything (no evidence, code, comment, approval
or grant). The verification page is the one public route and says nothing about unsigned ones."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from companies.services.people import add_member
from plugins.contracts.models import Comment, Contract, EvidenceEvent, SealGrant, SigningCode
from tests import factories
from tests.contracts.store_helpers import (
    authorise,
    contract_env,  # noqa: F401 - fixture
    read_to_end,
    signer_with_contract,
)
from tests.s2b2b_orders.conftest import make_supplier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("contract_env")]
User = get_user_model()
GUESSED = "HT-20261129-000001"


class World:
    def __init__(self):
        self.alpha_admin, self.alpha, self.contract = signer_with_contract("alphaadmin")
        self.alpha_buyer = factories.person("alphabuyer")
        add_member(company=self.alpha, user=self.alpha_buyer, role="buyer", by=self.alpha_admin)
        self.grant = SealGrant.objects.get(company=self.alpha)
        self.beta_admin = factories.distributor("betaadmin")
        self.beta = factories.company_of(self.beta_admin)
        authorise(self.beta, self.beta_admin)
        self.supplier = factories.supplier_staff(make_supplier("jg", "苏州精工五金制品有限公司"), "jgstaff")
        self.sales = User.objects.create_user(username="li", email="li@example.cn", password="x", is_staff=True)

    def walkers(self):
        return {
            "another company's admin (authorised to sign there)": self.beta_admin,
            "the company's buyer who did not place the order": self.alpha_buyer,
            "supplier staff": self.supplier,
            "salesperson": self.sales,
        }

    def state(self):
        return (
            EvidenceEvent.objects.count(),
            SigningCode.objects.count(),
            Comment.objects.count(),
            list(Contract.objects.order_by("pk").values_list("state", "read_seconds", "seal_approved_at")),
            list(SealGrant.objects.order_by("pk").values_list("revoked_at", flat=True)),
        )


@pytest.fixture
def world():
    return World()


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def routes(contract_number: str, revision: int):
    sha = "0" * 64
    return [
        ("get", reverse("contracts:detail", args=[contract_number]), {}),
        ("get", reverse("contracts:document", args=[contract_number, revision]), {}),
        ("get", reverse("contracts:document", args=[contract_number, revision]) + "?inline=1", {}),
        ("get", reverse("contracts:evidence-report", args=[contract_number]), {}),
        ("post", reverse("contracts:reading", args=[contract_number]), {"seconds": 50, "reached_end": "1"}),
        ("post", reverse("contracts:request-code", args=[contract_number]), {"document_sha256": sha}),
        ("post", reverse("contracts:sign", args=[contract_number]), {"document_sha256": sha, "code": "123456"}),
        ("post", reverse("contracts:comment", args=[contract_number]), {"body": "偷看"}),
        ("post", reverse("contracts:approve-seal", args=[contract_number]), {"action": "approve"}),
        ("post", reverse("contracts:approve-seal", args=[contract_number]), {"action": "request"}),
    ]


def test_every_contract_route_is_a_404_for_everyone_but_the_company(world):
    contract = world.contract
    revision = contract.current_document.revision
    attempts = routes(contract.number, revision) + routes(contract.number, 99) + routes(GUESSED, 1)
    for who, user in world.walkers().items():
        client = client_for(user)
        before = world.state()
        for method, path, data in attempts:
            response = getattr(client, method)(path, data)
            assert response.status_code == 404, (who, method, path, response.status_code)
        assert world.state() == before, who
        listing = client.get(reverse("contracts:list"))
        assert listing.status_code == 200
        body = listing.content.decode()
        assert contract.number not in body, who
        if user != world.alpha_buyer:  # alpha's own buyer knows the company's name
            assert world.alpha.legal_name not in body, who


def test_an_anonymous_visitor_is_sent_to_sign_in_and_learns_nothing(world):
    contract = world.contract
    client = Client()
    before = world.state()
    attempts = routes(contract.number, contract.current_document.revision) + routes(GUESSED, 1)
    attempts.append(("get", reverse("contracts:list"), {}))
    attempts.append(("get", reverse("contracts:signers"), {}))
    for method, path, data in attempts:
        response = getattr(client, method)(path, data)
        assert response.status_code == 302 and "/login/" in response["Location"], (method, path)
        assert contract.number.encode() not in response.content
    assert world.state() == before


def test_the_company_centre_signers_page_is_each_companys_own(world):
    beta = client_for(world.beta_admin)
    before = world.state()
    page = beta.get(reverse("contracts:signers")).content.decode()
    assert world.alpha_admin.email not in page and world.alpha.legal_name not in page
    # revoking alpha's grant by its id, granting to alpha's person: refused, nothing changes
    assert beta.post(reverse("contracts:signers"), {"action": "revoke", "grant": world.grant.pk}).status_code == 404
    response = beta.post(reverse("contracts:signers"), {"action": "grant", "user": world.alpha_buyer.pk})
    assert response.status_code == 400
    assert world.state() == before
    for user in (world.supplier, world.sales):
        assert client_for(user).get(reverse("contracts:signers")).status_code == 404


def test_the_order_page_of_another_company_shows_no_contract(world):
    order = world.contract.order
    for who, user in world.walkers().items():
        response = client_for(user).get(reverse("customer:order", kwargs={"order_number": order.number}))
        assert world.contract.number not in response.content.decode(), who


def test_the_companys_own_people_do_reach_it(world):
    """The walk above proves something only if the owners get through the same routes."""
    contract = world.contract
    client = client_for(world.alpha_admin)
    assert client.get(reverse("contracts:detail", args=[contract.number])).status_code == 200
    assert read_to_end(client, contract).json()["read_to_end"] is True
    revision = contract.current_document.revision
    assert client.get(reverse("contracts:document", args=[contract.number, revision])).status_code == 200
    assert contract.number in client.get(reverse("contracts:list")).content.decode()
