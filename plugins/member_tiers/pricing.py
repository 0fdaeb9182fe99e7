"""Price resolution: what a member pays for a product at a quantity, and why.

Precedence (first level with a matching rule wins):

    1. customer rule (product > category > everything)
    2. tier product rule
    3. tier category rule (the deepest matching category)
    4. tier rule for everything
    5. tier default discount
    6. list price

Within a level, among quantity breaks the highest ``min_quantity`` ≤ quantity wins.
A rule's floor keeps the price at or above ``cost × (1 + margin%)`` and never below zero.

A ``PriceBook`` loads everything one user's prices need in two queries (membership with
tier, and the rules for the user and their tier valid today); resolving a product is then
pure Python, so a page of 100 products costs the same queries as a page of 20.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import fen
from plugins.member_tiers.models import Membership, PriceRule, Tier

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


def rule_price(rule: PriceRule, list_price: Decimal, stockrecord) -> tuple[Decimal, bool]:
    """The rule's unit price and whether its floor lifted it."""
    fixed = rule.kind == PriceRule.FIXED
    price = fen(rule.value) if fixed else fen(list_price * (HUNDRED - rule.value) / HUNDRED)
    floor = Decimal("0.00")
    cost = cost_of(stockrecord) if rule.floor_margin_percent is not None else None
    if cost is not None:
        floor = fen(cost * (HUNDRED + rule.floor_margin_percent) / HUNDRED)
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


def _window_q(today: date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=today)) & (
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )


def _category_paths(product) -> list[str]:
    owner = product.parent if product.is_child and product.parent_id else product
    return [c.path for c in owner.categories.all()]


class PriceBook:
    """Every rule that can price products for one user, loaded once."""

    def __init__(self, user, today: date | None = None, *, all_windows: bool = False):
        self.today = today or timezone.localdate()
        self.user = user
        membership = (
            Membership.objects.select_related("tier").filter(user=user).first()
            if user is not None and user.is_authenticated
            else None
        )
        self.membership = membership
        self.tier = membership.tier if membership else Tier.objects.order_by("rank").first()
        scope = Q(tier=self.tier) if self.tier else Q(pk__in=[])
        if user is not None and user.is_authenticated:
            scope |= Q(customer=user)
        rules = PriceRule.objects.filter(scope).select_related("category", "product", "tier")
        if not all_windows:
            rules = rules.filter(_window_q(self.today))
        self.rules = list(rules.order_by("id"))
        self.has_category_rules = any(r.category_id for r in self.rules)
        # index by target so a product only looks at the rules that can apply to it
        self._by_product: dict[int, list[PriceRule]] = {}
        self._general: list[PriceRule] = []
        for rule in self.rules:
            if rule.product_id:
                self._by_product.setdefault(rule.product_id, []).append(rule)
            else:
                self._general.append(rule)

    def _rules_for(self, product) -> list[PriceRule]:
        own = self._by_product.get(product.pk, [])
        parent = self._by_product.get(product.parent_id, []) if product.parent_id else []
        return own + parent + self._general if (own or parent) else self._general

    # -- levels -------------------------------------------------------------------------------

    def _level(self, rule: PriceRule, product, category_paths: list[str]) -> tuple[int, str, int] | None:
        """(level, source, specificity) of a rule for this product, or None when it does not target it."""
        customer = rule.customer_id is not None
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
        paths = _category_paths(product) if self.has_category_rules else []
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
            price, floored = rule_price(rule, list_price, stockrecord)
            explanation = self._explain_rule(rule, source, floored)
        elif self.tier and self.tier.default_discount_percent > 0:
            rule, source = None, TIER_DEFAULT
            price = fen(list_price * (HUNDRED - self.tier.default_discount_percent) / HUNDRED)
            explanation = _("%(tier)s default discount %(pct)s%%") % {
                "tier": tier_name,
                "pct": self.tier.default_discount_percent.normalize(),
            }
        else:
            rule, source, price = None, LIST, list_price
            explanation = _("List price")

        resolution = Resolution(list_price, price, source, rule, tier_name, explanation)
        if explain:
            resolution.candidates = self._candidates(matching, best, list_price, stockrecord, quantity)
        return resolution

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
            price, floored = rule_price(rule, list_price, stockrecord)
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
            price = fen(list_price * (HUNDRED - discount) / HUNDRED)
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
