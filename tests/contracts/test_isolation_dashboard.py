"""Isolation of the contracts back office and API: supplier staff, a distributor (even the
contract's own company admin), a salesperson and anonymous visitors are refused every dashboard
route — the template editor's included — with every action posted; in GraphQL another company's
contract is ``not_found`` (as a missing one) for every mutation and absent from every query, and
nothing changes."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, reverse
from django.urls.converters import IntConverter

from plugins.contracts.dashboard import urls as dashboard_urls
from plugins.contracts.models import (
    Comment,
    CompanyContractPolicy,
    Contract,
    ContractDocument,
    EvidenceEvent,
    SigningCode,
    TemplateVersion,
)
from plugins.contracts.services import contracts as contract_services
from plugins.contracts.services import documents
from tests.contracts.dash_support import World, client_for, graphql, read_to_end

pytestmark = pytest.mark.django_db
User = get_user_model()

ACTIONS = ("issue", "resend", "reissue", "void", "terminate", "countersign", "renew", "comment", "save", "create")


@pytest.fixture
def world(dev_pki):
    w = World()
    w.contract = w.sales_contract()
    contract_services.issue(contract=w.contract)
    w.framework = contract_services.create_framework(company=w.company, by=w.operator)
    w.salesperson = User.objects.create_user(username="li", email="li@example.cn", password="x", is_staff=True)
    return w


def snapshot():
    return (
        sorted(Contract.objects.values_list("number", "state", "read_seconds", "read_to_end", "seal_approved_at")),
        EvidenceEvent.objects.count(),
        ContractDocument.objects.count(),
        Comment.objects.count(),
        SigningCode.objects.count(),
        CompanyContractPolicy.objects.count(),
        sorted(TemplateVersion.objects.values_list("pk", "state", "body")),
    )


def walk(patterns, prefix=""):
    """(namespaced name, converters) of every named route, included ones too."""
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix)
        elif isinstance(p, URLPattern) and p.name:
            yield f"contracts-dashboard:{p.name}", p.pattern.converters


def urls_of(world) -> list[str]:
    found = []
    version = TemplateVersion.objects.first()
    values = {
        "number": world.contract.number,
        "revision": 1,
        "company_pk": world.company.pk,
    }
    for name, converters in walk(dashboard_urls.urlpatterns):
        kwargs = {}
        for key, converter in converters.items():
            if key in values:
                kwargs[key] = values[key]
            elif isinstance(converter, IntConverter):
                kwargs[key] = version.pk if version else 1
            else:
                kwargs[key] = world.contract.number
        found.append(reverse(name, kwargs=kwargs))
    return found


def test_every_route_is_walked(world):
    names = {name for name, _c in walk(dashboard_urls.urlpatterns)}
    mine = {
        "contract-list",
        "contract-detail",
        "contract-redline",
        "contract-document",
        "countersign-batch",
        "framework-create",
        "policy-list",
        "policy-edit",
        "template-list",
    }
    assert {f"contracts-dashboard:{n}" for n in mine} <= names
    assert len(urls_of(world)) == len(names)


@pytest.mark.parametrize("who", ["supplier_staff", "buyer", "other", "salesperson", "anonymous"])
def test_no_one_but_operators_opens_the_back_office(world, who):
    client = client_for(getattr(world, who)) if who != "anonymous" else None
    if client is None:
        from django.test import Client

        client = Client()
    before = snapshot()
    secrets = (world.contract.number, world.company.uscc, world.framework.number)
    for url in urls_of(world):
        calls = [("get", {})] + [("post", {"action": a, "void-reason": "x", "body": "x"}) for a in ACTIONS]
        calls.append(("post", {"numbers": [world.contract.number], "confirm": "on", "policy": "framework"}))
        for method, data in calls:
            response = getattr(client, method)(url, data)
            if who == "anonymous":
                assert response.status_code == 302 and "/login" in response["Location"], url
            else:
                assert response.status_code == 403, (url, method, data, response.status_code)
                page = response.content.decode()
                assert not any(bit in page for bit in secrets), url
    assert snapshot() == before


MUTATIONS = [
    (
        "contractRecordReading",
        "mutation($n: String!) { contractRecordReading(number: $n, seconds: 5, reachedEnd: true)",
    ),
    ("contractRequestCode", "mutation($n: String!, $h: String!) { contractRequestCode(number: $n, documentSha256: $h)"),
    (
        "contractSign",
        'mutation($n: String!, $h: String!) { contractSign(number: $n, documentSha256: $h, code: "123456")',
    ),
    ("contractComment", 'mutation($n: String!) { contractComment(number: $n, body: "改价")'),
    ("contractApproveSeal", "mutation($n: String!) { contractApproveSeal(number: $n)"),
]


def _mutate(user, name, head, number, sha):
    query = head + " { contract { number } errors { field code } } }"
    variables = {"n": number}
    if "$h" in head:
        variables["h"] = sha
    return graphql(user, query, variables)


def test_another_companys_contract_is_not_found_in_graphql(world):
    read_to_end(world.contract, world.buyer)  # so a code could be asked for by its own signer
    sha = documents.current(world.contract).sha256
    before = snapshot()
    for number in (world.contract.number, world.framework.number, "HT-20000101-999999"):
        for name, head in MUTATIONS:
            answer = _mutate(world.other, name, head, number, sha)["data"][name]
            assert answer["contract"] is None
            assert answer["errors"] == [{"field": "number", "code": "not_found"}], (name, number)
        one = graphql(world.other, "query($n: String!) { contract(number: $n) { number } }", {"n": number})
        assert one["data"]["contract"] is None
    listing = graphql(world.other, "{ contracts(first: 50) { totalCount items { number } } }")
    assert listing["data"]["contracts"] == {"totalCount": 0, "items": []}
    assert snapshot() == before


@pytest.mark.parametrize("who", ["supplier_staff", "salesperson", "anonymous"])
def test_parties_outside_the_contract_are_refused_in_graphql(world, who):
    user = None if who == "anonymous" else getattr(world, who)
    sha = documents.current(world.contract).sha256
    before = snapshot()
    for name, head in MUTATIONS:
        answer = _mutate(user, name, head, world.contract.number, sha)
        assert answer["data"][name] is None
        assert answer["errors"][0]["extensions"]["code"] in ("forbidden", "unauthenticated")
    for query in (
        "{ contracts { totalCount } }",
        '{ contract(number: "' + world.contract.number + '") { number } }',
    ):
        answer = graphql(user, query)
        assert answer["errors"][0]["extensions"]["code"] in ("forbidden", "unauthenticated"), query
    assert snapshot() == before
