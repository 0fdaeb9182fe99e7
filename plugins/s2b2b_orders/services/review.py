"""Product approval: a supplier's new products and changes of title, description or price wait
for an operator. The live product (what the storefront shows) changes only on approval."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from core.money import fen
from core.statemachine import StateMachine
from plugins.s2b2b_orders.models import ProductChange, ProductListing, ReviewStatus

#: A proposal is reviewed once: approved (it goes live) or rejected with a reason.
REVIEW = StateMachine(
    name="product_review",
    transitions={
        ReviewStatus.PENDING: frozenset({ReviewStatus.APPROVED, ReviewStatus.REJECTED}),
        ReviewStatus.APPROVED: frozenset(),
        ReviewStatus.REJECTED: frozenset(),
    },
    labels=dict(ReviewStatus.choices),
    subject=gettext_lazy("The proposal for %(subject)s"),
    state_field="status",
    timestamps={ReviewStatus.APPROVED: "reviewed_at", ReviewStatus.REJECTED: "reviewed_at"},
)

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
StockRecord = get_model("partner", "StockRecord")


def _clean(title: str, description: str, price) -> tuple[str, str, Decimal]:
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Enter a title.")
    try:
        price = fen(Decimal(str(price)))
        if price <= 0:
            raise InvalidOperation
    except (InvalidOperation, ValueError, TypeError):
        errors["price"] = _("Enter a price above 0.00.")
    if errors:
        raise ValidationError(errors)
    return title, (description or "").strip(), price


def create_product(
    *,
    partner,
    user,
    sku: str,
    title: str,
    description: str,
    price,
    stock: int,
    cost=None,
    categories=(),
    product_class=None,
    min_order_quantity: int = 1,
    pack_multiple: int = 1,
) -> ProductChange:
    """A supplier's new product: hidden from the storefront until approved."""
    title, description, price = _clean(title, description, price)
    sku = (sku or "").strip()
    if not sku:
        raise ValidationError({"sku": _("Enter a SKU.")})
    if Product.objects.filter(upc__iexact=sku).exists():
        raise ValidationError({"sku": _("SKU “%(sku)s” is already used.") % {"sku": sku}})
    if stock is None or stock < 0:
        raise ValidationError({"stock": _("Stock cannot be negative.")})
    _check_order_terms(min_order_quantity, pack_multiple)
    with transaction.atomic():
        product_class = product_class or ProductClass.objects.order_by("id").first()
        product = Product.objects.create(
            upc=sku,
            title=title,
            description=description,
            product_class=product_class,
            structure=Product.STANDALONE,
            is_public=True,
        )
        if categories:
            product.categories.set(categories)
        StockRecord.objects.create(
            product=product,
            partner=partner,
            partner_sku=sku,
            price=price,
            price_currency="CNY",
            num_in_stock=stock,
            cost=None if cost is None else fen(cost),
            min_order_quantity=min_order_quantity,
            pack_multiple=pack_multiple,
        )
        ProductListing.objects.create(product=product, partner=partner, approved=False)
        return ProductChange.objects.create(
            product=product,
            partner=partner,
            kind=ProductChange.Kind.NEW,
            title=title,
            description=description,
            price=price,
            submitted_by=user,
        )


def propose_change(*, product, partner, user, title: str, description: str, price) -> ProductChange | None:
    """Propose new title/description/price for one of the supplier's products; None if nothing changed."""
    title, description, price = _clean(title, description, price)
    stockrecord = StockRecord.objects.filter(product=product, partner=partner).first()
    if stockrecord is None:
        raise ValidationError({"product": _("This product is not yours.")})
    if title == product.title and description == (product.description or "") and price == stockrecord.price:
        return None
    with transaction.atomic():
        pending = ProductChange.objects.select_for_update().filter(product=product, status=ReviewStatus.PENDING).first()
        if pending is not None:
            # a newer proposal replaces the waiting one
            pending.title, pending.description, pending.price = title, description, price
            pending.submitted_by = user
            pending.save()
            return pending
        return ProductChange.objects.create(
            product=product,
            partner=partner,
            kind=ProductChange.Kind.CHANGE,
            title=title,
            description=description,
            price=price,
            submitted_by=user,
        )


#: the largest minimum order quantity or pack multiple (a basket line holds at most 99,999)
MAX_ORDER_TERM = 99999


def _check_order_terms(min_order_quantity, pack_multiple) -> None:
    errors = {}
    for name, value in (("min_order_quantity", min_order_quantity), ("pack_multiple", pack_multiple)):
        if value is not None and not 1 <= value <= MAX_ORDER_TERM:
            errors[name] = _("Between 1 and %(max)d.") % {"max": MAX_ORDER_TERM}
    if errors:
        raise ValidationError(errors)


def set_stock(
    *, product, partner, stock: int, cost=None, min_order_quantity: int | None = None, pack_multiple: int | None = None
) -> None:
    """Stock levels, the supplier's own cost and its order terms (minimum order quantity, pack
    multiple) are the supplier's business: no review."""
    if stock is None or stock < 0:
        raise ValidationError({"stock": _("Stock cannot be negative.")})
    if cost is not None and cost < 0:
        raise ValidationError({"cost": _("The cost cannot be negative.")})
    _check_order_terms(min_order_quantity, pack_multiple)
    stockrecord = StockRecord.objects.filter(product=product, partner=partner).first()
    if stockrecord is None:
        raise ValidationError({"product": _("This product is not yours.")})
    changes = {"num_in_stock": stock}
    if cost is not None:
        changes["cost"] = fen(cost)
    if min_order_quantity is not None:
        changes["min_order_quantity"] = min_order_quantity
    if pack_multiple is not None:
        changes["pack_multiple"] = pack_multiple
    StockRecord.objects.filter(pk=stockrecord.pk).update(**changes)


def approve(change: ProductChange, *, reviewer) -> ProductChange:
    """The proposal goes live: the product's title and description, the offer's price."""
    with transaction.atomic():
        change = REVIEW.transition(
            change,
            ReviewStatus.APPROVED,
            actor=reviewer,
            via="back office",
            field_name="status",
            changes={"reviewed_by": reviewer},
        )
        product = change.product
        product.title, product.description = change.title, change.description
        product.save()
        StockRecord.objects.filter(product=product, partner=change.partner).update(price=change.price)
        ProductListing.objects.update_or_create(product=product, defaults={"partner": change.partner, "approved": True})
        return change


def reject(change: ProductChange, *, reviewer, reason: str) -> ProductChange:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you reject this proposal.")})
    return REVIEW.transition(
        change,
        ReviewStatus.REJECTED,
        actor=reviewer,
        via="back office",
        reason=reason,
        field_name="status",
        changes={"rejection_reason": reason, "reviewed_by": reviewer},
    )


def mark_approved(products, partner_of) -> int:
    """Demo/initial data: record products as approved listings (idempotent)."""
    existing = set(ProductListing.objects.filter(product__in=products).values_list("product_id", flat=True))
    rows = [
        ProductListing(product=p, partner=partner_of(p), approved=True)
        for p in products
        if p.pk not in existing and partner_of(p) is not None
    ]
    ProductListing.objects.bulk_create(rows)
    return len(rows)
