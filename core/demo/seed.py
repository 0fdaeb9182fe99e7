"""Seeding the demo data set: idempotent (a second run changes nothing) and deterministic
(a fixed random seed; order dates are relative to the day it runs).

Historical orders go through Oscar's own OrderCreator from real baskets priced by the
platform strategy, so later analytics read the same rows a live checkout writes.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from core.demo import data
from core.orders import payments
from core.orders import status as order_status
from core.plugins import demo_finishers, demo_seeders
from storefront.payments import BANK_TRANSFER, ON_ACCOUNT, methods, payment_source

User = get_user_model()
Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
Partner = get_model("partner", "Partner")
PartnerAddress = get_model("partner", "PartnerAddress")
StockRecord = get_model("partner", "StockRecord")
Country = get_model("address", "Country")
UserAddress = get_model("address", "UserAddress")
ShippingAddress = get_model("order", "ShippingAddress")
Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")
Selector = get_class("partner.strategy", "Selector")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
Repository = get_class("shipping.repository", "Repository")


@dataclass
class SeedReport:
    suppliers: int = 0
    products: int = 0
    distributors: int = 0
    orders_created: int = 0
    orders_skipped: bool = False
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role, email, password)
    notes: list[str] = field(default_factory=list)  # one line per plugin: what it seeded


def seed_demo(months: int = 6, seed: int = 2026, now: datetime | None = None) -> SeedReport:
    if not 1 <= months <= 24:
        raise ValueError("months must be between 1 and 24")
    now = now or timezone.now()
    report = SeedReport()
    with transaction.atomic():
        categories = _seed_categories()
        product_class = _seed_product_class()
        partners = _seed_suppliers(report)
        products = _seed_products(categories, product_class, partners, random.Random(seed))
        report.products = len(products)
        distributors = _seed_distributors(report)
        _seed_operator(report)
    with transaction.atomic():
        if Order.objects.filter(user__in=distributors).exists():
            report.orders_skipped = True
        else:
            report.orders_created = _seed_order_history(distributors, products, months, random.Random(seed), now)
    for plugin_seed in demo_seeders():
        with transaction.atomic():
            plugin_seed(report, now=now, seed=seed)
    for finish in demo_finishers():
        with transaction.atomic():
            finish(report, now=now)
    return report


# --- catalogue -------------------------------------------------------------------------------


def _seed_categories() -> dict[tuple[str, str], Category]:
    leaves = {}
    for root_name, children in data.CATEGORIES:
        root = Category.get_root_nodes().filter(name=root_name).first() or Category.add_root(name=root_name)
        for child_name in children:
            child = root.get_children().filter(name=child_name).first() or root.add_child(name=child_name)
            leaves[(root_name, child_name)] = child
    return leaves


def _seed_product_class() -> ProductClass:
    product_class, _created = ProductClass.objects.get_or_create(
        slug="industrial", defaults={"name": "工业品", "requires_shipping": True, "track_stock": True}
    )
    ProductAttribute.objects.get_or_create(
        product_class=product_class, code="weight", defaults={"name": "重量(kg)", "type": ProductAttribute.FLOAT}
    )
    ProductAttribute.objects.get_or_create(
        product_class=product_class, code="unit", defaults={"name": "销售单位", "type": ProductAttribute.TEXT}
    )
    return product_class


def _seed_suppliers(report: SeedReport) -> dict[str, Partner]:
    china = Country.objects.get(iso_3166_1_a2="CN")
    permission = Permission.objects.get(codename="dashboard_access", content_type__app_label="partner")
    partners = {}
    for supplier in data.SUPPLIERS:
        partner, _created = Partner.objects.update_or_create(
            code=supplier.code.lower(), defaults={"name": supplier.legal_name}
        )
        PartnerAddress.objects.update_or_create(
            partner=partner,
            defaults={
                "last_name": supplier.staff_name,
                "line1": f"{supplier.city}经济技术开发区",
                "line4": supplier.city,
                "state": supplier.province,
                "country": china,
            },
        )
        email = f"{supplier.code.lower()}@{data.EMAIL_DOMAIN}"
        staff = _user(email, supplier.code.lower() + "-staff", supplier.staff_name)
        staff.user_permissions.add(permission)
        partner.users.add(staff)
        partners[supplier.code] = partner
        report.logins.append((_("Supplier staff: %(name)s") % {"name": supplier.name}, email, data.DEMO_PASSWORD))
    report.suppliers = len(partners)
    return partners


def _seed_products(categories, product_class, partners, rng: random.Random) -> list[Product]:
    weight_attr = product_class.attributes.get(code="weight")
    unit_attr = product_class.attributes.get(code="unit")
    products = []
    for family in data.FAMILIES:
        for suffix, label, price, weight in family.variants:
            sku = f"{family.sku_stem}-{suffix}".upper()
            title = family.title.replace("{v}", label).strip()
            product, _created = Product.objects.update_or_create(
                upc=sku,
                defaults={
                    "title": title,
                    "slug": slugify(sku),
                    "description": family.description,
                    "product_class": product_class,
                    "structure": Product.STANDALONE,
                    "is_public": True,
                },
            )
            product.categories.set([categories[family.category]])
            ProductAttributeValue.objects.update_or_create(
                product=product, attribute=weight_attr, defaults={"value_float": float(weight)}
            )
            ProductAttributeValue.objects.update_or_create(
                product=product, attribute=unit_attr, defaults={"value_text": family.unit}
            )
            StockRecord.objects.update_or_create(
                product=product,
                partner=partners[family.supplier],
                defaults={
                    "partner_sku": sku,
                    "price": data.money(price),
                    "price_currency": "CNY",
                    "num_in_stock": rng.randrange(400, 3000, 10),
                    "low_stock_threshold": 50,
                    # the offer's order terms (起订量, 包装倍数): 1 and 1 unless the family states them
                    "min_order_quantity": data.ORDER_TERMS.get(family.sku_stem, (1, 1))[0],
                    "pack_multiple": data.ORDER_TERMS.get(family.sku_stem, (1, 1))[1],
                },
            )
            products.append(product)
    return products


# --- people ----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _demo_password_hash() -> str:
    return make_password(data.DEMO_PASSWORD)  # hashed once: the hasher is slow on purpose


def _user(email: str, username: str, name: str, **extra) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create(
            email=email, username=username, first_name=name, password=_demo_password_hash(), **extra
        )
    return user


def _default_address(user, **fields) -> UserAddress:
    """The distributor's address, found by its content (Oscar's address hash), made the default
    for shipping and billing. Any number of runs leaves exactly one such address, and default."""
    address = UserAddress(user=user, **fields)
    existing = UserAddress.objects.filter(user=user, hash=address.generate_hash()).first()
    if existing is not None:
        if existing.is_default_for_shipping and existing.is_default_for_billing:
            return existing
        address = existing
    # a full save: Oscar first unsets the user's other defaults, then writes these flags
    address.is_default_for_shipping = address.is_default_for_billing = True
    address.save()
    return address


def _seed_distributors(report: SeedReport) -> list[User]:
    china = Country.objects.get(iso_3166_1_a2="CN")
    users = []
    for d in data.DISTRIBUTORS:
        email = f"{d.key}@{data.EMAIL_DOMAIN}"
        user = _user(email, d.key, d.contact)
        _default_address(
            user,
            last_name=d.contact,
            line2=d.company,
            line1=d.street,
            line3=d.district,
            line4=d.city,
            state=d.province,
            postcode=d.postcode,
            country=china,
            phone_number=f"+86{d.phone}",
        )
        users.append(user)
        report.logins.append((_("Distributor: %(name)s") % {"name": d.company}, email, data.DEMO_PASSWORD))
    report.distributors = len(users)
    return users


def _seed_operator(report: SeedReport) -> User:
    key, _role, name = data.OPERATOR
    email = f"{key}@{data.EMAIL_DOMAIN}"
    user = _user(email, key, name, is_staff=True, is_superuser=True)
    report.logins.insert(0, (_("Operator"), email, data.DEMO_PASSWORD))
    return user


# --- order history ---------------------------------------------------------------------------


COMPLETE, SHIPPED, CANCELLED = order_status.COMPLETE, order_status.SHIPPED, order_status.CANCELLED
PENDING, CONFIRMED = order_status.PENDING_PAYMENT, order_status.CONFIRMED
#: an order bought on account is repaid (paid) once it is older than this
REPAID_AFTER_DAYS = 40


def _status_for(age_days: int, rng: random.Random) -> str:
    """Older orders are finished; recent ones are waiting for payment or confirmed (their supplier
    parts then move on in the supplier-order demo, and the order follows them)."""
    if age_days > 21:
        return rng.choices([COMPLETE, CANCELLED], weights=[94, 6])[0]
    if age_days > 7:
        return rng.choices([COMPLETE, SHIPPED, CANCELLED], weights=[55, 40, 5])[0]
    return rng.choice([PENDING, CONFIRMED, CONFIRMED, CONFIRMED])


def _seed_order_history(distributors, products, months, rng: random.Random, now: datetime) -> int:
    by_supplier: dict[str, list[Product]] = {}
    for product in products:
        by_supplier.setdefault(product.upc.split("-")[0], []).append(product)
    profiles = {f"{d.key}@{data.EMAIL_DOMAIN}": d for d in data.DISTRIBUTORS}
    selector = Selector()
    shipping_method = None
    days = months * 30
    created = 0
    on_account = ON_ACCOUNT in methods()  # offered only when a plugin provides credit lines
    for age_days in range(days, 0, -1):
        day = now - timedelta(days=age_days)
        for user in distributors:
            # about two orders a month per distributor, a little more often lately
            if rng.random() > 0.055 + 0.03 * (1 - age_days / days):
                continue
            profile = profiles[user.email]
            strategy = selector.strategy(user=user)
            # editable beside any open basket (one open per buyer); submitted below
            basket = Basket.objects.create(owner=user, status=Basket.SAVED)
            basket.strategy = strategy
            for _line in range(rng.randint(1, 6)):
                supplier = rng.choice(profile.focus) if rng.random() < 0.75 else rng.choice(list(by_supplier))
                basket.add_product(rng.choice(by_supplier[supplier]), rng.choice([1, 2, 3, 5, 10, 20]))
            if shipping_method is None:
                shipping_method = Repository().get_default_shipping_method(basket=basket, user=user)
            shipping_charge = shipping_method.calculate(basket)
            total = OrderTotalCalculator().calculate(basket, shipping_charge)
            address = _shipping_address(user)
            placed_at = day.replace(hour=rng.randint(8, 19), minute=rng.randint(0, 59), second=0, microsecond=0)
            status = _status_for(age_days, rng)
            order = OrderCreator().place_order(
                basket=basket,
                total=total,
                shipping_method=shipping_method,
                shipping_charge=shipping_charge,
                user=user,
                shipping_address=address,
                status=status,
                date_placed=placed_at,
            )
            basket.submit()
            # an order bought on account is secured at once: only a transfer can wait for payment
            method = BANK_TRANSFER if status == PENDING or rng.random() < 0.6 or not on_account else ON_ACCOUNT
            paid = status not in (PENDING, CANCELLED) and (method == BANK_TRANSFER or age_days > REPAID_AFTER_DAYS)
            source = payment_source(method, total.incl_tax, total.currency, order.number)
            source.order = order
            if paid:
                source.amount_debited = total.incl_tax
            source.save()
            _record_payment_history(order, status, paid, placed_at, rng)
            _settle_stock(order, status)
            created += 1
    return created


def _record_payment_history(order: Order, status: str, paid: bool, placed_at: datetime, rng: random.Random) -> None:
    """The payment events a past order had (core.orders.payments), dated when they happened.
    History is written as it was, not replayed: the supplier-order demo forwards these orders."""
    if status in (PENDING, CANCELLED):
        return
    secured_at = placed_at + timedelta(hours=rng.choice([1, 2, 4, 20]))
    events = [(payments.SECURED, secured_at)]
    if paid:
        events.append((payments.PAID, secured_at))
    for code, when in events:
        event = order.payment_events.create(
            event_type=payments.event_type(code), amount=order.total_incl_tax, reference=order.number
        )
        type(event).objects.filter(pk=event.pk).update(date_created=when)


def _shipping_address(user) -> ShippingAddress:
    saved = user.addresses.get(is_default_for_shipping=True)
    address = ShippingAddress()
    saved.populate_alternative_model(address)
    address.save()
    return address


def _settle_stock(order: Order, status: str) -> None:
    """Move the stock the order allocated as its status implies, and mark its lines."""
    for line in order.lines.select_related("stockrecord"):
        if status in (SHIPPED, COMPLETE):
            line.stockrecord.consume_allocation(line.quantity)
        elif status == CANCELLED:
            line.stockrecord.cancel_allocation(line.quantity)
    order.lines.update(status=status)
