"""Demo data of the analytics plugin: order history rich enough for every chart, then its facts.

1. **History** (``BIGDATA_DEMO_HISTORY``; on by default, off under ``DJANGO_ENV=test`` where other
   plugins' demo tests seed the demo and would pay for it — tests/bigdata switch it on): 33
   distributors (``demo_data.CUSTOMERS``) in 28 provinces, each delivering to one to three cities,
   buy for 400 days (over 13 months) with seasons (the Spring Festival dip, a busy fourth quarter),
   growth and customers won during the year. Orders go through Oscar's OrderCreator from real
   baskets priced by the platform's strategy (tier prices included), like the core demo's history;
   their payment events are written dated when they happened (the ``secured`` one dates the sale).
   The money history is then posted by finance's own backfill (as its demo does), some paid orders
   are cancelled through the kernel (``cancel_order``) and some goods come back through finance's
   refunds, each then dated when it happened. Salespeople own the customers by sales region (five,
   the member_tiers demo's two among them) and tiers follow the year's spend
   (``members.requalify``). Stock the history consumed is put back (the suppliers restocked);
   offers without a supplier's cost get one (68–86 % of the price), so margins mean something.
   The history is not forwarded to the suppliers (no supplier orders, shipments or settlements:
   the supplier portal keeps the core demo's); its facts take supplier and cost from the line's
   offer, as ``services.sources`` does for any order without supplier parts.
2. **Facts**: the rebuild writes the sales facts of every paid order (the core demo's too).
3. **Areas**: each analytics area's demo seeder (``AREA_SEEDERS``) runs after the facts.

Idempotent (a second run adds nothing: the history is skipped when its customers have orders) and
deterministic (one seeded random generator; dates relative to ``now``).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from core.orders import payments
from core.orders import status as order_status
from core.orders.services import cancel_order
from plugins.bigdata import demo_data
from plugins.bigdata.services import rebuild

#: the analytics areas' demo seeders, ``seed(report, *, now, seed)`` by dotted path, run in this order
#: after the facts are written (the performance area's targets for every salesperson go here)
AREA_SEEDERS: tuple[str, ...] = (
    "plugins.bigdata.performance.demo.seed",
    "plugins.bigdata.abc.demo.seed",
)
#: seeders that place more history orders: with the history only (off under DJANGO_ENV=test, where
#: the other plugins' demo tests count their own worlds), their money posted by finance's backfill
HISTORY_SEEDERS: tuple[str, ...] = ("plugins.bigdata.marketing.demo.seed",)

#: days of history (13 months and more)
HISTORY_DAYS = 400
#: the customers' paces are scaled by this (1.0: ~960 orders, 829 s on SQLite at load 13; 0.5: ~480)
ORDERS_SCALE = 0.5
#: share of paid orders cancelled soon after payment, and of delivered orders with goods returned
CANCELLED_SHARE = 0.03
REFUNDED_SHARE = 0.04
#: the season's weight on the number of orders, by month (the Spring Festival in January/February)
SEASON = {1: 0.85, 2: 0.55, 3: 1.1, 4: 1.05, 5: 1.0, 6: 1.05, 7: 0.95, 8: 0.95, 9: 1.1, 10: 0.9, 11: 1.2, 12: 1.25}
#: quantities bought at a list price (yuan) from … : a drum of oil by the piece, bolts by the dozen boxes
QUANTITIES = ((1000, (1, 1, 2)), (200, (1, 2, 2, 3, 5)), (50, (2, 3, 5, 5, 10)), (0, (5, 10, 10, 20, 24, 50)))

User = get_user_model()
Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
OrderStatusChange = get_model("order", "OrderStatusChange")
ShippingAddress = get_model("order", "ShippingAddress")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Country = get_model("address", "Country")
Selector = get_class("partner.strategy", "Selector")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
Repository = get_class("shipping.repository", "Repository")


def history_enabled() -> bool:
    return getattr(settings, "BIGDATA_DEMO_HISTORY", settings.DJANGO_ENV != "test")


def seed(report, *, now, seed):
    if history_enabled():
        made = seed_history(now=now, seed=seed)
        if made:
            report.notes.append(
                _(
                    "Analytics history: %(customers)d distributors in %(provinces)d provinces, %(orders)d orders "
                    "over %(days)d days (%(cancelled)d cancelled after payment, %(refunded)d with goods returned)."
                )
                % made
            )
        for key, name, _provinces in demo_data.SALESPEOPLE[2:]:  # the first two: the member_tiers demo's
            if User.objects.filter(email=_email(key)).exists():
                report.logins.append((_("Salesperson: %(name)s") % {"name": name}, _email(key), _password()))
    result = rebuild.rebuild()
    report.notes.append(
        _("Analytics: %(facts)d new sales facts from %(orders)d paid orders.")
        % {"facts": result.facts, "orders": result.orders}
    )
    if history_enabled():
        for path in HISTORY_SEEDERS:
            import_string(path)(report, now=now, seed=seed)
        if apps.is_installed("plugins.finance"):
            from plugins.finance.services.backfill import backfill

            backfill(apps)
    for path in AREA_SEEDERS:
        import_string(path)(report, now=now, seed=seed)


# --- customers -------------------------------------------------------------------------------


def _email(key: str) -> str:
    from core.demo import data

    return f"{key}@{data.EMAIL_DOMAIN}"


def _password() -> str:
    from core.demo import data

    return data.DEMO_PASSWORD


def _customers(now: datetime) -> dict[str, object]:
    """Each customer's admin (a login), its verified company and its default delivery address."""
    from companies.demo import _company
    from companies.models import CompanyStatus
    from companies.services import verification
    from core.demo import data
    from core.demo.seed import _default_address, _user

    china = Country.objects.get(iso_3166_1_a2="CN")
    operator = User.objects.filter(email=_email(data.OPERATOR[0])).first()
    users = {}
    for i, customer in enumerate(demo_data.CUSTOMERS):
        head = customer.sites[0]
        user = _user(_email(customer.key), customer.key, customer.contact)
        _default_address(
            user,
            last_name=customer.contact,
            line2=customer.company,
            line1=head.street,
            line3=head.district,
            line4=head.city,
            state=customer.province,
            postcode=head.postcode,
            country=china,
            phone_number=f"+86{customer.phone}",
        )
        company = _company(
            user=user,
            legal_name=customer.company,
            representative=customer.contact,
            phone=customer.phone,
            province=customer.province,
            city=head.city,
            address=f"{head.district}{head.street}",
            serial=3001 + i,  # the companies demo numbers its own from 1001 and 2001
            now=now - timedelta(days=customer.since_days + 10),
            industry=_("Industrial supplies distribution"),
            capital=str(100 + 50 * (i % 6)),
        )
        if company.status != CompanyStatus.VERIFIED:
            verification.verify(company, actor=operator, reason=_("Demo data: licence checked"), via="demo")
        users[customer.key] = user
    return users


