"""Compiled price-rule indexes: a tier's rules (or one company's own rules) loaded once per
process and reused until they change.

Why: a tier may hold 10,000 rules (a price list per product and quantity break). Loading every
rule of the member's tier on each request made the catalogue 18.8× plain Oscar (+73 MB). Here
each *scope* — a tier, or the rules of one company — is compiled once into plain tuples,
grouped by the product they target, with the category and "everything" rules apart, and kept in
this process under the scope's **rules version**: a UUID on the tier (``Tier.rules_version``)
and on the membership (``Membership.rules_version``; null while the company has no rules of
its own). Every write of a rule, and every change of a category, replaces the version in the
same transaction (``price_rules_changed``, called by the model signals below). The versions
arrive with the membership-and-tier query a priced request makes anyway, so a warm request
issues no query for rules at all, and every process sees a change on its next request.

Why not "load the rules for the products on the page" instead: the strategy is asked product
by product from many places (listing, product page, its recommendations and recently viewed,
mini-basket, basket, checkout, GraphQL, quick order, order creation). Each would have to
announce its products first, and any that forgot would cost a query per product. The index
needs nothing from its callers, costs one query per scope and change per process (the "cold"
request), and its size is the tuples of the scope's rules (≈ 0.5 KB a rule), not model
instances with their products and categories.

Saves and deletes reach ``price_rules_changed`` through the model signals below; the rule
QuerySet's ``bulk_create``, ``bulk_update``, ``update`` and ``delete`` call it themselves (once
per scope). Only raw SQL must call ``price_rules_changed(tier_ids=…, company_ids=…)`` by
hand. Inside ``batched_rule_writes()`` each touched version is replaced once, at the end.

Not seen: a category moved by ``Category.move()`` without saving it afterwards (Oscar's and
treebeard's forms save it after moving it, which replaces every version).
"""

import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db import DatabaseError, router
from oscar.core.loading import get_model

from plugins.member_tiers.models import Membership, PriceRule, Tier

Category = get_model("catalogue", "Category")

#: PriceRule columns kept per rule (all concrete fields, so nothing is deferred)
RULE_FIELDS = tuple(f.attname for f in PriceRule._meta.concrete_fields)
CATEGORY_FIELDS = ("id", "path", "depth", "name")
_PRODUCT = RULE_FIELDS.index("product_id")
_CATEGORY = RULE_FIELDS.index("category_id")

#: companies' compiled rules kept per process (tiers are few and always kept)
COMPANY_ENTRIES = 4096


@dataclass(frozen=True)
class CompiledRules:
    """One scope's rules as tuples (RULE_FIELDS order): by targeted product, and the rest."""

    by_product: dict[int, tuple[tuple, ...]] = field(default_factory=dict)
    general: tuple[tuple, ...] = ()
    categories: dict[int, tuple] = field(default_factory=dict)  # id -> CATEGORY_FIELDS values
    #: the platform's default floor margin when compiled (a change of it replaces every version)
    default_floor: Decimal | None = None

    def __len__(self) -> int:
        return sum(len(rows) for rows in self.by_product.values()) + len(self.general)


EMPTY = CompiledRules()

_lock = threading.Lock()
_tiers: dict[int, tuple[uuid.UUID, CompiledRules]] = {}
_companies: OrderedDict[int, tuple[uuid.UUID, CompiledRules]] = OrderedDict()


def compile_rules(rules) -> CompiledRules:
    """Compile a PriceRule queryset: one query (the rules with their categories' paths)."""
    by_product: dict[int, list[tuple]] = {}
    general: list[tuple] = []
    categories: dict[int, tuple] = {}
    extra = tuple(f"category__{name}" for name in CATEGORY_FIELDS)
    for row in rules.order_by("id").values_list(*RULE_FIELDS, *extra):
        values, category = row[: len(RULE_FIELDS)], row[len(RULE_FIELDS) :]
        if values[_PRODUCT] is not None:
            by_product.setdefault(values[_PRODUCT], []).append(values)
        else:
            general.append(values)
            if values[_CATEGORY] is not None:
                categories[values[_CATEGORY]] = category
    return CompiledRules({k: tuple(v) for k, v in by_product.items()}, tuple(general), categories)


def for_tier(tier: Tier) -> CompiledRules:
    """The tier's compiled rules (no query when this process compiled its current version)."""
    cached = _tiers.get(tier.pk)
    if cached is not None and cached[0] == tier.rules_version:
        return cached[1]
    compiled = replace(compile_rules(PriceRule.objects.filter(tier_id=tier.pk)), default_floor=default_floor())
    with _lock:
        _tiers[tier.pk] = (tier.rules_version, compiled)
    return compiled


