"""Small builders for test data: real rows through the real models, no mocks."""

import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone
from oscar.core.loading import get_model

from core.orders.services import record_payment, secure_payment

User = get_user_model()
Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Country = get_model("address", "Country")
UserAddress = get_model("address", "UserAddress")

PASSWORD = "Test-pass-2026"


def product_class() -> ProductClass:
    pc, _ = ProductClass.objects.get_or_create(slug="industrial", defaults={"name": "工业品", "track_stock": True})
    return pc


def supplier(code: str = "sup", name: str = "测试供应商有限公司") -> Partner:
    partner, _ = Partner.objects.get_or_create(code=code, defaults={"name": name})
    return partner


def category(name: str = "紧固件", parent: Category | None = None) -> Category:
    existing = (parent.get_children() if parent else Category.get_root_nodes()).filter(name=name).first()
    if existing:
        return existing
    return parent.add_child(name=name) if parent else Category.add_root(name=name)


def product(
    sku: str,
    title: str | None = None,
    price: str = "10.00",
    stock: int = 100,
    partner: Partner | None = None,
    categories: tuple = (),
    is_public: bool = True,
    cost: str | None = None,
) -> Product:
    p = Product.objects.create(
        upc=sku,
        title=title or f"测试商品 {sku}",
        product_class=product_class(),
        structure=Product.STANDALONE,
        is_public=is_public,
    )
    if categories:
        p.categories.set(categories)
    StockRecord.objects.create(
        product=p,
        partner=partner or supplier(),
        partner_sku=sku,
        price=Decimal(price),
        price_currency="CNY",
        num_in_stock=stock,
        cost=None if cost is None else Decimal(cost),
    )
    return p


_serials = itertools.count(5001)
#: customer codes of the companies of one ``distributor`` makes (``company`` may take one over)
AUTO = "AUTO-"


def distributor(
    key: str = "buyer", province: str = "广东省", with_address: bool = True, *, role: str = "admin"
) -> User:
    """A person who buys for a verified company of one (its admin unless ``role`` says otherwise):
    member data, prices and ordering belong to companies."""
    user = person(key, province, with_address)
    company_of_one(user, role=role, province=province)
    return user


def company_of_one(user: User, *, role: str = "admin", province: str = "广东省"):
    """A verified company with ``user`` as its only person (written directly: no licence file)."""
    from companies import uscc
    from companies.models import Company, CompanyMember
    from companies.selectors import forget, name_key

    serial = next(_serials)
    name = f"{user.username}测试贸易有限公司"
    now = timezone.now()
    made = Company.objects.create(
        legal_name=name,
        name_key=name_key(name),
        uscc=uscc.generate("440300", serial),
        legal_representative="张三",
        province=province,
        city="深圳市",
        address="南山区科技园路1号",
        customer_code=f"{AUTO}{serial}",
        status="verified",
        applied_by=user,
        applied_at=now,
        verified_at=now,
    )
    CompanyMember.objects.create(company=made, user=user, role=role, added_by=user, added_at=now)
    forget(user)
    return made


def join(user: User, company, role: str = "buyer"):
    """Add ``user`` to ``company`` with ``role`` (as its admin would)."""
    from companies.models import CompanyMember
    from companies.selectors import forget

    member = CompanyMember.objects.create(company=company, user=user, role=role, added_at=timezone.now())
    forget(user)
    return member


def person(key: str = "buyer", province: str = "广东省", with_address: bool = True) -> User:
    """A signed-up user who belongs to no company yet (registers one, or is invited)."""
    user = User.objects.create_user(username=key, email=f"{key}@example.cn", password=PASSWORD, first_name="张三")
    if with_address:
        UserAddress.objects.create(
            user=user,
            last_name="张三",
            line2="测试贸易有限公司",
            line1="科技园路1号",
            line3="南山区",
            line4="深圳市",
            state=province,
            postcode="518000",
            country=Country.objects.get(iso_3166_1_a2="CN"),
            phone_number="+8613800138000",
            is_default_for_shipping=True,
        )
    return user


def operator(key: str = "operator") -> User:
    return User.objects.create_user(
        username=key, email=f"{key}@example.cn", password=PASSWORD, is_staff=True, is_superuser=True
    )


def salesperson(key: str = "salesperson") -> User:
    """Back-office staff who is not an operator: sees only their own customers' numbers."""
    return User.objects.create_user(username=key, email=f"{key}@example.cn", password=PASSWORD, is_staff=True)


def supplier_staff(partner: Partner, key: str = "supplierstaff") -> User:
    user = User.objects.create_user(username=key, email=f"{key}@example.cn", password=PASSWORD)
    user.user_permissions.add(Permission.objects.get(codename="dashboard_access"))
    partner.users.add(user)
    return user


def place_order(
    user: User, items: list[tuple[Product, int]], province: str = "广东省", *, secure: bool = True, paid: bool = False
):
    """An order placed through Oscar's OrderCreator from a real basket, shipped to ``province``
    (the shipping charge comes from the platform's shipping repository, as at checkout).

    ``secure`` (default): its payment is then secured, as for an order on account, so it is
    split and forwarded to its suppliers; ``paid``: the money is received too (bank transfer
    confirmed). With neither it waits as "Pending payment" and no supplier sees it."""
    from oscar.core.loading import get_class

    Basket = get_model("basket", "Basket")
    ShippingAddress = get_model("order", "ShippingAddress")
    Selector = get_class("partner.strategy", "Selector")
    Repository = get_class("shipping.repository", "Repository")
    OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
    OrderCreator = get_class("order.utils", "OrderCreator")

    basket = Basket.objects.create(owner=user, status=Basket.SAVED)  # editable beside the open one; submitted below
    basket.strategy = Selector().strategy(user=user)
    for item, quantity in items:
        basket.add_product(item, quantity)
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
        basket=basket,
        total=total,
        shipping_method=method,
        shipping_charge=charge,
        user=user,
        shipping_address=address,
    )
    basket.submit()
    order.refresh_from_db()  # the number as stored (a string), not the generator's integer
    if paid:
        record_payment(order, amount=order.total_incl_tax, reference=f"BANK-{order.number}", method="bank-transfer")
    elif secure:
        secure_payment(order, method="on-account", amount=order.total_incl_tax, reference=order.number)
    order.refresh_from_db()
    return order