def _salespeople() -> None:
    """The sales regions' salespeople own the analytics customers (member_tiers, when installed)."""
    if not apps.is_installed("plugins.member_tiers"):
        return
    from companies.selectors import company_of
    from core.demo.seed import _user
    from plugins.member_tiers.models import Membership
    from plugins.member_tiers.services import members

    members.ensure_memberships()
    people = {}
    for key, name, provinces in demo_data.SALESPEOPLE:
        person = _user(_email(key), key, name, is_staff=True)
        for province in provinces:
            people[province] = person
    for customer in demo_data.CUSTOMERS:
        company = company_of(User.objects.get(email=_email(customer.key)))
        membership = Membership.objects.filter(company=company).first()
        owner = people.get(customer.province)
        if membership is not None and owner is not None and membership.salesperson_id is None:
            members.assign_salesperson([membership], owner, reason=_("Demo data: sales region"))


# --- orders ----------------------------------------------------------------------------------


def _popular(products: list, rng: random.Random) -> list[tuple[object, float]]:
    """The catalogue with a long tail: a few products sell far more than the rest (ABC has classes)."""
    shuffled = products[:]
    rng.shuffle(shuffled)
    return [(p, 1.0 / (rank + 1) ** 0.9) for rank, p in enumerate(shuffled)]


def _pick(weighted: list[tuple[object, float]], rng: random.Random):
    return rng.choices([p for p, _w in weighted], weights=[w for _p, w in weighted])[0]


