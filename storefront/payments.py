"""The ways a distributor can pay at checkout.

Neither takes money at checkout: both record a payment source on the order and leave
it awaiting payment (bank transfer until the transfer arrives; on account until the
invoice falls due). Credit limits for "on account" come with the member_tiers plugin.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

SourceType = get_model("payment", "SourceType")
Source = get_model("payment", "Source")

BANK_TRANSFER = "bank-transfer"
ON_ACCOUNT = "on-account"


@dataclass(frozen=True)
class PaymentMethod:
    code: str
    label: Promise
    description: Promise


METHODS: dict[str, PaymentMethod] = {
    BANK_TRANSFER: PaymentMethod(
        BANK_TRANSFER,
        _("Bank transfer"),
        _("Transfer the order total to the platform's corporate account, quoting the order number."),
    ),
    ON_ACCOUNT: PaymentMethod(
        ON_ACCOUNT,
        _("Pay on account"),
        _("The order is charged to your company account and paid within your agreed payment terms."),
    ),
}


def method_choices() -> list[tuple[str, Promise]]:
    return [(m.code, m.label) for m in METHODS.values()]


def method_label(code: str) -> str:
    method = METHODS.get(code)
    return str(method.label) if method else code


def payment_source(code: str, amount: Decimal, currency: str, order_number: str) -> Source:
    """An unsaved payment source recording how the order will be paid (Oscar saves it with the order)."""
    if code not in METHODS:
        raise ValueError(f"unknown payment method {code!r}")
    source_type = SourceType.objects.get(code=code)
    return Source(
        source_type=source_type,
        currency=currency,
        amount_allocated=amount,
        reference=order_number,
    )
