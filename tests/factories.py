"""Small builders for test data: real rows through the real models, no mocks."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from oscar.core.loading import get_model

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
    )
    return p


def distributor(key: str = "buyer", province: str = "广东省", with_address: bool = True) -> User:
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


def supplier_staff(partner: Partner, key: str = "supplierstaff") -> User:
    user = User.objects.create_user(username=key, email=f"{key}@example.cn", password=PASSWORD)
    user.user_permissions.add(Permission.objects.get(codename="dashboard_access"))
    partner.users.add(user)
    return user


def place_order(user: User, items: list[tuple[Product, int]], province: str = "广东省"):
    """An order placed through Oscar's OrderCreator from a real basket, shipped to ``province``
    (the shipping charge comes from the platform's shipping repository, as at checkout)."""
    from oscar.core.loading import get_class

    Basket = get_model("basket", "Basket")
    ShippingAddress = get_model("order", "ShippingAddress")
    Selector = get_class("partner.strategy", "Selector")
    Repository = get_class("shipping.repository", "Repository")
    OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
    OrderCreator = get_class("order.utils", "OrderCreator")

    basket = Basket.objects.create(owner=user)
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
    return order
