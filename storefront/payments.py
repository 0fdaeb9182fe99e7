"""The ways a distributor can pay at checkout, and the payment sources of an order.

The platform itself offers bank transfer. Plugins add methods (``PluginAppConfig.payment_methods``,
e.g. member_tiers' "on account" against a credit line) and at most one plugin turns the order
total into payment sources (``PluginAppConfig.checkout_payments``, e.g. member_tiers: points
first, then the method, reserving credit on account). Without one, an order has one source for
the chosen method and nothing is reserved.

No method takes money at checkout: each records a payment source on the order and leaves it
awaiting payment (bank transfer until the transfer arrives; on account until the invoice falls
due).
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from core.plugins import provided_objects, provider

SourceType = get_model("payment", "SourceType")
Source = get_model("payment", "Source")

BANK_TRANSFER = "bank-transfer"
#: the code of member_tiers' "on account" method (its payment source type is platform data)
ON_ACCOUNT = "on-account"


@dataclass(frozen=True)
class PaymentMethod:
    code: str
    label: Promise
    description: Promise
    #: whether choosing it secures the payment when the order is placed (e.g. credit reserved)
    secured_at_checkout: bool = False


BANK_TRANSFER_METHOD = PaymentMethod(
    BANK_TRANSFER,
    _("Bank transfer"),
    _("Transfer the order total to the platform's corporate account, quoting the order number."),
)


@dataclass(frozen=True)
class MethodState:
    """Whether a method can pay this order now, as the payment step shows it."""

    available: bool = True
    #: why it cannot (shown under the disabled choice)
    reason: str = ""
    #: what the buyer should know before choosing it (e.g. the credit available)
    note: str = ""


class PaymentRefused(Exception):
    """The buyer may not pay this way now; the message says why, in their language."""


class CheckoutPayments(Protocol):
    def payment_sources(self, user, session, order_number: str, total: Decimal, currency: str, method: str) -> list:
        """Unsaved payment sources for the order; raises PaymentRefused (the caller rolls back)."""

    def release_unplaced(self, order_number: str | None) -> None:
        """Undo what payment_sources reserved when the order was not placed after all."""

    def method_states(self, user, session, total: Decimal) -> dict[str, MethodState]:
        """(optional) code → whether the method can pay ``total`` now, before the buyer chooses."""


def methods() -> dict[str, PaymentMethod]:
    """code → method: bank transfer, then the installed plugins' methods."""
    found = {BANK_TRANSFER: BANK_TRANSFER_METHOD}
    for method in provided_objects("payment_methods"):
        found.setdefault(method.code, method)
    return found


def method_choices() -> list[tuple[str, Promise]]:
    return [(m.code, m.label) for m in methods().values()]


def method_label(code: str) -> str:
    method = methods().get(code)
    return str(method.label) if method else code


def payment_source(code: str, amount: Decimal, currency: str, order_number: str) -> Source:
    """An unsaved payment source recording how the order will be paid (Oscar saves it with the order)."""
    if code not in methods():
        raise ValueError(f"unknown payment method {code!r}")
    source_type = SourceType.objects.get(code=code)
    return Source(
        source_type=source_type,
        currency=currency,
        amount_allocated=amount,
        reference=order_number,
    )


def payment_sources(user, session, order_number: str, total: Decimal, currency: str, method: str) -> list[Source]:
    """The order's payment sources, from the installed plugin or one source for ``method``."""
    hook = provider("checkout_payments")
    if hook is not None:
        return hook.payment_sources(user, session, order_number, total, currency, method)
    return [payment_source(method, total, currency, order_number)]


def method_states(user, session, total: Decimal | None) -> dict[str, MethodState]:
    """code → state of every method for an order of ``total``: what the installed plugin says
    (e.g. on account: the credit available, or why not), available otherwise."""
    hook = provider("checkout_payments")
    states = getattr(hook, "method_states", None)
    found = states(user, session, total) if states is not None and total is not None else {}
    return {code: found.get(code, MethodState()) for code in methods()}


def release_unplaced(order_number: str | None) -> None:
    hook = provider("checkout_payments")
    if hook is not None:
        hook.release_unplaced(order_number)
