"""Back office: the batch countersignature (one confirmation, a result per contract), framework
agreements made for a company, and a company's contract policy."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from companies.models import CompanyStatus
from plugins.contracts.models import CompanyContractPolicy, Contract, Kind, Policy, State
from plugins.contracts.services import contracts as contract_services
from plugins.contracts.services import documents
from tests import factories
from tests.contracts.dash_support import World, buyer_signs, client_for

pytestmark = pytest.mark.django_db

BATCH = reverse("contracts-dashboard:countersign-batch")
FRAMEWORK = reverse("contracts-dashboard:framework-create")


@pytest.fixture
def world(dev_pki):
    return World()


def test_batch_countersign_reports_each_contract(world, django_capture_on_commit_callbacks):
    from plugins.contracts.pdf.verify import verify_pdf

    first = world.sales_contract()
    second = world.sales_contract(items=[(world.nut, 5)])
    voided = world.sales_contract(items=[(world.bolt, 9)])
    for contract in (first, second, voided):
        buyer_signs(contract, world.buyer, django_capture_on_commit_callbacks)
    client = client_for(world.operator)
    page = client.get(BATCH)
    assert page.status_code == 200
    assert {c.number for c in page.context["contracts"]} == {first.number, second.number, voided.number}
    # voided by another operator after the page was shown
    contract_services.void(contract=voided, by=world.operator, reason="重复下单")

    chosen = [first.number, second.number, voided.number, "HT-00000000-999999"]
    refused = client.post(BATCH, {"numbers": chosen})  # no confirmation: nothing happens
    assert refused.status_code == 400
    assert refused.context["form"].errors["confirm"]
    assert Contract.objects.filter(state=State.BUYER_SIGNED).count() == 2

    response = client.post(BATCH, {"numbers": chosen, "confirm": "on"})
    assert response.status_code == 200
    results = {r["number"]: r for r in response.context["results"]}
    assert results[first.number]["ok"] and results[second.number]["ok"]
    assert not results[voided.number]["ok"] and results[voided.number]["message"]
    assert not results["HT-00000000-999999"]["ok"]
    for contract in (first, second):
        contract.refresh_from_db()
        assert contract.state == State.EFFECTIVE
        assert verify_pdf(documents.read(documents.current(contract))).ok
    voided.refresh_from_db()
    assert voided.state == State.VOIDED
    html = response.content.decode()
    assert f'data-number="{voided.number}" data-ok="0"' in html
    assert response.context["contracts"] == []


def test_batch_needs_a_choice(world):
    response = client_for(world.operator).post(BATCH, {"confirm": "on"})
    assert response.status_code == 400
    assert response.context["form"].errors["numbers"]


def test_a_framework_agreement_is_made_and_sent_for_a_company(world):
    client = client_for(world.operator)
    page = client.get(FRAMEWORK, {"company": world.company.pk})
    assert page.status_code == 200
    assert page.context["form"].initial["company"] == world.company.uscc
    start = timezone.localdate() + timedelta(days=3)
    response = client.post(FRAMEWORK, {"company": world.company.uscc, "valid_from": start.isoformat(), "send": "on"})
    assert response.status_code == 302
    framework = Contract.objects.get(company=world.company, kind=Kind.FRAMEWORK)
    assert response["Location"] == reverse("contracts-dashboard:contract-detail", args=[framework.number])
    assert framework.state == State.SENT and framework.valid_from == start
    assert documents.current(framework).stage == "prepared"
    # a second one for the same period is refused, with the reason on the company field
    again = client.post(FRAMEWORK, {"company": world.company.uscc})
    assert again.status_code == 400 and again.context["form"].errors["company"]
    assert Contract.objects.filter(kind=Kind.FRAMEWORK).count() == 1


@pytest.mark.parametrize(
    "data, field",
    [
        ({"company": "91440300MA5XXXXXXX"}, "company"),
        ({"company": ""}, "company"),
        ({"company": "USCC", "valid_from": "2001-01-01"}, "valid_from"),
        ({"company": "UNVERIFIED"}, "company"),
    ],
)
def test_framework_bad_input_is_refused(world, data, field):
    unverified = factories.company_of(factories.distributor("pending"))
    unverified.status = CompanyStatus.APPLIED
    unverified.save(update_fields=["status"])
    codes = {"USCC": world.company.uscc, "UNVERIFIED": unverified.uscc}
    data = {k: codes.get(v, v) for k, v in data.items()}
    response = client_for(world.operator).post(FRAMEWORK, data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Contract.objects.filter(kind=Kind.FRAMEWORK).exists()


def test_the_framework_page_made_without_sending_stays_a_draft(world):
    response = client_for(world.operator).post(FRAMEWORK, {"company": world.company.customer_code})
    assert response.status_code == 302
    framework = Contract.objects.get(kind=Kind.FRAMEWORK)
    assert framework.state == State.DRAFT and not framework.documents.exists()
    assert framework.valid_from == timezone.localdate()


def test_the_policy_is_edited_per_company(world):
    client = client_for(world.operator)
    listing = client.get(reverse("contracts-dashboard:policy-list"), {"q": world.company.uscc})
    assert listing.status_code == 200
    row = next(c for c in listing.context["companies"] if c.pk == world.company.pk)
    assert row.policy_label == Policy.PER_ORDER.label and not row.framework_in_force
    url = reverse("contracts-dashboard:policy-edit", args=[world.company.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"].initial["policy"] == Policy.PER_ORDER
    assert client.post(url, {"policy": "nonsense"}).status_code == 400
    assert not CompanyContractPolicy.objects.exists()
    response = client.post(url, {"policy": Policy.FRAMEWORK, "framework_required_for_credit": "on"})
    assert response.status_code == 302
    policy = CompanyContractPolicy.objects.get(company=world.company)
    assert policy.policy == Policy.FRAMEWORK and policy.framework_required_for_credit
    assert policy.updated_by == world.operator
    listing = client.get(reverse("contracts-dashboard:policy-list"), {"q": world.company.uscc})
    row = next(c for c in listing.context["companies"] if c.pk == world.company.pk)
    assert row.framework_required and row.policy_label == Policy.FRAMEWORK.label
    assert client.get(reverse("contracts-dashboard:policy-edit", args=[999999])).status_code == 404


def test_an_unreachable_timestamping_service_is_reported_and_nothing_is_signed(
    world, settings, django_capture_on_commit_callbacks
):
    import socket

    contracts = [world.sales_contract(), world.sales_contract(items=[(world.nut, 4)])]
    for contract in contracts:
        buyer_signs(contract, world.buyer, django_capture_on_commit_callbacks)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CONTRACTS_TSA_URL = f"http://127.0.0.1:{port}/tsa"
    client = client_for(world.operator)

    one = client.post(
        reverse("contracts-dashboard:contract-detail", args=[contracts[0].number]), {"action": "countersign"}
    )
    assert one.status_code == 400
    assert [m for m in one.context["messages"] if m.level_tag == "error" and str(m)]

    response = client.post(BATCH, {"numbers": [c.number for c in contracts], "confirm": "on"})
    assert response.status_code == 200
    assert [r["ok"] for r in response.context["results"]] == [False, False]
    assert all(r["message"] for r in response.context["results"])
    for contract in contracts:
        contract.refresh_from_db()
        assert contract.state == State.BUYER_SIGNED and contract.documents.count() == 2
