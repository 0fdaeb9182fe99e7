import graphene
from oscar.core.loading import get_class

from core.orders import payments
from core.orders.status import status_label
from core.regions import division_code, get_province
from shop.partner.quantities import smallest_quantity, terms_of
from storefront.payments import method_label

Selector = get_class("partner.strategy", "Selector")


def strategy_for(info):
    """Oscar's pricing strategy for whoever is asking (computed once per request)."""
    request = info.context
    if getattr(request, "strategy", None) is None:
        request.strategy = Selector().strategy(request=request, user=request.user)
    return request.strategy


def purchase_info(product, info):
    cached = getattr(product, "_purchase_info", None)
    if cached is None:
        cached = product._purchase_info = strategy_for(info).fetch_for_product(product)
    return cached


class Price(graphene.ObjectType):
    currency = graphene.String(required=True)
    excl_tax = graphene.Decimal(required=True)
    incl_tax = graphene.Decimal(required=True)
    tax = graphene.Decimal(required=True)


def price_of(price) -> Price | None:
    if not price.exists:
        return None
    return Price(currency=price.currency, excl_tax=price.excl_tax, incl_tax=price.incl_tax, tax=price.tax)


class Availability(graphene.ObjectType):
    is_available = graphene.Boolean(required=True)
    num_available = graphene.Int()
    message = graphene.String(required=True)


