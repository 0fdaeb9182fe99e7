"""The demo's contracts: every state, real signatures from the development CA, intact evidence
chains, a framework agreement covering a company's orders; seeding twice changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from companies.selectors import on_account_refusal
from core.demo.seed import SeedReport, seed_demo
from plugins.contracts import demo as contracts_demo
from plugins.contracts.models import Contract, Kind, Policy, State
from plugins.contracts.pdf.verify import verify_pdf
from plugins.contracts.selectors import visible_contracts
from plugins.contracts.services import contracts, documents, evidence
from plugins.contracts.services.contracts import framework_in_force

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(dev_pki, settings):
    settings.CONTRACTS_DEMO = True
    return seed_demo(months=1)


def test_demo_contracts_in_every_state_signed_and_chained(demo):
    states = set(Contract.objects.values_list("state", flat=True))
    assert {
        State.DRAFT,
        State.SENT,
        State.NEGOTIATING,
        State.BUYER_SIGNED,
        State.EFFECTIVE,
        State.AMENDED,
        State.RENEWED,
        State.EXPIRED,
        State.TERMINATED,
        State.VOIDED,
    } <= states
    for contract in Contract.objects.exclude(state__in=(State.DRAFT, State.VOIDED)):
        assert evidence.check_chain(contract).ok, contract.number
        document = documents.current(contract)
        report = verify_pdf(documents.read(document))
        signed = {"prepared": 0, "buyer_signed": 1, "countersigned": 2}[document.stage]
        assert len(report.signatures) == signed, contract.number
        assert all(s.bottom_line for s in report.signatures), contract.number
    amended = Contract.objects.get(state=State.AMENDED)
    assert amended.children.get(kind=Kind.SUPPLEMENT).state == State.EFFECTIVE
    assert any("Contracts:" in note or "合同" in note for note in demo.notes)

    # 恒信 orders under a renewed framework agreement; its terms apply while it is in force
    User = get_user_model()
    buyer = User.objects.get(email="hengxin@demo.s2b2b.cn")
    framework = Contract.objects.get(company__members__user=buyer, kind=Kind.FRAMEWORK, state=State.EFFECTIVE)
    assert framework.parent.state == State.RENEWED
    assert framework_in_force(framework.company) == framework
    assert contracts.policy_of(framework.company).policy == Policy.FRAMEWORK
    assert on_account_refusal(buyer) is None
    # hongda@ sees its own contracts only, one of them waiting for a signature
    hongda = User.objects.get(email="hongda@demo.s2b2b.cn")
    mine = visible_contracts(hongda)
    assert mine.filter(state=State.SENT).exists()
    assert not mine.exclude(company__members__user=hongda).exists()

    # seeding again adds nothing
    before = Contract.objects.count()
    contracts_demo.seed(SeedReport(), now=timezone.now(), seed=2026)
    assert Contract.objects.count() == before
