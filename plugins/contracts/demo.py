"""Demo data: contracts in every state, signed with the development CA, and a framework agreement
covering a company's orders. Idempotent: a company that already has contracts is left alone.

Buyer signatures here are applied without a one-time code (nobody reads the demo's e-mail while
it is seeded); their evidence says so. Signing in the storefront always asks for the code.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from dateutil.relativedelta import relativedelta
from django.conf import settings
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
    if until == State.DRAFT:
        return contract
    if until == State.VOIDED:
        return contracts.void(
            contract=contract, by=operator, reason=_("Demo data: the order was placed again"), now=now
        )
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
    contract = _sign(contract, _admin(contract.company), now=now + timedelta(hours=2))
    if until == State.BUYER_SIGNED:
        return contract
    return signing.countersign(contract=contract, by=operator, now=now + timedelta(hours=5))


def _framework(company, *, operator, start, now, renews=None) -> Contract:
    if renews is not None:
        contract = contracts.renew(contract=renews, by=operator, now=now)
    else:
        contract = contracts.create_framework(company=company, by=operator, valid_from=start, now=now)
    contract = contracts.issue(contract=contract, by=operator, now=now)
    contract = _sign(contract, _admin(company), now=now + timedelta(days=1))
    return signing.countersign(contract=contract, by=operator, now=now + timedelta(days=1, hours=3))


def seed(report, *, now, seed):
    if not settings.CONTRACTS_DEMO:
        return
    if not settings.CONTRACTS_PLATFORM_P12:
        ensure_dev_pki(Path(settings.CONTRACTS_PKI_DIR))
    ensure_default_templates()
    operator = User.objects.filter(email=f"{data.OPERATOR[0]}@{data.EMAIL_DOMAIN}").first()
    keys = ["hongda", "hengxin", "chuanxi", "jiangcheng", "quancheng"]
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
    year_ago = now - relativedelta(months=14)
    start = timezone.localdate(year_ago)
    # 宏达 signs a contract per order: one waits for its signature (sign it as hongda@), one is in
    # negotiation, one was amended by a signed supplementary agreement, one is still a draft, one voided
    hongda = companies["hongda"]
    # its latest orders (a short demo history may have fewer: then other companies' orders stand in)
    o = orders(hongda, 5)
    others = Order.objects.filter(company__isnull=False).exclude(company__in=[hongda, companies["hengxin"]])
    o += list(others.order_by("-date_placed")[: 5 - len(o)])
    made.append(_sales(o[0], operator=operator, now=now - timedelta(hours=3), until=State.SENT))
    made.append(_sales(o[1], operator=operator, now=now - timedelta(days=2), until=State.NEGOTIATING))
    amended = _sales(o[2], operator=operator, now=now - timedelta(days=9), until=State.EFFECTIVE)
    supplement = contracts.create_supplement(
        contract=amended, reason="供应商拒绝了部分商品，货款相应减少", by=operator, now=now - timedelta(days=6)
    )
    supplement = contracts.issue(contract=supplement, by=operator, now=now - timedelta(days=6))
    supplement = _sign(supplement, _admin(hongda), now=now - timedelta(days=5))
    made += [amended, signing.countersign(contract=supplement, by=operator, now=now - timedelta(days=5))]
    made.append(_sales(o[3], operator=operator, now=now - timedelta(hours=1), until=State.DRAFT))
    made.append(_sales(o[4], operator=operator, now=now - timedelta(days=12), until=State.VOIDED))
    # its framework agreement of the year before ran out (expired)
    made.append(_framework(hongda, operator=operator, start=start, now=year_ago))
    # 川西 and 江城 signed; they wait for the platform's (batch) countersignature
    for key in ("chuanxi", "jiangcheng"):
        free = Order.objects.filter(company=companies[key], contracts__isnull=True).order_by("-date_placed").first()
        if free is not None:  # a short demo history may have none left
            made.append(_sales(free, operator=operator, now=now - timedelta(days=1), until=State.BUYER_SIGNED))
    # 恒信 orders under a framework agreement (each order confirmed on acceptance), renewed once;
    # its credit line and tier apply only while an agreement is in force
    hengxin = companies["hengxin"]
    contracts.set_policy(company=hengxin, policy=Policy.FRAMEWORK, framework_required_for_credit=True, by=operator)
    old = _framework(hengxin, operator=operator, start=start, now=year_ago)
    made += [old, _framework(hengxin, operator=operator, start=None, now=now - relativedelta(months=3), renews=old)]
    # 泉城 ended its framework agreement early (terminated)
    quancheng = _framework(companies["quancheng"], operator=operator, start=start + timedelta(days=90), now=year_ago)
    made.append(
        contracts.terminate(
            contract=quancheng,
            by=operator,
            reason=_("Demo data: ended by agreement of both parties"),
            now=now - relativedelta(months=4),
        )
    )
    contracts.expire_due(today=timezone.localdate(now))
    report.notes.append(
        _(
            "Contracts: %(n)s in every state. Sign one as hongda@… under 我的合同 (the code is e-mailed: it "
            "shows in the terminal running the demo); two wait for the batch countersignature in the back "
            "office (合同 → 待平台签署); 恒信 orders under a renewed framework agreement."
        )
        % {"n": len(made)}
    )
