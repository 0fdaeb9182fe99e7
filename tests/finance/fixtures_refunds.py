"""Builders for the refunds tests: orders paid by transfer and on account through the kernel's
real paths (split into supplier orders on securing), the finance team, a settled supplier order."""

from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from core.access import OPERATORS_GROUP
from core.orders.services import secure_payment
from plugins.finance.access import FINANCE_GROUP
from plugins.finance.models import SettlementBatch, SettlementLine
from tests import factories


def finance_user(key: str = "finance"):
    """An operator of the finance group (may approve and pay out)."""
    user = factories.User.objects.create_user(
        username=key, email=f"{key}@example.cn", password=factories.PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get_or_create(name=OPERATORS_GROUP)[0])
    user.groups.add(Group.objects.get_or_create(name=FINANCE_GROUP)[0])
    return user


def plain_operator(key: str = "clerk"):
    """An operator outside the finance group (may look and request, not approve)."""
    user = factories.User.objects.create_user(
        username=key, email=f"{key}@example.cn", password=factories.PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get_or_create(name=OPERATORS_GROUP)[0])
    return user


def transfer_order(buyer, items):
    """An order paid by bank transfer (the kernel's paid event, reference BANK-…)."""
    return factories.place_order(buyer, items, paid=True)


def on_account_order(buyer, items):
    """An order bought on the company's credit line (reserved, then secured on account)."""
    from plugins.member_tiers.services import credit

    order = factories.place_order(buyer, items, secure=False)
    credit.reserve(buyer, order.total_incl_tax, order.number)
    secure_payment(order, method="on-account", amount=order.total_incl_tax, reference=order.number)
    order.refresh_from_db()
    return order


def settle(supplier_order, *, state: str = "paid", number: str = "JS-TEST-0001"):
    """A settlement batch (confirmed or paid) holding ``supplier_order`` (the settlement branch's
    rows, written directly: the refunds area only reads whether a supplier order was settled)."""
    today = timezone.localdate()
    batch = SettlementBatch.objects.create(
        number=number,
        supplier=supplier_order.partner,
        period_start=today,
        period_end=today,
        state=state,
        goods=supplier_order.subtotal,
        freight=supplier_order.freight,
    )
    SettlementLine.objects.create(
        batch=batch, supplier_order=supplier_order, goods=supplier_order.subtotal, freight=supplier_order.freight
    )
    return batch


def credit_account_of(user):
    from plugins.member_tiers.models import CreditAccount

    return CreditAccount.objects.get(membership__company=factories.company_of(user))


YUAN = Decimal


def transfer_order_with_freight(buyer, items, freight: dict):
    """A transfer order whose shipping charge is split over its suppliers as ``freight`` says
    ({partner: Decimal}); the charge is written onto the order before it is paid, and onto its
    supplier orders after they are split (as a freight provider would have done)."""
    from core.orders.services import record_payment
    from plugins.s2b2b_orders.models import SupplierOrder

    order = factories.place_order(buyer, items, secure=False)
    shipping = sum(freight.values(), Decimal("0.00"))
    type(order).objects.filter(pk=order.pk).update(
        shipping_incl_tax=shipping,
        shipping_excl_tax=shipping,
        total_incl_tax=order.total_incl_tax + shipping,
        total_excl_tax=order.total_excl_tax + shipping,
    )
    order.refresh_from_db()
    record_payment(order, amount=order.total_incl_tax, reference=f"BANK-{order.number}", method="bank-transfer")
    for partner, amount in freight.items():
        SupplierOrder.objects.filter(order=order, partner=partner).update(freight=amount)
    order.refresh_from_db()
    return order
