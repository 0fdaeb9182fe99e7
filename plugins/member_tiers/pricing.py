"""Price resolution: what a member pays for a product at a quantity, and why.

Precedence (first level with a matching rule wins):

    1. the company's own rule (customer rule: product > category > everything)
    2. tier product rule
    3. tier category rule (the deepest matching category)
    4. tier rule for everything
    5. tier default discount
    6. list price

Within a level, among quantity breaks the highest ``min_quantity`` ≤ quantity wins.
A floor keeps the price at or above ``cost × (1 + margin%)`` and never below zero: the rule's
margin, or the platform's default (services.floors) for a rule naming none and for the tier
default discount; only a rule carrying a floor override (with its reason) goes below it.

A ``PriceBook`` holds everything one user's prices need: their company's membership with its
tier (one query), the tier's rules and the company's own rules from the compiled per-process indexes of
``rule_index`` (no query once compiled; rebuilt when a rule changes), and the category paths
of the products it prices (prefetched with them, or one query per batch given to ``prime``).
Resolving a product is then pure Python over the few rules that target it, so neither the page
size, the basket lines nor the number of rules in the tier change the query count.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from companies.selectors import company_of, terms_refusal
from core.money import fen
from plugins.member_tiers import rule_index
from plugins.member_tiers.models import PriceRule, Tier
from plugins.member_tiers.selectors import membership_of_user

__all__ = [
    "HUNDRED",
    "Candidate",
    "PriceBook",
    "Resolution",
    "cost_of",
    "fen",
    "floor_price",
    "rule_in_window",
    "rule_price",
]

HUNDRED = Decimal("100")

CUSTOMER, TIER_PRODUCT, TIER_CATEGORY, TIER_ALL, TIER_DEFAULT, LIST = (
    "customer-rule",
    "tier-product",
    "tier-category",
    "tier-all",
    "tier-default",
    "list",
)


@dataclass
class Candidate:
    rule: PriceRule | None
    level: int
    source: str
    price: Decimal | None
    status: str  # "won", "outranked", "quantity", "window", "not-applicable"
    reason: str


@dataclass
class Resolution:
    list_price: Decimal
    unit_price: Decimal
    source: str
    rule: PriceRule | None
    tier_name: str
    explanation: str
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def saving(self) -> Decimal:
        return max(self.list_price - self.unit_price, Decimal("0.00"))


def floor_price(stockrecord, margin: Decimal | None) -> Decimal:
    """The lowest price the offer may be sold at: its cost plus ``margin`` %, or ¥0.00 when the
    supplier stated no cost."""
    cost = cost_of(stockrecord) if margin is not None else None
    if cost is None:
        return Decimal("0.00")
    return fen(cost * (HUNDRED + margin) / HUNDRED)


def rule_price(
    rule: PriceRule, list_price: Decimal, stockrecord, default_margin: Decimal | None = Decimal("0")
) -> tuple[Decimal, bool]:
    """The rule's unit price and whether its floor lifted it: the floor is the cost plus the
    rule's margin, or ``default_margin`` (the platform's) when the rule names none; a rule with
    a floor override (and its reason) is not held."""
    fixed = rule.kind == PriceRule.FIXED
    price = fen(rule.value) if fixed else fen(list_price * (HUNDRED - rule.value) / HUNDRED)
    if rule.floor_override_reason:
        return max(price, Decimal("0.00")), False
    margin = rule.floor_margin_percent if rule.floor_margin_percent is not None else default_margin
    floor = floor_price(stockrecord, margin)
    if price < floor:
        return floor, True
    return price, False


def cost_of(stockrecord) -> Decimal | None:
    """What the supplier's offer costs the platform, if the supplier stated it."""
    return stockrecord.cost


def rule_in_window(rule: PriceRule, today: date) -> bool:
    return (rule.valid_from is None or rule.valid_from <= today) and (
        rule.valid_until is None or rule.valid_until >= today
    )


def _owner(product):
    """The product whose categories count: a child variant is filed under its parent."""
    return product.parent if product.is_child and product.parent_id else product


