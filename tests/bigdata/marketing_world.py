"""Offers and vouchers as Oscar runs them, for the marketing-return tests: a site offer and a
voucher set built from Oscar's own models, and orders placed from real baskets with Oscar's offer
``Applicator`` and ``OrderCreator`` (as ``tests.factories.place_order`` does, plus the offers and
vouchers the checkout applies), their payment secured through the kernel."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from oscar.core.loading import get_class, get_model

from core.orders.services import record_payment

Range = get_model("offer", "Range")
Condition = get_model("offer", "Condition")
Benefit = get_model("offer", "Benefit")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Voucher = get_model("voucher", "Voucher")
VoucherSet = get_model("voucher", "VoucherSet")


def _everything() -> Range:
    return Range.objects.get_or_create(name="全部商品", defaults={"includes_all_products": True})[0]


def site_offer(name: str, *, minimum: str, off: str) -> ConditionalOffer:
    """满 ``minimum`` 减 ``off`` (yuan) on everything, for every basket."""
    everything = _everything()
    return ConditionalOffer.objects.create(
        name=name,
        offer_type=ConditionalOffer.SITE,
        condition=Condition.objects.create(range=everything, type=Condition.VALUE, value=Decimal(minimum)),
        benefit=Benefit.objects.create(range=everything, type=Benefit.FIXED, value=Decimal(off)),
    )


def voucher_set(name: str, codes: list[str], *, percent: str) -> VoucherSet:
    """A set of vouchers each giving ``percent`` % off everything."""
    everything = _everything()
    offer = ConditionalOffer.objects.create(
        name=f"{name} 优惠",
        offer_type=ConditionalOffer.VOUCHER,
        condition=Condition.objects.create(range=everything, type=Condition.COUNT, value=1),
        benefit=Benefit.objects.create(range=everything, type=Benefit.PERCENTAGE, value=Decimal(percent)),
    )
    now = timezone.now()
    vouchers = VoucherSet.objects.create(
        name=name,
        count=len(codes),
        description=name,
        start_datetime=now - timedelta(days=400),
        end_datetime=now + timedelta(days=30),
    )
    for code in codes:
        voucher = Voucher.objects.create(
            name=f"{name} {code}",
            code=code,
            usage=Voucher.MULTI_USE,
            start_datetime=vouchers.start_datetime,
            end_datetime=vouchers.end_datetime,
            voucher_set=vouchers,
        )
        voucher.offers.add(offer)
    return vouchers


def place(user, items, *, voucher_code: str | None = None, province: str = "广东省", paid: bool = True):
    """An order from a real basket with the offers (and the voucher) Oscar's checkout applies;
    its payment received through the kernel (so its facts are written)."""
    Basket = get_model("basket", "Basket")
    ShippingAddress = get_model("order", "ShippingAddress")
    Country = get_model("address", "Country")
    Selector = get_class("partner.strategy", "Selector")
    Repository = get_class("shipping.repository", "Repository")
    OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
    OrderCreator = get_class("order.utils", "OrderCreator")
    Applicator = get_class("offer.applicator", "Applicator")

    basket = Basket.objects.create(owner=user, status=Basket.SAVED)
    basket.strategy = Selector().strategy(user=user)
    for product, quantity in items:
        basket.add_product(product, quantity)
    if voucher_code:
        basket.vouchers.add(Voucher.objects.get(code=voucher_code))
    Applicator().apply(basket, user, None)
    address = ShippingAddress.objects.create(
        last_name="张三",
        line1="科技园路1号",
        line4="深圳市",
        state=province,
        country=Country.objects.get(iso_3166_1_a2="CN"),
        phone_number="+8613800138000",
    )
    method = Repository().get_default_shipping_method(basket=basket, user=user, shipping_addr=address)
    charge = method.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, charge)
    order = OrderCreator().place_order(
        basket=basket, total=total, shipping_method=method, shipping_charge=charge, user=user, shipping_address=address
    )
    basket.submit()
    order.refresh_from_db()
    if paid:
        record_payment(order, amount=order.total_incl_tax, reference=f"BANK-{order.number}", method="bank-transfer")
        order.refresh_from_db()
    return order