class Category(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    depth = graphene.Int(required=True)
    full_name = graphene.String(required=True)
    url = graphene.String(required=True)

    def resolve_full_name(category, info):
        return getattr(category, "_full_name", category.name)

    def resolve_url(category, info):
        return category.get_absolute_url()


class PriceBreak(graphene.ObjectType):
    min_quantity = graphene.Int(required=True, description="From this quantity up …")
    unit_price = graphene.Decimal(required=True, description="… the asking user pays this per unit (incl. VAT).")


class Product(graphene.ObjectType):
    id = graphene.ID(required=True)
    sku = graphene.String(required=True)
    title = graphene.String(required=True)
    description = graphene.String(required=True)
    url = graphene.String(required=True)
    image_url = graphene.String()
    supplier = graphene.String(description="The supplier offering this product.")
    categories = graphene.List(graphene.NonNull(Category), required=True)
    price = graphene.Field(Price, description="The price the asking user pays per unit.")
    availability = graphene.Field(Availability, required=True)
    min_order_quantity = graphene.Int(
        required=True, description="The smallest quantity a basket line may hold (起订量, rounded up to whole packs)."
    )
    pack_multiple = graphene.Int(
        required=True, description="A basket line's quantity is a multiple of this (包装倍数)."
    )
    price_breaks = graphene.List(
        graphene.NonNull(PriceBreak),
        required=True,
        description="The asking user's quantity breaks (阶梯价), from the minimum order quantity up; "
        "one row when one price holds for every quantity.",
    )

    def resolve_sku(product, info):
        return product.upc

    def resolve_title(product, info):
        return product.get_title()

    def resolve_url(product, info):
        return product.get_absolute_url()

    def resolve_image_url(product, info):
        images = product.images.all()
        return images[0].original.url if images else None

    def resolve_supplier(product, info):
        stockrecord = purchase_info(product, info).stockrecord
        return stockrecord.partner.name if stockrecord else None

    def resolve_categories(product, info):
        return product.categories.all()

    def resolve_price(product, info):
        return price_of(purchase_info(product, info).price)

    def resolve_min_order_quantity(product, info):
        return smallest_quantity(*terms_of(purchase_info(product, info).stockrecord))

    def resolve_pack_multiple(product, info):
        return terms_of(purchase_info(product, info).stockrecord)[1]

    def resolve_price_breaks(product, info):
        purchase = purchase_info(product, info)
        if not purchase.price.exists or purchase.stockrecord is None:
            return []
        start = smallest_quantity(*terms_of(purchase.stockrecord))
        user = info.context.user
        book = getattr(strategy_for(info), "price_book", None) if user.is_authenticated else None
        if book is None:  # list prices: one price for every quantity
            return [PriceBreak(min_quantity=start, unit_price=purchase.price.incl_tax)]
        return [PriceBreak(min_quantity=q, unit_price=p) for q, p in book.breaks(product, purchase.stockrecord, start)]

    def resolve_availability(product, info):
        availability = purchase_info(product, info).availability
        return Availability(
            is_available=availability.is_available_to_buy,
            num_available=availability.num_available,
            message=str(availability.message),
        )


class SearchFacetValue(graphene.ObjectType):
    key = graphene.String(required=True, description="Pass it back in the argument named after the facet.")
    label = graphene.String(required=True)
    count = graphene.Int(required=True)
    selected = graphene.Boolean(required=True)


class SearchFacet(graphene.ObjectType):
    name = graphene.String(required=True, description="category (an id), supplier (an id) or price (a range key).")
    label = graphene.String(required=True)
    values = graphene.List(graphene.NonNull(SearchFacetValue), required=True)


class ProductPage(graphene.ObjectType):
    total_count = graphene.Int(required=True)
    items = graphene.List(graphene.NonNull(Product), required=True)
    facets = graphene.List(
        graphene.NonNull(SearchFacet),
        required=True,
        description="Counts by category, supplier and listed-price range of the products found.",
    )


class BasketLine(graphene.ObjectType):
    id = graphene.ID(required=True)
    sku = graphene.String(required=True)
    supplier = graphene.String(description="The supplier whose offer the line is.")
    product = graphene.Field(Product, required=True)
    quantity = graphene.Int(required=True)
    unit_price = graphene.Field(Price, description="The unit price at the line's quantity (quantity breaks applied).")
    line_total = graphene.Field(Price)

    def resolve_sku(line, info):
        return line.product.upc or (line.stockrecord.partner_sku if line.stockrecord else "")

    def resolve_supplier(line, info):
        return line.stockrecord.partner.name if line.stockrecord else None

    def resolve_unit_price(line, info):
        if line.unit_price_incl_tax is None:
            return None
        return Price(
            currency=line.price_currency,
            excl_tax=line.unit_price_excl_tax,
            incl_tax=line.unit_price_incl_tax,
            tax=line.unit_tax,
        )

    def resolve_line_total(line, info):
        if line.line_price_incl_tax_incl_discounts is None:
            return None
        return Price(
            currency=line.price_currency,
            excl_tax=line.line_price_excl_tax_incl_discounts,
            incl_tax=line.line_price_incl_tax_incl_discounts,
            tax=line.line_tax,
        )


class Basket(graphene.ObjectType):
    id = graphene.ID()
    num_items = graphene.Int(required=True)
    lines = graphene.List(graphene.NonNull(BasketLine), required=True)
    total = graphene.Field(Price, required=True)

    def resolve_id(basket, info):
        return basket.id

    def resolve_lines(basket, info):
        return basket.all_lines()

    def resolve_total(basket, info):
        return Price(
            currency=basket.currency,
            excl_tax=basket.total_excl_tax,
            incl_tax=basket.total_incl_tax,
            tax=basket.total_tax,
        )


class Address(graphene.ObjectType):
    consignee = graphene.String(required=True)
    phone = graphene.String()
    province = graphene.String(required=True)
    city = graphene.String(required=True)
    district = graphene.String()
    street = graphene.String(required=True)
    postcode = graphene.String()
    division_code = graphene.String(description="GB/T 2260 code of the district (else city, else province)")

    def resolve_consignee(address, info):
        return address.last_name

    def resolve_phone(address, info):
        return str(address.phone_number) if address.phone_number else None

    def resolve_province(address, info):
        province = get_province(address.state)
        return province.label if province else address.state

    def resolve_city(address, info):
        return address.line4

    def resolve_district(address, info):
        return address.line3

    def resolve_street(address, info):
        return address.line1

    def resolve_division_code(address, info):
        return division_code(address.state, address.line4 or "", address.line3 or "")


class OrderLine(graphene.ObjectType):
    sku = graphene.String(required=True)
    title = graphene.String(required=True)
    supplier = graphene.String()
    quantity = graphene.Int(required=True)
    unit_price_incl_tax = graphene.Decimal()
    line_price_incl_tax = graphene.Decimal(required=True)
    status = graphene.String()

    def resolve_sku(line, info):
        return line.upc or line.partner_sku

    def resolve_supplier(line, info):
        return line.partner_name


class Order(graphene.ObjectType):
    number = graphene.String(required=True)
    status = graphene.String(required=True)
    status_label = graphene.String(required=True)
    placed_at = graphene.DateTime(required=True)
    currency = graphene.String(required=True)
    total_incl_tax = graphene.Decimal(required=True)
    shipping_incl_tax = graphene.Decimal(required=True)
    payment_method = graphene.String()
    payment_state = graphene.String(
        required=True, description="unpaid, on-account (payment secured, not yet paid) or paid"
    )
    payment_state_label = graphene.String(required=True)
    shipping_address = graphene.Field(Address)
    purchase_order_number = graphene.String(required=True, description="The buyer's purchase-order number (采购单号).")
    delivery_notes = graphene.String(required=True, description="The delivery notes (配送备注) of the address.")
    lines = graphene.List(graphene.NonNull(OrderLine), required=True)

    def resolve_delivery_notes(order, info):
        address = order.shipping_address
        return (address.notes or "") if address is not None else ""

    def resolve_status_label(order, info):
        return status_label(order.status)

    def resolve_placed_at(order, info):
        return order.date_placed

    def resolve_shipping_incl_tax(order, info):
        return order.shipping_incl_tax

    def resolve_payment_method(order, info):
        sources = order.sources.all()
        return method_label(sources[0].source_type.code) if sources else None

    def resolve_payment_state(order, info):
        return payments.payment_state(order)

    def resolve_payment_state_label(order, info):
        return payments.payment_state_label(order)

    def resolve_lines(order, info):
        return order.lines.all()


class OrderPage(graphene.ObjectType):
    total_count = graphene.Int(required=True)
    items = graphene.List(graphene.NonNull(Order), required=True)


class Viewer(graphene.ObjectType):
    email = graphene.String(required=True)
    name = graphene.String(required=True)
    is_staff = graphene.Boolean(required=True)

    def resolve_name(user, info):
        return user.get_full_name() or user.email