class PriceBook:
    """Every rule that can price products for one user: their company's membership is read once,
    the rules come from the compiled indexes (``rule_index``), materialised only for the products
    priced."""

    def __init__(self, user, today: date | None = None, *, all_windows: bool = False, membership=None):
        """Prices for ``user`` (their company's membership), or for ``membership`` when given
        (the back office explaining a company's prices)."""
        self.today = today or timezone.localdate()
        self.user = user
        self.all_windows = all_windows
        if membership is None:
            membership = membership_of_user(user)
        self.membership = membership
        self.company = membership.company if membership else None
        if membership is None and user is not None and user.is_authenticated:
            # a company whose membership the nightly job has not made yet still has its own rules
            self.company = company_of(user)
        self.company_id = self.company.pk if self.company else None
        #: why the company's tier does not apply yet (e.g. no framework agreement), or None
        self.terms_refusal = terms_refusal(self.company)
        if membership is not None and self.terms_refusal is None:
            self.tier = membership.tier
        else:
            self.tier = Tier.objects.order_by("rank").first()
        self._tier_rules = rule_index.for_tier(self.tier) if self.tier else rule_index.EMPTY
        self._customer_rules = rule_index.for_company(self.company_id, membership)
        #: the platform's default floor margin, compiled with the tier's rules (no query when warm)
        self.default_margin = self._tier_rules.default_floor if self.tier else rule_index.default_floor()
        self._categories: dict[int, object] = {}
        # rules for everything or a category (the customer's and the tier's), valid today
        self._general = self._materialise(self._customer_rules.general + self._tier_rules.general)
        self.has_category_rules = any(r.category_id for r in self._general)
        self._by_product: dict[int, list[PriceRule]] = {}
        self._paths: dict[int, list[str]] = {}

    def _materialise(self, rows: Iterable[tuple]) -> list[PriceRule]:
        """PriceRule instances for compiled rows in this book's window, their tier, company and
        category attached (so explaining them reads no more rows)."""
        rules = []
        for row in sorted(rows):  # by id
            rule = rule_index.rule_from_row(row)
            if not self.all_windows and not rule_in_window(rule, self.today):
                continue
            if self.tier is not None and rule.tier_id == self.tier.pk:
                rule.tier = self.tier
            elif rule.company_id is not None and rule.company_id == self.company_id:
                rule.company = self.company
            if rule.category_id is not None:
                rule.category = self._category(rule.category_id)
            rules.append(rule)
        return rules

    def _category(self, category_id: int):
        category = self._categories.get(category_id)
        if category is None:
            row = self._customer_rules.categories.get(category_id) or self._tier_rules.categories[category_id]
            category = self._categories[category_id] = rule_index.category_from_row(row)
        return category

    def _product_rules(self, product_id: int | None) -> list[PriceRule]:
        if product_id is None:
            return []
        rules = self._by_product.get(product_id)
        if rules is None:
            rows = self._customer_rules.by_product.get(product_id, ()) + self._tier_rules.by_product.get(product_id, ())
            rules = self._by_product[product_id] = self._materialise(rows)
        return rules

    def _rules_for(self, product) -> list[PriceRule]:
        own = self._product_rules(product.pk)
        parent = self._product_rules(product.parent_id)
        for rule in own:
            rule.product = product
        for rule in parent:
            rule.product = product.parent
        return own + parent + self._general if (own or parent) else self._general

    def _category_paths(self, product) -> list[str]:
        owner = _owner(product)
        paths = self._paths.get(owner.pk)
        if paths is None:  # prefetched with the product, or one query for it
            paths = self._paths[owner.pk] = [c.path for c in owner.categories.all()]
        return paths

    def prime(self, products: Iterable) -> None:
        """Read the category paths of many products in one query (basket lines, order lines):
        only needed when a category rule could apply and the products came without them."""
        if not self.has_category_rules:
            return
        missing = set()
        for product in products:
            owner = _owner(product)
            if owner.pk in self._paths:
                continue
            if "categories" in getattr(owner, "_prefetched_objects_cache", {}):
                self._paths[owner.pk] = [c.path for c in owner.categories.all()]
            else:
                missing.add(owner.pk)
        if not missing:
            return
        ProductCategory = get_model("catalogue", "ProductCategory")
        paths: dict[int, list[str]] = {pk: [] for pk in missing}
        rows = ProductCategory.objects.filter(product_id__in=missing).values_list("product_id", "category__path")
        for product_id, path in rows.order_by("category__path"):
            paths[product_id].append(path)
        self._paths.update(paths)

    # -- levels -------------------------------------------------------------------------------

    def _level(self, rule: PriceRule, product, category_paths: list[str]) -> tuple[int, str, int] | None:
        """(level, source, specificity) of a rule for this product, or None when it does not target it."""
        customer = rule.company_id is not None
        if rule.product_id:
            if rule.product_id not in (product.pk, product.parent_id):
                return None
            return (1, CUSTOMER, 10_000) if customer else (2, TIER_PRODUCT, 0)
        if rule.category_id:
            depth = max(
                (len(rule.category.path) for p in category_paths if p.startswith(rule.category.path)), default=None
            )
            if depth is None:
                return None
            # deeper categories are more specific (a path is 4 characters per level)
            return (1, CUSTOMER, depth) if customer else (3, TIER_CATEGORY, depth)
        return (1, CUSTOMER, 0) if customer else (4, TIER_ALL, 0)

    def resolve(self, product, stockrecord, quantity: int = 1, *, explain: bool = False) -> Resolution:
        list_price = fen(stockrecord.price)
        quantity = max(int(quantity or 1), 1)
        paths = self._category_paths(product) if self.has_category_rules else []
        tier_name = self.tier.name if self.tier else ""

        best = None  # (level, -specificity, -min_quantity, id) -> rule
        matching: list[tuple[tuple, PriceRule, str]] = []
        for rule in self._rules_for(product):
            placed = self._level(rule, product, paths)
            if placed is None:
                continue
            level, source, specificity = placed
            key = (level, -specificity, -rule.min_quantity, rule.id)
            matching.append((key, rule, source))
            if rule.min_quantity <= quantity and rule_in_window(rule, self.today) and (best is None or key < best[0]):
                best = (key, rule, source)

        if best is not None:
            rule, source = best[1], best[2]
            price, floored = rule_price(rule, list_price, stockrecord, self.default_margin)
            explanation = self._explain_rule(rule, source, floored)
        elif self.tier and self.tier.default_discount_percent > 0:
            rule, source = None, TIER_DEFAULT
            price, floored = self._tier_default_price(list_price, stockrecord)
            explanation = _("%(tier)s default discount %(pct)s%%") % {
                "tier": tier_name,
                "pct": self.tier.default_discount_percent.normalize(),
            }
            if floored:
                explanation += " · " + _("raised to its cost floor")
        else:
            rule, source, price = None, LIST, list_price
            explanation = _("List price")

        resolution = Resolution(list_price, price, source, rule, tier_name, explanation)
        if explain:
            resolution.candidates = self._candidates(matching, best, list_price, stockrecord, quantity)
        return resolution

    def breaks(self, product, stockrecord, start: int = 1) -> list[tuple[int, Decimal]]:
        """The buyer's quantity-break table (阶梯价): from ``start`` (the smallest quantity the
        offer may be ordered in) up, each quantity at which their unit price changes, with that
        price — ``[(10, 13.10), (50, 12.40)]``. Resolved at every minimum quantity of the rules
        that may price the product, so precedence, validity windows and floors apply exactly as
        they do to a basket line of that quantity; pure Python over the rules already loaded."""
        start = max(int(start or 1), 1)
        quantities = {start} | {
            rule.min_quantity
            for rule in self._rules_for(product)
            if rule.min_quantity > start and rule_in_window(rule, self.today)
        }
        rows: list[tuple[int, Decimal]] = []
        for quantity in sorted(quantities):
            price = self.resolve(product, stockrecord, quantity).unit_price
            if not rows or rows[-1][1] != price:
                rows.append((quantity, price))
        return rows

    def _tier_default_price(self, list_price: Decimal, stockrecord) -> tuple[Decimal, bool]:
        """The tier's default discount, held at the platform's default floor."""
        price = fen(list_price * (HUNDRED - self.tier.default_discount_percent) / HUNDRED)
        floor = floor_price(stockrecord, self.default_margin)
        return (floor, True) if price < floor else (price, False)

    def _explain_rule(self, rule: PriceRule, source: str, floored: bool) -> str:
        labels = {
            CUSTOMER: _("Customer rule"),
            TIER_PRODUCT: _("Tier product rule"),
            TIER_CATEGORY: _("Tier category rule"),
            TIER_ALL: _("Tier rule for everything"),
        }
        text = _("%(label)s #%(id)s (from %(qty)s pcs)") % {
            "label": labels[source],
            "id": rule.id,
            "qty": rule.min_quantity,
        }
        if floored:
            text += " · " + _("raised to its cost floor")
        return text

    def _candidates(self, matching, best, list_price, stockrecord, quantity) -> list[Candidate]:
        out = []
        for key, rule, source in sorted(matching, key=lambda m: m[0]):
            price, floored = rule_price(rule, list_price, stockrecord, self.default_margin)
            if best is not None and rule.id == best[1].id:
                status, reason = "won", _("Highest precedence rule that applies at this quantity.")
                if floored:
                    reason += " " + _("Its floor raised the price.")
            elif not rule_in_window(rule, self.today):
                status, reason = "window", _("Outside its validity window.")
            elif rule.min_quantity > quantity:
                status, reason = "quantity", _("Needs at least %(n)s pcs.") % {"n": rule.min_quantity}
            else:
                status, reason = "outranked", _("A rule of higher precedence or a larger quantity break won.")
            out.append(Candidate(rule, key[0], source, price, status, reason))
        if self.tier:
            discount = self.tier.default_discount_percent
            price, _floored = self._tier_default_price(list_price, stockrecord)
            won = best is None and discount > 0
            out.append(
                Candidate(
                    None,
                    5,
                    TIER_DEFAULT,
                    price,
                    "won" if won else ("outranked" if discount > 0 else "not-applicable"),
                    _("Tier default discount %(pct)s%%") % {"pct": discount.normalize()},
                )
            )
        out.append(
            Candidate(
                None,
                6,
                LIST,
                list_price,
                "won" if best is None and not (self.tier and self.tier.default_discount_percent > 0) else "outranked",
                _("List price"),
            )
        )
        return out