def credit_line(user: User, limit: str = "10000.00", terms_days: int = 30):
    """A member_tiers credit line, so the distributor may pay on account (creates a base tier if none)."""
    from plugins.member_tiers.models import Tier
    from plugins.member_tiers.services.credit import set_credit_line
    from plugins.member_tiers.services.members import membership_for

    Tier.objects.get_or_create(code="regular", defaults={"name": "普通会员", "rank": 1})
    return set_credit_line(membership_for(user), limit=Decimal(limit), payment_terms_days=terms_days, reason="测试授信")


def history_order(user: User, number: str, total: str, placed_at, *, status: str | None = None, paid: bool = True):
    """A past order written directly (no basket), for nightly jobs over history: ``paid`` records
    the kernel's "paid" payment event, as if its bank transfer had been confirmed."""
    from core.orders import payments
    from core.orders import status as order_status

    Order = get_model("order", "Order")
    from companies.selectors import company_of

    order = Order.objects.create(
        number=number,
        user=user,
        company=company_of(user),
        currency="CNY",
        total_incl_tax=Decimal(total),
        total_excl_tax=Decimal(total),
        shipping_incl_tax=0,
        shipping_excl_tax=0,
        status=status or (order_status.COMPLETE if paid else order_status.PENDING_PAYMENT),
        date_placed=placed_at,
    )
    if paid:
        for code in (payments.SECURED, payments.PAID):
            order.payment_events.create(event_type=payments.event_type(code), amount=order.total_incl_tax)
    return order


PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def licence_upload(name: str = "营业执照.png", content: bytes = PNG):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def company_details(name: str = "深圳市测试贸易有限公司", serial: int = 1, **overrides) -> dict:
    from companies import uscc

    details = {
        "legal_name": name,
        "uscc": uscc.generate("440300", serial),
        "legal_representative": "张三",
        "province": "广东省",
        "city": "深圳市",
        "address": "南山区科技园路1号",
        "industry": "五金机电",
        "registered_capital": "100",
        "contact_phone": f"1380013{serial:04d}",
        "taxpayer_type": "general",
    }
    details.update(overrides)
    if "province" in overrides and "city" not in overrides:  # a city of that province (registration checks it)
        from core.regions import cities_of

        details["city"] = cities_of(details["province"])[0].name if cities_of(details["province"]) else "市区"
    return details


def company(admin: User, name: str = "深圳市测试贸易有限公司", serial: int = 1, *, verified: bool = True, **overrides):
    """A company registered by ``admin`` (its admin), verified by an operator unless asked not to.

    A ``distributor`` already buys for a company of one: that company takes these details (and
    keeps its orders and member data) instead of a second registration."""
    from companies.models import CompanyStatus
    from companies.selectors import company_of
    from companies.services import registration, verification

    existing = company_of(admin)
    if existing is not None and existing.customer_code.startswith(AUTO):
        data, warnings = registration.clean_details(company_details(name, serial, **overrides), instance=existing)
        for field, value in data.items():
            setattr(existing, field, value)
        existing.uscc_warnings = warnings
        existing.customer_code = ""
        existing.status = CompanyStatus.VERIFIED if verified else CompanyStatus.APPLIED
        existing.verified_at = existing.verified_at if verified else None
        existing.licence.save("营业执照.png", licence_upload(), save=False)
        existing.save()
        return existing

    made = registration.register(
        user=admin, details=company_details(name, serial, **overrides), licence=licence_upload(), consented=True
    )
    if verified:
        verification.verify(made, actor=None, reason="test")
    return made


def company_of(user: User):
    """The company ``user`` buys for (member data, price rules and orders hang on it)."""
    from companies.selectors import company_of as lookup

    return lookup(user)


def approval_request(company, buyer, number: str = "AP-TEST-1", *, role: str = "admin", total: str = "8888.00"):
    """A purchase request waiting at one step for ``role``, written directly (no checkout, nothing
    held): for walks that only need one to exist."""
    from datetime import timedelta

    from django.utils import timezone

    from companies.approvals.models import ApprovalRequest, ApprovalStep

    now = timezone.now()
    request = ApprovalRequest.objects.create(
        number=number,
        order_number=f"HELD-{number}",
        company=company,
        buyer=buyer,
        lines=[
            {
                "product_id": 0,
                "sku": "SKU-1",
                "title": "测试商品",
                "quantity": 1,
                "unit_price_incl_tax": total,
                "unit_price_excl_tax": total,
                "line_price_incl_tax": total,
            }
        ],
        sku_count=1,
        goods_incl_tax=Decimal(total),
        goods_excl_tax=Decimal(total),
        freight_incl_tax=Decimal("0.00"),
        freight_excl_tax=Decimal("0.00"),
        total_incl_tax=Decimal(total),
        total_excl_tax=Decimal(total),
        shipping_method_code="free-shipping",
        payment_method="bank-transfer",
        submitted_at=now,
        expires_at=now + timedelta(hours=72),
    )
    ApprovalStep.objects.create(request=request, position=1, step=1, role=role, reasons=["测试规则"])
    return request
