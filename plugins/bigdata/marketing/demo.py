"""Demo data of the marketing return: an Oscar site offer (满2,000减80) and a voucher set (5 % off),
a few dozen past orders of the demo's distributors placed from real baskets with Oscar applying
them (Applicator, OrderCreator; payment secured and received, backdated), their sales facts, and
two activities with budgets. Idempotent (nothing is added when the activities exist) and
deterministic (a fixed random seed). Afterwards the offer is suspended and the vouchers expire,
so the live storefront prices stay as they were.

Wired in by the analytics demo (``plugins.bigdata.demo.seed``) — ``seed(report, now=…, seed=…)``."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from core.orders import payments
from core.orders import status as order_status
from plugins.bigdata.marketing.models import Activity
from plugins.bigdata.marketing.services import save_activity

SPRING = "开春采购季（演示）"
KEY_ACCOUNTS = "重点客户拓展（演示）"
ORDERS = 36
DAYS = 150


def _offer_models():
    return (
        get_model("offer", "Range"),
        get_model("offer", "Condition"),
        get_model("offer", "Benefit"),
        get_model("offer", "ConditionalOffer"),
        get_model("voucher", "Voucher"),
        get_model("voucher", "VoucherSet"),
    )


def _campaigns(now):
    Range, Condition, Benefit, ConditionalOffer, Voucher, VoucherSet = _offer_models()
    everything, _ = Range.objects.get_or_create(name="全部商品（演示）", defaults={"includes_all_products": True})
    offer = ConditionalOffer.objects.create(
        name="满2000减80（演示）",
        offer_type=ConditionalOffer.SITE,
        condition=Condition.objects.create(range=everything, type=Condition.VALUE, value=Decimal("2000.00")),
        benefit=Benefit.objects.create(range=everything, type=Benefit.FIXED, value=Decimal("80.00")),
    )
    voucher_offer = ConditionalOffer.objects.create(
        name="开春代金券 95折（演示）",
        offer_type=ConditionalOffer.VOUCHER,
        condition=Condition.objects.create(range=everything, type=Condition.COUNT, value=1),
        benefit=Benefit.objects.create(range=everything, type=Benefit.PERCENTAGE, value=Decimal("5.00")),
    )
    vouchers = VoucherSet.objects.create(
        name="开春代金券（演示）",
        count=12,
        description="开春采购季发放的 95 折代金券",
        start_datetime=now - timedelta(days=DAYS + 1),
        end_datetime=now + timedelta(days=1),
    )
    codes = []
    for n in range(12):
        voucher = Voucher.objects.create(
            name=f"开春代金券 {n + 1:02d}",
            code=f"SPRING-DEMO-{n + 1:02d}",
            usage=Voucher.MULTI_USE,
            start_datetime=vouchers.start_datetime,
            end_datetime=vouchers.end_datetime,
            voucher_set=vouchers,
        )
        voucher.offers.add(voucher_offer)
        codes.append(voucher.code)
    return offer, vouchers, codes


def _place(user, items, voucher_code, placed_at):
    from storefront.payments import BANK_TRANSFER, payment_source

    Basket = get_model("basket", "Basket")
    Voucher = get_model("voucher", "Voucher")
    ShippingAddress = get_model("order", "ShippingAddress")
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
    # shipped where the buyer's last order went
    address = ShippingAddress.objects.filter(order__user=user).order_by("-order__pk").first()
    address.pk = None
    address.save()
    method = Repository().get_default_shipping_method(basket=basket, user=user, shipping_addr=address)
    charge = method.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, charge)
    order = OrderCreator().place_order(
        basket=basket,
        total=total,
        shipping_method=method,
        shipping_charge=charge,
        user=user,
        shipping_address=address,
        status=order_status.COMPLETE,
        date_placed=placed_at,
    )
    basket.submit()
    source = payment_source(BANK_TRANSFER, total.incl_tax, total.currency, order.number)
    source.order = order
    source.amount_debited = total.incl_tax
    source.save()
    paid_at = placed_at + timedelta(hours=2)
    for code in (payments.SECURED, payments.PAID):
        event = order.payment_events.create(
            event_type=payments.event_type(code), amount=order.total_incl_tax, reference=order.number
        )
        type(event).objects.filter(pk=event.pk).update(date_created=paid_at)
    for line in order.lines.select_related("stockrecord"):
        record = line.stockrecord
        if record is not None and record.is_allocation_consumption_possible(line.quantity):
            record.consume_allocation(line.quantity)
        elif record is not None:
            record.cancel_allocation(line.quantity)  # not that much in stock: the demo leaves stock as it was
    order.lines.update(status=order_status.COMPLETE)
    return order


def seed(report, *, now, seed):
    """Offers, vouchers, orders carrying them and two activities (once)."""
    from plugins.bigdata.services.facts import record_orders

    if Activity.objects.filter(name=SPRING).exists():
        return
    Order = get_model("order", "Order")
    Product = get_model("catalogue", "Product")
    rng = random.Random(seed)
    buyer_ids = list(
        Order.objects.exclude(company=None)
        .exclude(shipping_address=None)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()[:8]
    )
    users = list(get_user_model().objects.filter(pk__in=buyer_ids).order_by("pk"))
    products = list(Product.objects.filter(is_public=True, stockrecords__isnull=False).distinct().order_by("pk")[:30])
    if not users or not products:
        report.notes.append("marketing: no demo buyers or products, nothing seeded")
        return
    with transaction.atomic():
        offer, vouchers, codes = _campaigns(now)
        placed = []
        for n in range(ORDERS):
            user = users[n % len(users)]
            placed_at = (now - timedelta(days=rng.randint(3, DAYS))).replace(hour=rng.randint(8, 18), minute=0)
            items = [(rng.choice(products), rng.choice([5, 10, 20, 30])) for _ in range(rng.randint(1, 4))]
            voucher = codes[n % len(codes)] if n % 3 == 0 else None
            placed.append(_place(user, items, voucher, placed_at))
        # the storefront keeps its prices: the demo offer stops, the vouchers expire
        offer.suspend()
        vouchers.end_datetime = now
        vouchers.save()
        vouchers.vouchers.update(end_datetime=now)
        today = timezone.localtime(now).date()
        save_activity(
            name=SPRING,
            start=today - timedelta(days=DAYS),
            end=today + timedelta(days=30),
            budget=800_000,
            notes="线上推广、展会物料与代金券发放",
            offers=[offer],
            voucher_sets=[vouchers],
        )
        Company = get_model("companies", "Company")
        key_accounts = Company.objects.filter(pk__in=[o.company_id for o in placed[:2]])
        save_activity(
            name=KEY_ACCOUNTS,
            start=today - timedelta(days=90),
            end=today,
            budget=300_000,
            notes="重点客户上门拜访",
            companies=key_accounts,
        )
        facts = record_orders([o.pk for o in placed])
    report.notes.append(
        f"marketing: {len(placed)} orders with the demo offer or vouchers ({facts} facts), 2 activities"
    )
