"""Freight for baskets and orders: loads templates once per basket (a fixed number of queries,
whatever the line count), hands the numbers to the pure calculator, stores results on orders."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.regions import get_province
from plugins.logistics import calculator
from plugins.logistics.calculator import FreeRule, FreightError, Item, NotDelivered, Rule, TemplateSpec
from plugins.logistics.models import (
    FreightTemplate,
    OrderFreight,
    OrderLineFreight,
    ProductFreightTemplate,
)

__all__ = [
    "FreightError",
    "NotDelivered",
    "BasketFreight",
    "spec_of",
    "quote_lines",
    "basket_freight",
    "ensure_order_freight",
    "explain_group",
]

ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
Partner = get_model("partner", "Partner")
ZERO = Decimal("0.00")


def spec_of(template: FreightTemplate) -> TemplateSpec:
    """The calculator's view of a template (uses prefetched rules when present)."""
    regions = list(template.region_rules.all())
    return TemplateSpec(
        id=template.pk,
        name=template.name,
        mode=template.mode,
        default=Rule(template.first_unit, template.first_price, template.additional_unit, template.additional_price),
        region_rules=tuple(
            (
                frozenset(r.provinces),
                Rule(r.first_unit, r.first_price, r.additional_unit, r.additional_price, f"region:{i}"),
            )
            for i, r in enumerate(regions)
        ),
        free_rules=tuple(
            FreeRule(frozenset(f.provinces), f.min_amount, f.min_quantity, f"free:{i}")
            for i, f in enumerate(template.free_rules.all())
        ),
        excluded=frozenset(template.excluded_provinces),
        region_names=tuple(_province_list(r.provinces) for r in regions),
    )


def _province_list(names) -> str:
    return "、".join((get_province(n).label if get_province(n) else n) for n in names)


def templates_for(product_partner: list[tuple[int, int]]) -> dict[int, TemplateSpec | None]:
    """{product_id: TemplateSpec or None} — the product's named template, else its supplier's
    default, else the platform default, else None (shipping included). Four queries."""
    product_ids = {p for p, _ in product_partner}
    partner_ids = {s for _, s in product_partner}
    chosen = dict(
        ProductFreightTemplate.objects.filter(product_id__in=product_ids).values_list("product_id", "template_id")
    )
    templates = (
        FreightTemplate.objects.filter(pk__in=set(chosen.values()))
        | FreightTemplate.objects.filter(is_default=True, partner_id__in=partner_ids)
        | FreightTemplate.objects.filter(is_default=True, partner__isnull=True)
    )
    templates = list(templates.distinct().prefetch_related("region_rules", "free_rules"))
    specs = {t.pk: spec_of(t) for t in templates}
    defaults = {t.partner_id: specs[t.pk] for t in templates if t.is_default}
    platform = defaults.get(None)
    return {
        product_id: specs.get(chosen.get(product_id)) or defaults.get(partner_id) or platform
        for product_id, partner_id in product_partner
    }


def product_measures(product_ids) -> dict[int, tuple[Decimal, Decimal]]:
    """{product_id: (kg per piece, m³ per piece)} from the ``weight`` / ``volume`` attributes."""
    out: dict[int, list[Decimal]] = {}
    rows = ProductAttributeValue.objects.filter(
        product_id__in=set(product_ids), attribute__code__in=("weight", "volume")
    ).values_list("product_id", "attribute__code", "value_float")
    for product_id, code, value in rows:
        measures = out.setdefault(product_id, [ZERO, ZERO])
        measures[0 if code == "weight" else 1] = Decimal(str(value or 0))
    return {k: (v[0], v[1]) for k, v in out.items()}


@dataclass
class LineInput:
    key: object
    product_id: int
    partner_id: int
    quantity: int
    line_total: Decimal
    title: str = ""


def quote_lines(lines: list[LineInput], province: str) -> calculator.BasketQuote:
    templates = templates_for([(line.product_id, line.partner_id) for line in lines])
    measures = product_measures(line.product_id for line in lines)
    items = [
        Item(
            key=line.key,
            partner_id=line.partner_id,
            template=templates.get(line.product_id),
            quantity=line.quantity,
            line_total=line.line_total,
            unit_weight=measures.get(line.product_id, (ZERO, ZERO))[0],
            unit_volume=measures.get(line.product_id, (ZERO, ZERO))[1],
            title=line.title,
        )
        for line in lines
    ]
    return calculator.quote_basket(items, province)


MODE_UNITS = {"piece": "件", "weight": "kg", "volume": "m³"}


def explain_group(group: calculator.GroupQuote) -> str:
    """One sentence saying which rule gave this fee, for buyers and suppliers."""
    template, q = group.template, group.quote
    if template is None:
        return _("No freight template: shipping included")
    unit = MODE_UNITS[template.mode]
    units = f"{q.units.normalize():f} {unit}"
    if q.rule.startswith("free:"):
        free = template.free_rules[int(q.rule.split(":")[1])]
        conditions = []
        if free.min_amount is not None:
            conditions.append(_("amount ≥ ¥%(amount)s") % {"amount": free.min_amount})
        if free.min_quantity is not None:
            conditions.append(_("quantity ≥ %(n)s") % {"n": free.min_quantity})
        return _("%(template)s: free shipping (%(conditions)s)") % {
            "template": template.name,
            "conditions": _(" and ").join(conditions),
        }
    if q.rule.startswith("region:"):
        where = _("region rule for %(provinces)s") % {"provinces": template.region_names[int(q.rule.split(":")[1])]}
    else:
        where = _("default rule")
    return _("%(template)s, %(where)s: %(units)s → first ¥%(first)s + %(n)s × ¥%(add)s = ¥%(total)s") % {
        "template": template.name,
        "where": where,
        "units": units,
        "first": q.first_price,
        "n": q.additional_count,
        "add": q.additional_price,
        "total": q.amount,
    }


