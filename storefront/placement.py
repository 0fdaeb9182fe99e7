"""Placing an order: the one path the checkout and an approved purchase request share.

Oscar's ``OrderPlacementMixin`` writes the order (``OrderCreator``: lines, stock allocation,
``order_placed`` — the supplier split and forwarding listen there) and saves the payment
sources; then a method that secures the payment at checkout (on account: the credit reserved
for it) confirms the order at once, and the confirmation e-mail is handed to a Celery task once
the transaction commits.

The checkout view keeps Oscar's flow and calls ``secure_if_due`` and ``send_confirmation``;
``place`` does the whole of it outside a request (an approval's last click places the order as
the buyer).

Placing is idempotent per basket: ``lock_for_placing`` takes the basket's row lock before the
request reads it, so a second submission of the same basket (a double click, a second tab) waits
for the first and then finds the order it placed instead of placing, failing and thawing it.
"""

from functools import partial

from django.db import transaction
from django.db.models import Q
from oscar.core.loading import get_class, get_model

from core.orders.services import secure_payment
from storefront import payments
from storefront.tasks import send_order_placed_email

OrderPlacementMixin = get_class("checkout.mixins", "OrderPlacementMixin")
Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")


def lock_for_placing(user, basket_id: str | int | None = None):
    """Lock ``user``'s basket ``basket_id`` (the one the preview showed) and their open basket,
    in id order, until the transaction ends; the order already placed from the former, or None.

    Call it before the request's basket is read: a submission that waited here reads the basket
    as the first one left it."""
    baskets = Basket.objects.filter(owner=user, status=Basket.OPEN)
    if basket_id is not None and str(basket_id).isdigit():
        baskets = Basket.objects.filter(owner=user).filter(Q(status=Basket.OPEN) | Q(pk=basket_id))
    for pk, status in baskets.select_for_update().order_by("pk").values_list("pk", "status"):
        if str(pk) == str(basket_id) and status == Basket.SUBMITTED:
            return Order.objects.filter(basket_id=pk, user=user).order_by("pk").first()
    return None


def secure_if_due(order, method_code: str | None) -> None:
    """Secure the order's payment now when its method secures at checkout (on account)."""
    method = payments.methods().get(method_code)
    if method is not None and method.secured_at_checkout:
        secure_payment(order, method=method.code, amount=order.total_incl_tax, reference=order.number)


def send_confirmation(order) -> None:
    """The 'order placed' e-mail, by a Celery task once the order is committed (sent once)."""
    transaction.on_commit(partial(send_order_placed_email.delay, order.id))


class _Placer(OrderPlacementMixin):
    """Oscar's placement steps without a view (no checkout session, no request)."""

    def __init__(self, request=None):
        self.request = request


def place(
    *,
    user,
    basket,
    order_number: str,
    shipping_address,
    shipping_method,
    shipping_charge,
    order_total,
    method: str,
    sources: list,
    billing_address=None,
    request=None,
    order_fields: dict | None = None,
):
    """Place ``basket`` as ``user``'s order ``order_number`` with the given unsaved payment
    ``sources`` (already reserved under that number), secure its payment if ``method`` does at
    checkout, submit the basket and queue the confirmation e-mail. ``order_fields`` are the
    order's own fields the buyer gave (purchase-order number, remarks to suppliers). One
    transaction."""
    with transaction.atomic():
        if basket.lock() == Basket.SUBMITTED:  # placed meanwhile (a second click)
            return Order.objects.filter(basket_id=basket.pk).order_by("pk").first()
        placer = _Placer(request)
        for source in sources:
            placer.add_payment_source(source)
        order = placer.place_order(
            order_number=order_number,
            user=user,
            basket=basket,
            shipping_address=shipping_address,
            shipping_method=shipping_method,
            shipping_charge=shipping_charge,
            order_total=order_total,
            billing_address=billing_address,
            **(order_fields or {}),
        )
        basket.submit()
        secure_if_due(order, method)
        send_confirmation(order)
    return order
