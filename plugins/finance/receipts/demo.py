"""Demo receipts (called by plugins.finance.demo in area order): a transfer matched by the order
number in its memo and approved, an overpayment whose rest stays unapplied, a transfer a company
claimed with proof and finance approved, and one still waiting in the 待认领 queue. Loading the
demo again adds nothing (the demo's bank references are fixed)."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.orders import status as order_status
from plugins.finance.models import Receipt
from plugins.finance.services import receipts as service
from plugins.finance.services.ledger import business_date

PREFIX = "DEMO-SK-"


def _admin_of(company):
    from companies.models import Role

    member = company.members.filter(role__in=[Role.ADMIN, Role.FINANCE], is_active=True).select_related("user").first()
    return member.user if member else None


def _a_company():
    from companies.models import Company

    return Company.objects.filter(status="verified").order_by("id").first()


def seed(report, *, now, rng) -> None:
    """Add this area's demo rows; ``report.notes`` gets one line saying what was added."""
    if Receipt.objects.filter(bank_reference__startswith=PREFIX).exists():
        return
    finance = get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("id").first()
    if finance is None:
        return
    Order = get_model("order", "Order")
    waiting = list(
        Order.objects.filter(status=order_status.PENDING_PAYMENT, company__isnull=False)
        .select_related("company")
        .order_by("date_placed", "id")[:4]
    )
    pending = waiting[: max(0, len(waiting) - 1)]  # one order keeps waiting for its transfer
    today = business_date(now)
    made = []

    def record(n: int, **fields) -> Receipt:
        receipt = service.record_receipt(bank_reference=f"{PREFIX}{n:03d}", received_on=today, by=finance, **fields)
        made.append(receipt)
        return receipt

    if pending:  # matched by the memo, approved: the order is paid and goes to its suppliers
        order = pending[0]
        service.approve(
            record(
                1,
                amount=order.total_incl_tax,
                payer_name=order.company.legal_name,
                payer_account="6222 0210 0100 1001",
                payer_bank="中国工商银行深圳分行",
                memo=_("Payment for order %(number)s") % {"number": order.number},
            ),
            finance,
        )
    if len(pending) > 1:  # an overpayment: the rest stays as the company's unapplied receipts
        order = pending[1]
        service.approve(
            record(
                2,
                amount=order.total_incl_tax + Decimal("200.00"),
                payer_name=order.company.legal_name,
                payer_account="6222 0210 0100 2002",
                payer_bank="招商银行广州分行",
                memo=order.number,
            ),
            finance,
        )
    # paid from a person's account with no memo: the company claims it (for its order, if one waits)
    order = pending[2] if len(pending) > 2 else None
    company = order.company if order is not None else _a_company()
    if company is not None:
        claimant = _admin_of(company)
        receipt = record(
            3,
            amount=order.total_incl_tax if order is not None else Decimal("5000.00"),
            payer_name="张伟",
            payer_account="6217 0000 3003 3003",
            payer_bank="中国建设银行",
        )
        if claimant is not None:
            service.claim(
                receipt,
                company=company,
                orders=[order] if order is not None else [],
                by=claimant,
                amount=receipt.amount,
                payer_account=receipt.payer_account,
                received_on=receipt.received_on,
            )
            service.approve(receipt, finance)
    # nobody's yet: waits in the 待认领 queue
    record(4, amount=Decimal("3860.00"), payer_name="李娜", payer_account="6230 5800 0004 4004", memo="货款")
    report.notes.append(
        _("Finance: %(count)d receipts (matched, overpaid, claimed, awaiting claim).") % {"count": len(made)}
    )