def _shipping_address(customer, site) -> ShippingAddress:
    china = Country.objects.get(iso_3166_1_a2="CN")
    address = ShippingAddress(
        last_name=customer.contact,
        line1=site.street,
        line2=customer.company,
        line3=site.district,
        line4=site.city,
        state=customer.province,
        postcode=site.postcode,
        country=china,
        phone_number=f"+86{customer.phone}",
    )
    address.save()
    return address


def _record_payment(order, method: str, placed_at: datetime, rng: random.Random) -> datetime:
    """Paid by bank transfer a few hours after it was placed: the payment source and the
    ``secured`` and ``paid`` events, dated when they happened (core.orders.payments)."""
    from storefront.payments import payment_source

    source = payment_source(method, order.total_incl_tax, order.currency, order.number)
    source.order = order
    source.amount_debited = order.total_incl_tax
    source.save()
    secured_at = placed_at + timedelta(hours=rng.choice([1, 2, 3, 5, 20]))
    for code in (payments.SECURED, payments.PAID):
        event = order.payment_events.create(
            event_type=payments.event_type(code), amount=order.total_incl_tax, reference=order.number
        )
        type(event).objects.filter(pk=event.pk).update(date_created=secured_at)
    return secured_at


def _costs(rng: random.Random) -> int:
    """What the platform pays the supplier for each offer that has no cost yet (68–86 % of the list
    price), so margins mean something; offers with a cost keep it."""
    from core.money import fen

    records = list(StockRecord.objects.filter(cost__isnull=True, price__isnull=False).order_by("id"))
    for record in records:
        record.cost = fen(record.price * Decimal(rng.randint(68, 86)) / 100)
    StockRecord.objects.bulk_update(records, ["cost"])
    return len(records)


def _orders(users, now: datetime, rng: random.Random) -> tuple[list, list]:
    """The customers' orders over ``HISTORY_DAYS``: (delivered orders, orders to cancel) with the
    moment each payment was secured."""
    from core.demo import data
    from storefront.payments import BANK_TRANSFER

    # the core demo's catalogue (not the proposals waiting for review)
    skus = {f"{f.sku_stem}-{v[0]}".upper() for f in data.FAMILIES for v in f.variants}
    products = list(Product.objects.filter(upc__in=skus, is_public=True).order_by("upc"))
    prices = dict(StockRecord.objects.filter(product__in=products).values_list("product_id", "price"))
    by_supplier: dict[str, list] = {}
    for product in products:
        by_supplier.setdefault(product.upc.split("-")[0], []).append(product)
    weighted = {code: _popular(items, rng) for code, items in sorted(by_supplier.items())}
    suppliers = sorted(weighted)
    selector = Selector()
    shipping_method = None
    delivered, to_cancel = [], []
    for age_days in range(HISTORY_DAYS, 0, -1):
        day = now - timedelta(days=age_days)
        growth = 0.8 + 0.4 * (1 - age_days / HISTORY_DAYS)
        for customer in demo_data.CUSTOMERS:
            if age_days > customer.since_days:
                continue
            if rng.random() > customer.pace * ORDERS_SCALE / 30 * SEASON[day.month] * growth:
                continue
            user = users[customer.key]
            basket = Basket.objects.create(owner=user, status=Basket.SAVED)
            basket.strategy = selector.strategy(user=user)
            for _line in range(rng.choice([1, 1, 2, 2, 3, 3, 4, 5])):
                code = rng.choice(customer.focus) if rng.random() < 0.75 else rng.choice(suppliers)
                product = _pick(weighted[code], rng)
                price = prices.get(product.pk) or 0
                basket.add_product(product, rng.choice(next(q for floor, q in QUANTITIES if price >= floor)))
            if shipping_method is None:
                shipping_method = Repository().get_default_shipping_method(basket=basket, user=user)
            charge = shipping_method.calculate(basket)
            total = OrderTotalCalculator().calculate(basket, charge)
            site = customer.sites[0] if rng.random() < 0.6 else rng.choice(customer.sites)
            placed_at = day.replace(hour=rng.randint(8, 19), minute=rng.randint(0, 59), second=0, microsecond=0)
            cancel = age_days > 3 and rng.random() < CANCELLED_SHARE
            status = order_status.CONFIRMED if cancel else order_status.COMPLETE
            if not cancel and age_days <= 12:
                status = order_status.SHIPPED
            order = OrderCreator().place_order(
                basket=basket,
                total=total,
                shipping_method=shipping_method,
                shipping_charge=charge,
                user=user,
                shipping_address=_shipping_address(customer, site),
                status=status,
                date_placed=placed_at,
            )
            basket.submit()
            order.lines.update(status=status)
            secured_at = _record_payment(order, BANK_TRANSFER, placed_at, rng)
            (to_cancel if cancel else delivered).append((order, secured_at))
    return delivered, to_cancel


