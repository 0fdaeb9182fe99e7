"""Which approval steps an order needs: pure, no ORM (the rules are loaded once by the caller).

A rule matches an order when

==============  ==========================================================================
kind            matches when
==============  ==========================================================================
order_total     the order total incl. tax (goods and freight) is above the threshold
sku_count       the number of distinct SKUs is above the threshold (a count)
freight         the freight incl. tax is above the threshold
role            the buyer's role in the company is the rule's ``buyer_role``
monthly_budget  the buyer's spend this calendar month (Asia/Shanghai), this order included,
                is above the threshold; a rule naming a buyer applies to that buyer only,
                one naming none to every buyer on their own
==============  ==========================================================================

"Above" is strict: an order of exactly the threshold, to the fen, needs no approval.

The matching rules make the steps: one step per (step number, approving role), in the order of
the step number, then of the lowest rule id; two rules naming the same step and role count
once (their reasons are both kept). An order no rule matches is placed at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from companies.approvals.models import RuleKind
from companies.models import Role


@dataclass(frozen=True)
class Facts:
    """What the rules look at, for one order of one buyer."""

    buyer_id: int
    role: str
    total_incl_tax: Decimal
    sku_count: int
    freight_incl_tax: Decimal
    #: the buyer's spend this month before this order; None when no budget rule needed it
    month_spend: Decimal | None = None


@dataclass
class PlannedStep:
    step: int
    role: str
    rules: list = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        return [describe(rule) for rule in self.rules]


def needs_month_spend(rules: Iterable) -> bool:
    return any(rule.kind == RuleKind.MONTHLY_BUDGET for rule in rules)


def applies_to(rule, buyer_id: int) -> bool:
    return rule.kind != RuleKind.MONTHLY_BUDGET or rule.buyer_id is None or rule.buyer_id == buyer_id


def matches(rule, facts: Facts) -> bool:
    if not rule.is_active or not applies_to(rule, facts.buyer_id):
        return False
    kind = rule.kind
    if kind == RuleKind.ORDER_TOTAL:
        return facts.total_incl_tax > rule.threshold
    if kind == RuleKind.SKU_COUNT:
        return facts.sku_count > rule.threshold
    if kind == RuleKind.FREIGHT:
        return facts.freight_incl_tax > rule.threshold
    if kind == RuleKind.ROLE:
        return facts.role == rule.buyer_role
    if kind == RuleKind.MONTHLY_BUDGET:
        if facts.month_spend is None:
            raise ValueError("a monthly budget rule needs the month's spend")
        return facts.month_spend + facts.total_incl_tax > rule.threshold
    raise ValueError(f"unknown rule kind {kind!r}")


def plan(rules: Iterable, facts: Facts) -> list[PlannedStep]:
    """The ordered steps the matching ``rules`` ask for (empty: no approval needed)."""
    steps: dict[tuple[int, str], PlannedStep] = {}
    for rule in sorted(rules, key=lambda r: (r.step, r.pk or 0)):
        if matches(rule, facts):
            key = (rule.step, rule.approver_role)
            steps.setdefault(key, PlannedStep(rule.step, rule.approver_role)).rules.append(rule)
    return sorted(steps.values(), key=lambda s: (s.step, min(r.pk or 0 for r in s.rules)))


def _count(value) -> str:
    return str(int(value)) if value is not None else "—"


def describe(rule) -> str:
    """The rule in the reader's language, e.g. "订单总额超过 ¥5000.00 → 审批人"."""
    role = str(dict(Role.choices).get(rule.approver_role, rule.approver_role))
    kind = rule.kind
    if kind == RuleKind.ORDER_TOTAL:
        text = _("Order total above ¥%(amount)s") % {"amount": rule.threshold}
    elif kind == RuleKind.SKU_COUNT:
        text = _("More than %(count)s distinct SKUs") % {"count": _count(rule.threshold)}
    elif kind == RuleKind.FREIGHT:
        text = _("Freight above ¥%(amount)s") % {"amount": rule.threshold}
    elif kind == RuleKind.ROLE:
        text = _("Any order by a %(role)s") % {"role": dict(Role.choices).get(rule.buyer_role, rule.buyer_role)}
    elif kind == RuleKind.MONTHLY_BUDGET:
        if rule.buyer_id:
            who = rule.buyer.get_full_name() or rule.buyer.email
            text = _("%(buyer)s's monthly spend above ¥%(amount)s") % {"buyer": who, "amount": rule.threshold}
        else:
            text = _("A buyer's monthly spend above ¥%(amount)s") % {"amount": rule.threshold}
    else:
        text = kind
    return _("%(condition)s → %(role)s (step %(step)s)") % {"condition": text, "role": role, "step": rule.step}