def for_company(company_id: int | None, membership: Membership | None) -> CompiledRules:
    """A company's own rules: none without a query when its membership says there are none;
    compiled once per version otherwise; read directly for a company without a membership."""
    if company_id is None:
        return EMPTY
    if membership is None:
        return compile_rules(PriceRule.objects.filter(company_id=company_id))
    version = membership.rules_version
    if version is None:
        return EMPTY
    cached = _companies.get(company_id)
    if cached is not None and cached[0] == version:
        with _lock:
            _companies.move_to_end(company_id)
        return cached[1]
    compiled = compile_rules(PriceRule.objects.filter(company_id=company_id))
    with _lock:
        _companies[company_id] = (version, compiled)
        _companies.move_to_end(company_id)
        while len(_companies) > COMPANY_ENTRIES:
            _companies.popitem(last=False)
    return compiled


def default_floor() -> Decimal:
    """The platform's default floor margin, read now (services.floors)."""
    from plugins.member_tiers.services.floors import default_floor_margin

    return default_floor_margin()


def clear() -> None:
    """Forget every compiled index of this process (they are rebuilt on demand)."""
    with _lock:
        _tiers.clear()
        _companies.clear()


# -- materialising rules for one request ---------------------------------------------------------


def rule_from_row(values: tuple) -> PriceRule:
    return PriceRule.from_db(router.db_for_read(PriceRule), RULE_FIELDS, values)


def category_from_row(values: tuple) -> Category:
    return Category.from_db(router.db_for_read(Category), CATEGORY_FIELDS, values)


# -- invalidation --------------------------------------------------------------------------------

_batch = threading.local()


def price_rules_changed(*, tier_ids: Iterable[int | None] = (), company_ids: Iterable[int | None] = ()) -> None:
    """Replace the rules version of these tiers and companies (in the caller's transaction)."""
    tier_ids = {t for t in tier_ids if t is not None}
    company_ids = {c for c in company_ids if c is not None}
    pending = getattr(_batch, "pending", None)
    if pending is not None:
        pending[0].update(tier_ids)
        pending[1].update(company_ids)
        return
    if tier_ids:
        Tier.objects.filter(pk__in=tier_ids).update(rules_version=uuid.uuid4())
    if company_ids:
        Membership.objects.filter(company_id__in=company_ids).update(rules_version=uuid.uuid4())


def all_rules_changed() -> None:
    """A category moved, was renamed or deleted: every compiled scope may hold its old path."""
    Tier.objects.update(rules_version=uuid.uuid4())
    Membership.objects.filter(rules_version__isnull=False).update(rules_version=uuid.uuid4())


@contextmanager
def batched_rule_writes() -> Iterator[None]:
    """Collect the scopes touched by the rule writes inside, replace each version once at the end."""
    if getattr(_batch, "pending", None) is not None:  # nested: the outer batch bumps
        yield
        return
    _batch.pending = (set(), set())
    try:
        yield
    except BaseException:
        tiers, companies = _batch.pending
        _batch.pending = None
        # rules written before the error may have been kept; if the transaction is broken
        # instead, it rolls the writes back too
        with suppress(DatabaseError):
            price_rules_changed(tier_ids=tiers, company_ids=companies)
        raise
    tiers, companies = _batch.pending
    _batch.pending = None
    price_rules_changed(tier_ids=tiers, company_ids=companies)


# -- signal receivers (connected in MemberTiersConfig.ready) --------------------------------------


def rule_pre_save(sender, instance: PriceRule, raw=False, **kwargs) -> None:
    # a rule moved to another tier or company leaves its old scope too
    instance._scope_before = (
        None
        if instance._state.adding or instance.pk is None
        else PriceRule.objects.filter(pk=instance.pk).values_list("tier_id", "company_id").first()
    )


def rule_saved(sender, instance: PriceRule, raw=False, **kwargs) -> None:
    before = getattr(instance, "_scope_before", None) or (None, None)
    price_rules_changed(tier_ids=(instance.tier_id, before[0]), company_ids=(instance.company_id, before[1]))


def rule_deleted(sender, instance: PriceRule, **kwargs) -> None:
    price_rules_changed(tier_ids=(instance.tier_id,), company_ids=(instance.company_id,))


def membership_pre_save(sender, instance: Membership, raw=False, **kwargs) -> None:
    # a company that had rules before its membership gets a version, or they would be skipped
    if (
        instance._state.adding
        and instance.rules_version is None
        and not raw
        and PriceRule.objects.filter(company_id=instance.company_id).exists()
    ):
        instance.rules_version = uuid.uuid4()


def category_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        all_rules_changed()


def connect() -> None:
    from django.db.models.signals import post_delete, post_save, pre_save

    uid = "member_tiers.rule_index"
    pre_save.connect(rule_pre_save, sender=PriceRule, dispatch_uid=f"{uid}.rule_pre_save")
    post_save.connect(rule_saved, sender=PriceRule, dispatch_uid=f"{uid}.rule_saved")
    post_delete.connect(rule_deleted, sender=PriceRule, dispatch_uid=f"{uid}.rule_deleted")
    pre_save.connect(membership_pre_save, sender=Membership, dispatch_uid=f"{uid}.membership")
    post_save.connect(category_changed, sender=Category, dispatch_uid=f"{uid}.category_saved")
    post_delete.connect(category_changed, sender=Category, dispatch_uid=f"{uid}.category_deleted")