def _cancel(orders, now: datetime, rng: random.Random) -> int:
    """Paid orders the customer called off before shipping: cancelled through the kernel, dated
    a day or two after the payment (the facts take the revenue back on that day)."""
    for order, secured_at in orders:
        cancel_order(order, reason=rng.choice(["客户取消采购计划", "重复下单", "项目延期"]))
        when = min(secured_at + timedelta(hours=rng.choice([6, 20, 30, 48])), now - timedelta(hours=1))
        OrderStatusChange.objects.filter(order=order, new_status=order_status.CANCELLED).update(date_created=when)
    return len(orders)


def _refund(orders, now: datetime, rng: random.Random) -> int:
    """Goods returned on some delivered orders, through finance's refunds (requested, approved and
    paid back), dated one to three weeks after the payment."""
    if not apps.is_installed("plugins.finance"):
        return 0
    from core.demo import data
    from plugins.finance.models import Refund
    from plugins.finance.services import refunds

    operator = User.objects.filter(email=_email(data.OPERATOR[0])).first()
    if operator is None:
        return 0
    made = 0
    for order, secured_at in orders:
        if rng.random() >= REFUNDED_SHARE or secured_at > now - timedelta(days=25):
            continue
        line = order.lines.order_by("-quantity", "id").first()
        back = max(1, line.quantity // rng.choice([1, 2, 3, 5]))
        refund = refunds.request_refund(
            order, reason=Refund.Reason.RETURN, lines=[(line, back)], note="货物规格不符，退回", by=operator
        )
        refunds.approve(refund, operator)
        refunds.execute(refund, payout_reference=f"DEMO-BD-TK-{refund.pk:05d}", by=operator)
        requested = secured_at + timedelta(days=rng.randint(5, 18))
        Refund.objects.filter(pk=refund.pk).update(
            requested_at=requested, decided_at=requested + timedelta(hours=4), refunded_at=requested + timedelta(days=1)
        )
        made += 1
    return made


def seed_history(*, now: datetime | None = None, seed: int = 2026) -> dict | None:
    """The analytics customers and their order history (see the module docstring); None when
    their history exists already (nothing is added)."""
    now = now or timezone.now()
    rng = random.Random(f"bigdata-{seed}")
    users = _customers(now)
    _salespeople()
    if Order.objects.filter(user__in=users.values()).exists():
        return None
    # the stock the year consumed came back from the suppliers: counts are put back afterwards
    stock = {r.pk: (r.num_in_stock, r.num_allocated) for r in StockRecord.objects.all()}
    _costs(rng)
    # history, not new orders: no sales contract is drawn up for each (contracts are for orders from now on)
    contracts, settings.CONTRACTS_FOR_NEW_ORDERS = getattr(settings, "CONTRACTS_FOR_NEW_ORDERS", False), False
    try:
        delivered, to_cancel = _orders(users, now, rng)
    finally:
        settings.CONTRACTS_FOR_NEW_ORDERS = contracts
    if apps.is_installed("plugins.finance"):
        from plugins.finance.services.backfill import backfill

        backfill(apps)  # the history's money, posted as the finance demo posts the core demo's
    cancelled = _cancel(to_cancel, now, rng)
    refunded = _refund(delivered, now, rng)
    for pk, (in_stock, allocated) in stock.items():
        StockRecord.objects.filter(pk=pk).update(num_in_stock=in_stock, num_allocated=allocated)
    if apps.is_installed("plugins.member_tiers"):
        from plugins.member_tiers.services import members

        members.requalify(now=now)  # tiers from the year's spend, as the nightly job does
    orders = [o for o, _at in delivered + to_cancel]
    return {
        "customers": len(users),
        "provinces": len({c.province for c in demo_data.CUSTOMERS}),
        "orders": len(orders),
        "days": HISTORY_DAYS,
        "cancelled": cancelled,
        "refunded": refunded,
    }
