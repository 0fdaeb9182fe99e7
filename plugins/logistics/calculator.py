"""The freight calculator: plain Python and Decimal, no ORM, so one quote costs microseconds.

A template charges by piece, by weight (kg) or by volume (m³). For the delivery province the
applicable rule is the region rule listing that province, else the template's default rule.

Units and partial units
-----------------------
``units`` is the total of the supplier part for this template: pieces, kg or m³.

* units ≤ first unit            → first price (an empty or weightless part still pays it)
* units > first unit            → first price + ceil((units − first unit) / additional unit)
                                  × additional price

Partial additional units are always rounded *up*: with first 1 kg / additional 1 kg at
¥2, 2.1 kg pays two additional units. Weights and volumes are the product's attribute times
the quantity, summed over the part's lines before rounding (never rounded per line).

Free shipping: the first free rule covering the province (a rule with no provinces covers
all) whose thresholds are met — amount ≥ min amount and quantity ≥ min quantity, each only
if set — makes the fee zero. Exactly at the threshold is free.

A province in the template's excluded list raises :class:`NotDelivered`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from core.money import allocate, fen
from core.regions import is_province

ZERO = Decimal("0.00")
PIECE, WEIGHT, VOLUME = "piece", "weight", "volume"
MODES = (PIECE, WEIGHT, VOLUME)


class FreightError(ValueError):
    """Bad input to the calculator (unknown province, negative quantity, ...)."""

    def __init__(self, message: str, code: str = "invalid", field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


class NotDelivered(FreightError):
    def __init__(self, province: str, template_name: str, products: tuple[str, ...] = ()):
        self.province = province
        self.template_name = template_name
        self.products = products
        super().__init__(f"{template_name} does not deliver to {province}", code="not_delivered", field="province")


@dataclass(frozen=True, slots=True)
class Rule:
    first_unit: Decimal
    first_price: Decimal
    additional_unit: Decimal
    additional_price: Decimal
    label: str = "default"  # "default" or "region:<i>"


@dataclass(frozen=True, slots=True)
class FreeRule:
    provinces: frozenset[str]  # empty: every delivered province
    min_amount: Decimal | None = None
    min_quantity: int | None = None
    label: str = "free"

    def applies(self, province: str, amount: Decimal, quantity: int) -> bool:
        if self.provinces and province not in self.provinces:
            return False
        if self.min_amount is not None and amount < self.min_amount:
            return False
        return self.min_quantity is None or quantity >= self.min_quantity


@dataclass(frozen=True, slots=True)
class Quote:
    amount: Decimal
    rule: str  # "default", "region:<i>", "free:<i>"
    units: Decimal
    first_price: Decimal = ZERO
    additional_count: int = 0
    additional_price: Decimal = ZERO


@dataclass(slots=True)
class TemplateSpec:
    """An in-memory freight template. Build once (from the ORM or by hand) and quote often."""

    id: int | None
    name: str
    mode: str
    default: Rule
    region_rules: tuple[tuple[frozenset[str], Rule], ...] = ()
    free_rules: tuple[FreeRule, ...] = ()
    excluded: frozenset[str] = frozenset()
    region_names: tuple[str, ...] = ()  # display label of each region rule
    _by_province: dict = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self):
        if self.mode not in MODES:
            raise FreightError(f"unknown charge mode {self.mode!r}", field="mode")
        seen: dict[str, int] = {}
        for i, (provinces, rule) in enumerate(self.region_rules):
            for p in provinces:
                if p in seen:
                    raise FreightError(f"{p} is in region rules {seen[p] + 1} and {i + 1}", "overlap", "region_rules")
                seen[p] = i
                self._by_province[p] = rule
        for rule in (self.default, *(r for _, r in self.region_rules)):
            if rule.first_unit <= 0 or rule.additional_unit <= 0:
                raise FreightError("units must be greater than zero", "not_positive", "first_unit")
            if rule.first_price < 0 or rule.additional_price < 0:
                raise FreightError("prices must not be negative", "negative", "first_price")

    def rule_for(self, province: str) -> Rule:
        return self._by_province.get(province, self.default)


def fee(rule: Rule, units: Decimal) -> tuple[Decimal, int]:
    """(fee, number of additional units charged) for ``units`` under ``rule``."""
    if units <= rule.first_unit:
        return rule.first_price, 0
    extra = ((units - rule.first_unit) / rule.additional_unit).to_integral_value(ROUND_CEILING)
    n = int(extra)
    return rule.first_price + rule.additional_price * n, n


def quote(template: TemplateSpec, province: str, units: Decimal, amount: Decimal, quantity: int) -> Quote:
    """The fee of one template's part of a basket delivered to ``province``.

    ``units`` in the template's mode (pieces, kg, m³), ``amount`` the goods total and
    ``quantity`` the number of pieces (both for the free-shipping thresholds).
    """
    if province in template.excluded:
        raise NotDelivered(province, template.name)
    if units < 0 or amount < 0 or quantity < 0:
        raise FreightError("quantities and amounts must not be negative", "negative", "lines")
    for i, free in enumerate(template.free_rules):
        if free.applies(province, amount, quantity):
            return Quote(ZERO, f"free:{i}", units)
    rule = template._by_province.get(province, template.default)
    if units <= rule.first_unit:
        return Quote(fen(rule.first_price), rule.label, units, rule.first_price)
    n = int(((units - rule.first_unit) / rule.additional_unit).to_integral_value(ROUND_CEILING))
    total = fen(rule.first_price + rule.additional_price * n)
    return Quote(total, rule.label, units, rule.first_price, n, rule.additional_price)


# --- basket level -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Item:
    """One basket or order line as the calculator sees it."""

    key: object  # the line's id (or anything identifying it)
    partner_id: int
    template: TemplateSpec | None  # None: no template applies, shipping included
    quantity: int
    line_total: Decimal
    unit_weight: Decimal = ZERO  # kg per piece
    unit_volume: Decimal = ZERO  # m³ per piece
    title: str = ""

    def units(self, mode: str) -> Decimal:
        if mode == PIECE:
            return Decimal(self.quantity)
        return (self.unit_weight if mode == WEIGHT else self.unit_volume) * self.quantity


@dataclass(slots=True)
class GroupQuote:
    template: TemplateSpec | None
    quote: Quote | None
    items: list[Item]


@dataclass(slots=True)
class PartQuote:
    partner_id: int
    amount: Decimal
    groups: list[GroupQuote]
    shares: dict  # item key -> Decimal share; sums exactly to amount


@dataclass(slots=True)
class BasketQuote:
    province: str
    parts: dict[int, PartQuote]
    undeliverable: list[Item]

    @property
    def total(self) -> Decimal:
        return sum((p.amount for p in self.parts.values()), ZERO)

    @property
    def deliverable(self) -> bool:
        return not self.undeliverable


def quote_basket(items: list[Item], province: str) -> BasketQuote:
    """Freight per supplier part: lines grouped by (supplier, template), each group quoted once;
    a part's fee is the sum of its groups' fees, shared over its lines by units."""
    if not is_province(province):
        raise FreightError(f"unknown province {province!r}", "unknown_province", "province")
    groups: dict[tuple[int, int], list[Item]] = defaultdict(list)
    for item in items:
        if item.quantity <= 0:
            raise FreightError("quantity must be greater than zero", "not_positive", "quantity")
        if item.line_total < 0 or item.unit_weight < 0 or item.unit_volume < 0:
            raise FreightError("amounts, weights and volumes must not be negative", "negative", "lines")
        groups[(item.partner_id, id(item.template))].append(item)
    parts: dict[int, PartQuote] = {}
    undeliverable: list[Item] = []
    for (partner_id, _), group in groups.items():
        template = group[0].template
        part = parts.get(partner_id)
        if part is None:
            part = parts[partner_id] = PartQuote(partner_id, ZERO, [], {})
        if template is None:
            part.groups.append(GroupQuote(None, None, group))
            part.shares.update({i.key: ZERO for i in group})
            continue
        if province in template.excluded:
            undeliverable.extend(group)
            continue
        units = sum((i.units(template.mode) for i in group), Decimal(0))
        amount = sum((i.line_total for i in group), Decimal(0))
        quantity = sum(i.quantity for i in group)
        q = quote(template, province, units, amount, quantity)
        part.groups.append(GroupQuote(template, q, group))
        part.amount += q.amount
        part.shares.update(allocate(q.amount, [(i.key, i.units(template.mode)) for i in group]))
    return BasketQuote(province, parts, undeliverable)
