"""What the checkout asks this plugin: the payment sources of an order (points, credit)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.money import yuan
from plugins.member_tiers.services import credit, points
from plugins.member_tiers.services.members import membership_for
from storefront.payments import ON_ACCOUNT, MethodState, PaymentRefused, payment_source

SourceType = get_model("payment", "SourceType")
Source = get_model("payment", "Source")
Order = get_model("order", "Order")

POINTS_SOURCE = "member-points"
SESSION_KEY = "member_tiers_redeem_points"


def requested_points(session) -> int:
    try:
        return max(int(session.get(SESSION_KEY, 0)), 0)
    except (TypeError, ValueError):
        return 0


@transaction.atomic
def payment_sources(user, session, order_number: str, total: Decimal, currency: str, method: str) -> list:
    """Unsaved payment sources for an order: points first (within the cap), the rest by `method`.

    Paying on account reserves the rest against the buyer's credit line under a row lock.
    Raises PaymentRefused with a message for the buyer; the caller's transaction rolls back.
    """
    sources = []
    to_pay = total
    wanted = requested_points(session)
    if wanted:
        membership = membership_for(user)
        if membership is None:
            raise PaymentRefused(_("Only a company's people can pay with points."))
        try:
            points.redeem(membership, wanted, total, order_number)
        except ValidationError as exc:
            raise PaymentRefused(" ".join(exc.messages)) from exc
        value = points.value_of(wanted)
        to_pay = total - value
        source_type, _created = SourceType.objects.get_or_create(code=POINTS_SOURCE, defaults={"name": "积分抵扣"})
        sources.append(
            Source(
                source_type=source_type,
                currency=currency,
                amount_allocated=value,
                amount_debited=value,
                reference=order_number,
            )
        )
    if method == ON_ACCOUNT:
        try:
            credit.reserve(user, to_pay, order_number)
        except credit.CreditRefused as exc:
            raise PaymentRefused(str(exc)) from exc
    sources.append(payment_source(method, to_pay, currency, order_number))
    session.pop(SESSION_KEY, None)
    return sources


def method_states(user, session, total: Decimal) -> dict[str, MethodState]:
    """The payment step's view of paying on account: the credit available against what this
    order leaves to pay after the points asked for, or why it cannot (the refusal ``reserve``
    would give at 下订单, so the buyer learns it before choosing)."""
    to_pay = total - points.value_of(requested_points(session))
    found = credit.standing(user, to_pay)
    note = ""
    if found.available is not None:
        note = _("Credit available: %(available)s; this order: %(amount)s.") % {
            "available": yuan(found.available),
            "amount": yuan(found.amount),
        }
    return {ON_ACCOUNT: MethodState(available=found.refusal is None, reason=found.refusal or "", note=note)}


@transaction.atomic
def release_unplaced(order_number: str | None) -> None:
    """Undo what payment_sources reserved when the order was not placed after all."""
    if not order_number or Order.objects.filter(number=order_number).exists():
        return
    credit.revert_order(order_number)
    points.restore_redemption_number(order_number)
