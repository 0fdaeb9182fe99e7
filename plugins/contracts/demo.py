"""Demo data: contracts in every state, signed with the development CA, and a framework agreement
covering a company's orders. Idempotent: a company that already has contracts is left alone.

Buyer signatures here are applied without a one-time code (nobody reads the demo's e-mail while
it is seeded); their evidence says so. Signing in the storefront always asks for the code.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from companies.models import Company, CompanyMember, Role
from core.demo import data
from plugins.contracts.models import Contract, EvidenceKind, Policy, State
from plugins.contracts.pdf.pki import ensure_dev_pki
from plugins.contracts.services import contracts, documents, evidence, seals, signing
from plugins.contracts.services.evidence import Origin
from plugins.contracts.services.templates import ensure_default_templates

User = get_user_model()
Order = get_model("order", "Order")
DEMO_ORIGIN = {"ip": "203.0.113.10", "user_agent": "Mozilla/5.0 (demo data)"}


def _admin(company: Company):
    member = (
        CompanyMember.objects.filter(company=company, role=Role.ADMIN, is_active=True).select_related("user").first()
    )
    return member.user if member else None


def _origin(user) -> Origin:
    return Origin(actor=user, **DEMO_ORIGIN)


def _sign(contract: Contract, user, *, now) -> Contract:
    contract = contracts.record_view(contract=contract, origin=_origin(user), seconds=96, reached_end=True, now=now)
    document = documents.current(contract)
    evidence.record(
        contract,
        EvidenceKind.CODE_VERIFIED,
        origin=_origin(user),
        document_sha256=document.sha256,
        detail={"demo": _("Demo data: signed without a one-time code")},
        now=now,
    )
    return signing.apply_buyer_signature(
        contract=contract, user=user, document_sha256=document.sha256, origin=_origin(user), now=now
    )


def _sales(order, *, operator, now, until: str) -> Contract:
    """A sales contract for ``order`` taken as far as ``until`` (a State)."""
    contract = contracts.create_sales_contract(order=order, by=operator, now=now)
    contract = contracts.issue(contract=contract, by=operator, now=now)
    if until == State.SENT:
        return contract
    if until == State.NEGOTIATING:
        contracts.comment(
            contract=contract,
            by=order.user,
            body="第六条验收异议期请由 7 日调整为 15 日，我司仓库月底集中验收。",
            origin=_origin(order.user),
            buyer=True,
            now=now,
        )
        return contract
    if until == State.VOIDED:
        return contracts.void(contract=contract, by=operator, reason=_("Demo data: the order was re-placed"), now=now)
    signer = _admin(contract.company)
    contract = _sign(contract, signer, now=now + timedelta(hours=2))
    if until == State.BUYER_SIGNED:
        return contract
    return signing.countersign(contract=contract, by=operator, now=now + timedelta(hours=5))


def seed(report, *, now, seed):
    ensure_dev_pki()
    ensure_default_templates()
    operator = User.objects.filter(email=f"{data.OPERATOR[0]}@{data.EMAIL_DOMAIN}").first()
    keys = ["hongda", "hengxin", "chuanxi", "jiangcheng"]
    companies = {}
    for key in keys:
        user = User.objects.filter(email=f"{key}@{data.EMAIL_DOMAIN}").first()
        member = CompanyMember.objects.filter(user=user).select_related("company").first() if user else None
        if member is not None:
            companies[key] = member.company
    if len(companies) < len(keys) or Contract.objects.filter(company__in=companies.values()).exists():
        return
    for company in companies.values():
        admin = _admin(company)
        seals.grant(company=company, user=admin, amount_cap=Decimal("50000.00"), expires_on=None, by=admin, now=now)

    def orders(company, n):
        return list(Order.objects.filter(company=company).order_by("-date_placed")[:n])

    made = []
    # 宏达: a contract for every order — one waiting for its signature (sign it as hongda@), one in
    # negotiation, one effective with a draft supplementary agreement, one voided
    hongda = orders(companies["hongda"], 4)
    made.append(_sales(hongda[0], operator=operator, now=now - timedelta(hours=3), until=State.SENT))
    made.append(_sales(hongda[1], operator=operator, now=now - timedelta(days=2), until=State.NEGOTIATING))
    effective = _sales(hongda[2], operator=operator, now=now - timedelta(days=9), until=State.EFFECTIVE)
    made.append(effective)
    made.append(contracts.create_supplement(contract=effective, reason="供应商拒绝了部分商品", by=operator, now=now))
    made.append(_sales(hongda[3], operator=operator, now=now - timedelta(days=12), until=State.VOIDED))
    # 川西 and 江城: signed by the buyer, waiting for the platform (the batch countersignature)
    for company in (companies["chuanxi"], companies["jiangcheng"]):
        for i, order in enumerate(orders(company, 2)):
            made.append(_sales(order, operator=operator, now=now - timedelta(days=1 + i), until=State.BUYER_SIGNED))
    # 恒信: orders under a framework agreement (confirmed on acceptance), renewed once; an older,
    # terminated one; its credit line and tier wait for an agreement in force
    hengxin = companies["hengxin"]
    contracts.set_policy(company=hengxin, policy=Policy.FRAMEWORK, framework_required_for_credit=True, by=operator)
    start = timezone.localdate(now) - relativedelta(months=14)
    old = contracts.create_framework(company=hengxin, by=operator, valid_from=start, now=now - relativedelta(months=14))
    old = contracts.issue(contract=old, by=operator, now=now - relativedelta(months=14))
    old = _sign(old, _admin(hengxin), now=now - relativedelta(months=14) + timedelta(days=1))
    old = signing.countersign(contract=old, by=operator, now=now - relativedelta(months=14) + timedelta(days=1))
    renewal = contracts.renew(contract=old, by=operator, now=now - relativedelta(months=3))
    renewal = contracts.issue(contract=renewal, by=operator, now=now - relativedelta(months=3))
    renewal = _sign(renewal, _admin(hengxin), now=now - relativedelta(months=3) + timedelta(days=1))
    renewal = signing.countersign(contract=renewal, by=operator, now=now - relativedelta(months=3) + timedelta(days=2))
    contracts.expire_due(today=timezone.localdate(now))
    made += [old, renewal]
    # 宏达's framework agreement of the year before, terminated when it moved to per-order contracts
    ended = contracts.create_framework(
        company=companies["hongda"], by=operator, valid_from=start, now=now - relativedelta(months=14)
    )
    ended = contracts.issue(contract=ended, by=operator, now=now - relativedelta(months=14))
    ended = _sign(ended, _admin(companies["hongda"]), now=now - relativedelta(months=14) + timedelta(days=1))
    ended = signing.countersign(contract=ended, by=operator, now=now - relativedelta(months=14) + timedelta(days=1))
    made.append(
        contracts.terminate(
            contract=ended,
            by=operator,
            reason=_("Demo data: moved to a contract per order"),
            now=now - relativedelta(months=4),
        )
    )
    report.notes.append(
        _(
            "Contracts: %(n)s in every state (我的合同 as hongda@…: one waits for your signature — the code is "
            "e-mailed, shown in the terminal running the demo); the back office lists them under 合同管理, four "
            "wait for the batch countersignature; 恒信 orders under a renewed framework agreement."
        )
        % {"n": len(made)}
    )