@dataclass
class BasketFreight:
    """What checkout and the basket page show: total, parts per supplier, explanations."""

    province: str
    quote: calculator.BasketQuote | None
    partner_names: dict[int, str]
    error: str = ""

    @property
    def total(self) -> Decimal:
        return self.quote.total if self.quote else ZERO

    @property
    def deliverable(self) -> bool:
        return self.quote is not None and self.quote.deliverable and not self.error

    @property
    def undeliverable_titles(self) -> list[str]:
        return [i.title for i in self.quote.undeliverable] if self.quote else []

    @property
    def message(self) -> str:
        if self.error:
            return self.error
        if self.quote and self.quote.undeliverable:
            province = get_province(self.province)
            return _("These products cannot be delivered to %(province)s: %(products)s.") % {
                "province": province.label if province else self.province,
                "products": "、".join(self.undeliverable_titles),
            }
        return ""

    @property
    def parts(self) -> list[dict]:
        if not self.quote:
            return []
        return [
            {
                "partner_id": pid,
                "partner": self.partner_names.get(pid, ""),
                "amount": part.amount,
                "explanations": [explain_group(g) for g in part.groups],
            }
            for pid, part in self.quote.parts.items()
        ]


def _basket_lines(basket) -> list[LineInput]:
    lines = []
    for line in basket.all_lines():
        if line.stockrecord_id is None:
            continue
        total = line.line_price_incl_tax_incl_discounts
        if total is None:
            total = line.line_price_incl_tax or ZERO
        lines.append(
            LineInput(line.pk, line.product_id, line.stockrecord.partner_id, line.quantity, total, line.product.title)
        )
    return lines


def basket_freight(basket, province: str) -> BasketFreight:
    """The basket's freight for ``province``. Checkout asks several times in one request (its
    pre-conditions, the method, the order); the answer is kept on the basket object (one request)
    for the same lines, quantities, totals and province."""
    lines = _basket_lines(basket)
    key = (province, tuple((ln.key, ln.product_id, ln.partner_id, ln.quantity, ln.line_total) for ln in lines))
    memo = basket.__dict__.setdefault("_freight_quotes", {})
    if key not in memo:
        memo[key] = _basket_freight(lines, province)
    return memo[key]


def _basket_freight(lines: list[LineInput], province: str) -> BasketFreight:
    names = dict(Partner.objects.filter(pk__in={line.partner_id for line in lines}).values_list("pk", "name"))
    if not province or get_province(province) is None:
        return BasketFreight(province, None, names, _("Choose a delivery province to see the freight."))
    return BasketFreight(province, quote_lines(lines, province), names)


def freight_for_order_stored(order) -> dict[int, Decimal]:
    return dict(OrderFreight.objects.filter(order=order).values_list("partner_id", "amount"))


def ensure_order_freight(order) -> dict[int, Decimal]:
    """{partner_id: freight} of the order's supplier parts, computed and stored on first call
    with the checkout's calculator for the shipping address province (idempotent)."""
    stored = freight_for_order_stored(order)
    if stored:
        return stored
    province = order.shipping_address.state if order.shipping_address_id else ""
    order_lines = list(order.lines.select_related("product").all())
    inputs = [
        LineInput(
            line.pk,
            line.product_id,
            line.partner_id,
            line.quantity,
            line.line_price_incl_tax,
            line.title,
        )
        for line in order_lines
        if line.partner_id is not None and line.product_id is not None
    ]
    if not inputs:
        return {}
    try:
        result = quote_lines(inputs, province)
    except FreightError:
        # No (known) province: nothing can be computed; store zero parts so the call stays idempotent.
        result = None
    rows = {}
    try:
        with transaction.atomic():
            if result is None:
                for partner_id in {i.partner_id for i in inputs}:
                    rows[partner_id] = OrderFreight.objects.create(
                        order=order,
                        partner_id=partner_id,
                        province=province,
                        amount=ZERO,
                        explanation=_("Unknown delivery province: no freight charged"),
                    ).amount
                return rows
            undeliverable = {i.key for i in result.undeliverable}
            for partner_id, part in result.parts.items():
                freight = OrderFreight.objects.create(
                    order=order,
                    partner_id=partner_id,
                    province=province,
                    amount=part.amount,
                    explanation="\n".join(explain_group(g) for g in part.groups),
                )
                OrderLineFreight.objects.bulk_create(
                    [
                        OrderLineFreight(order_freight=freight, line_id=key, share=share)
                        for key, share in part.shares.items()
                        if key not in undeliverable
                    ]
                )
                rows[partner_id] = freight.amount
    except IntegrityError:
        # Computed concurrently by another process: theirs is stored; read it.
        return freight_for_order_stored(order)
    return rows


def products_freight(strategy, items: list[tuple], province: str) -> BasketFreight:
    """Freight for [(product, quantity)] priced by ``strategy`` (the storefront's freight quote).
    Products without a price or supplier are left out by the caller."""
    lines = []
    for key, (product, quantity) in enumerate(items):
        info = strategy.fetch_for_product(product)
        price = info.price.incl_tax if info.price.exists else ZERO
        lines.append(LineInput(key, product.pk, info.stockrecord.partner_id, quantity, price * quantity, product.title))
    names = dict(Partner.objects.filter(pk__in={line.partner_id for line in lines}).values_list("pk", "name"))
    if get_province(province) is None:
        raise FreightError(_("Unknown province: %(names)s.") % {"names": province}, "unknown_province", "province")
    return BasketFreight(province, quote_lines(lines, province), names)
