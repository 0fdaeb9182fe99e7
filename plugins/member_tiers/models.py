"""Member tiers, price rules, points, credit on account, tags and salesperson ownership.

Invariants live in the database where a constraint can state them; the rest (overlapping
rules, floors against cost) is checked by the services, the only code that writes here.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0.00")


class Tier(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    rank = models.PositiveIntegerField(_("rank"), unique=True, help_text=_("Higher ranks are better tiers."))
    default_discount_percent = models.DecimalField(
        _("default discount (%)"), max_digits=5, decimal_places=2, default=ZERO
    )
    upgrade_threshold = models.DecimalField(
        _("spend to qualify (CNY)"),
        max_digits=14,
        decimal_places=2,
        default=ZERO,
        help_text=_("Paid spend over the rolling window a member needs to hold this tier."),
    )
    window_days = models.PositiveIntegerField(_("rolling window (days)"), default=365)
    points_per_yuan = models.DecimalField(_("points per yuan"), max_digits=6, decimal_places=2, default=Decimal("1"))
    #: replaced whenever one of the tier's price rules (or any category) changes; pricing keeps
    #: the tier's compiled rules per process under it (see member_tiers.rule_index)
    rules_version = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["rank"]
        verbose_name = _("member tier")
        verbose_name_plural = _("member tiers")
        constraints = [
            models.CheckConstraint(
                condition=Q(default_discount_percent__gte=0, default_discount_percent__lte=100),
                name="mt_tier_discount_0_100",
            ),
            models.CheckConstraint(condition=Q(upgrade_threshold__gte=0), name="mt_tier_threshold_nonneg"),
            models.CheckConstraint(condition=Q(points_per_yuan__gte=0), name="mt_tier_points_nonneg"),
        ]

    def __str__(self):
        return self.name


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=32, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name


class Membership(models.Model):
    GRADES = [("A", "A"), ("B", "B"), ("C", "C")]

    #: the buyer is a company: its tier, credit, points, price rules and salesperson are shared by
    #: its people (companies.Company; a distributor who bought alone became a company of one)
    company = models.OneToOneField(
        "companies.Company", on_delete=models.CASCADE, related_name="membership", verbose_name=_("company")
    )
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="members", verbose_name=_("tier"))
    salesperson = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_members",
        verbose_name=_("salesperson"),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="members", verbose_name=_("tags"))
    points_balance = models.IntegerField(_("points"), default=0)
    # fact tags, recomputed from paid orders by the nightly job
    total_spend = models.DecimalField(_("total spend"), max_digits=14, decimal_places=2, default=ZERO)
    order_count = models.PositiveIntegerField(_("orders"), default=0)
    last_order_at = models.DateTimeField(_("last order"), null=True, blank=True)
    average_order_value = models.DecimalField(_("average order value"), max_digits=14, decimal_places=2, default=ZERO)
    grade = models.CharField(_("value grade"), max_length=1, choices=GRADES, blank=True)
    facts_updated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    #: null while the company has no price rules of its own; replaced when one changes (rule_index)
    rules_version = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.CheckConstraint(condition=Q(points_balance__gte=0), name="mt_points_nonneg")]

    def __str__(self):
        return str(self.company)


class TierChange(models.Model):
    MANUAL, AUTOMATIC = "manual", "automatic"
    KINDS = [(MANUAL, _("manual")), (AUTOMATIC, _("automatic"))]

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="tier_changes")
    from_tier = models.ForeignKey(Tier, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    to_tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=KINDS)
    reason = models.CharField(_("reason"), max_length=255)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.membership}: {self.from_tier} → {self.to_tier}"


class SalespersonChange(models.Model):
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="salesperson_changes")
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = models.CharField(_("reason"), max_length=255)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.membership}: {self.from_user} → {self.to_user}"


class PriceRuleQuerySet(models.QuerySet):
    """Bulk writes replace the rules version of the scopes they touch, as saves do through the
    model signals (member_tiers.rule_index), so the compiled rule indexes never go stale."""

    def _scopes(self) -> tuple[set, set]:
        rows = set(self.values_list("tier_id", "company_id").distinct())
        return {t for t, _c in rows}, {c for _t, c in rows}

    def _changed(self, tiers, companies) -> None:
        from plugins.member_tiers import rule_index

        rule_index.price_rules_changed(tier_ids=tiers, company_ids=companies)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        created = super().bulk_create(objs, *args, **kwargs)
        self._changed({o.tier_id for o in objs}, {o.company_id for o in objs})
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        tiers, companies = self.model.objects.filter(pk__in=[o.pk for o in objs])._scopes()
        updated = super().bulk_update(objs, fields, *args, **kwargs)
        self._changed(tiers | {o.tier_id for o in objs}, companies | {o.company_id for o in objs})
        return updated

    def update(self, **kwargs):
        tiers, companies = self._scopes()
        updated = super().update(**kwargs)
        tier, company = kwargs.get("tier", kwargs.get("tier_id")), kwargs.get("company", kwargs.get("company_id"))
        tiers.add(getattr(tier, "pk", tier))
        companies.add(getattr(company, "pk", company))
        self._changed(tiers, companies)
        return updated

    def delete(self):
        from plugins.member_tiers import rule_index

        with rule_index.batched_rule_writes():  # one version change per scope, not one per rule
            return super().delete()


class PriceRule(models.Model):
    FIXED, PERCENT = "fixed", "percent"
    KINDS = [(FIXED, _("fixed price")), (PERCENT, _("percent off list price"))]

    tier = models.ForeignKey(Tier, on_delete=models.CASCADE, null=True, blank=True, related_name="price_rules")
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="price_rules",
        verbose_name=_("company"),
    )
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, null=True, blank=True, related_name="member_price_rules"
    )
    category = models.ForeignKey(
        "catalogue.Category", on_delete=models.CASCADE, null=True, blank=True, related_name="member_price_rules"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=KINDS)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    min_quantity = models.PositiveIntegerField(_("minimum quantity"), default=1)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    floor_margin_percent = models.DecimalField(
        _("floor: margin over cost (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    #: why this rule may price below its floor (cost plus the margin); empty: the floor holds.
    #: Who gave it and when are stamped by the rule services and kept in FloorAudit too.
    floor_override_reason = models.CharField(_("floor override: reason"), max_length=255, blank=True)
    floor_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    floor_override_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PriceRuleQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("price rule")
        verbose_name_plural = _("price rules")
        constraints = [
            models.CheckConstraint(
                condition=(Q(tier__isnull=False, company__isnull=True) | Q(tier__isnull=True, company__isnull=False)),
                name="mt_rule_one_scope",
            ),
            models.CheckConstraint(
                condition=Q(product__isnull=True) | Q(category__isnull=True), name="mt_rule_one_target"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="mt_rule_value_nonneg"),
            models.CheckConstraint(condition=~Q(kind="percent") | Q(value__lte=100), name="mt_rule_percent_max_100"),
            models.CheckConstraint(condition=Q(min_quantity__gte=1), name="mt_rule_min_qty"),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="mt_rule_window",
            ),
            models.CheckConstraint(
                condition=Q(floor_margin_percent__isnull=True) | Q(floor_margin_percent__gte=0),
                name="mt_rule_floor_nonneg",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.scope_label} · {self.target_label}"

    @property
    def scope_label(self) -> str:
        return str(self.company) if self.company_id else str(self.tier)

    @property
    def target_label(self) -> str:
        if self.product_id:
            return self.product.upc or str(self.product)
        if self.category_id:
            return self.category.name
        return str(_("everything"))


class OrderLinePrice(models.Model):
    """Which rule produced an order line's price (snapshot, written when the order is placed)."""

    line = models.OneToOneField("order.Line", on_delete=models.CASCADE, related_name="member_price")
    rule = models.ForeignKey(PriceRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    source = models.CharField(max_length=32)  # customer-rule, tier-product, tier-category, tier-all, tier-default, list
    tier_name = models.CharField(max_length=64, blank=True)
    list_price = models.DecimalField(max_digits=12, decimal_places=2)
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    explanation = models.CharField(max_length=255)

    def __str__(self):
        return f"{self.line}: {self.explanation}"


class PointsEntry(models.Model):
    EARN, REDEEM, EXPIRE, ADJUST, WITHDRAW = "earn", "redeem", "expire", "adjust", "withdraw"
    KINDS = [
        (EARN, _("earned")),
        (REDEEM, _("redeemed")),
        (EXPIRE, _("expired")),
        (ADJUST, _("adjusted")),
        (WITHDRAW, _("withdrawn")),
    ]

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="points_entries")
    kind = models.CharField(max_length=16, choices=KINDS)
    points = models.IntegerField()  # signed
    order_number = models.CharField(max_length=128, blank=True)
    reason = models.CharField(max_length=255, blank=True)
    # earned points expire (oldest first); see services.points.expire_points
    expires_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "kind", "order_number"],
                condition=Q(kind="earn") & ~Q(order_number=""),
                name="mt_points_earn_once_per_order",
            ),
        ]

    def __str__(self):
        return f"{self.membership} {self.kind} {self.points}"


class CreditAccount(models.Model):
    membership = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="credit")
    limit = models.DecimalField(_("credit limit"), max_digits=14, decimal_places=2, default=ZERO)
    balance = models.DecimalField(_("balance owed"), max_digits=14, decimal_places=2, default=ZERO)
    payment_terms_days = models.PositiveIntegerField(_("payment terms (days)"), default=30)
    allow_exceed = models.BooleanField(_("may exceed the limit"), default=False)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(limit__gte=0), name="mt_credit_limit_nonneg")]

    def __str__(self):
        return f"{self.membership}: {self.balance}/{self.limit}"

    @property
    def available(self) -> Decimal:
        return max(self.limit - self.balance, ZERO)


class CreditEntry(models.Model):
    """Append-only ledger; `amount` is what the entry adds to the balance owed (or to the limit)."""

    ALLOCATED, UPDATED, PURCHASED, REIMBURSED, REFUNDED, REVERTED = (
        "allocated",
        "updated",
        "purchased",
        "reimbursed",
        "refunded",
        "reverted",
    )
    KINDS = [
        (ALLOCATED, _("allocated")),
        (UPDATED, _("limit updated")),
        (PURCHASED, _("purchased")),
        (REIMBURSED, _("reimbursed")),
        (REFUNDED, _("refunded")),
        (REVERTED, _("reverted")),
    ]

    account = models.ForeignKey(CreditAccount, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=16, choices=KINDS)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    balance_after = models.DecimalField(max_digits=14, decimal_places=2)
    limit_after = models.DecimalField(max_digits=14, decimal_places=2)
    order_number = models.CharField(max_length=128, blank=True)
    due_date = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "order_number"],
                condition=Q(kind="purchased"),
                name="mt_credit_one_purchase_per_order",
            )
        ]

    def __str__(self):
        return f"{self.account} {self.kind} {self.amount}"


class FollowUp(models.Model):
    """A salesperson's contact with a customer company (跟进记录): a visit, a call or another
    contact, what came of it and the next step's date. Kept here with salesperson ownership: who
    may record and see a company's follow-ups is who may see its membership (selectors)."""

    VISIT, CALL, OTHER = "visit", "call", "other"
    KINDS = [(VISIT, _("Visit")), (CALL, _("Call")), (OTHER, _("Other"))]

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("company")
    )
    salesperson = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("salesperson")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=KINDS)
    happened_at = models.DateTimeField(_("happened at"))
    note = models.TextField(_("note"))
    outcome = models.TextField(_("outcome"), blank=True)
    next_step = models.CharField(_("next step"), max_length=255, blank=True)
    next_step_on = models.DateField(_("next step on"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_at", "-id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["visit", "call", "other"]), name="mt_followup_kind_valid"),
            models.CheckConstraint(condition=~Q(note=""), name="mt_followup_note_given"),
        ]
        indexes = [models.Index(fields=["salesperson", "next_step_on"], name="mt_followup_due")]

    def __str__(self):
        return f"{self.company} {self.get_kind_display()} {self.happened_at:%Y-%m-%d}"


class PricingPolicy(models.Model):
    """The platform's pricing defaults, one row (pk 1) operators edit in the back office; until
    an operator saves it, the settings' defaults apply (member_tiers.conf)."""

    default_floor_margin_percent = models.DecimalField(
        _("default floor: margin over cost (%)"),
        max_digits=6,
        decimal_places=2,
        help_text=_("Applies to every price rule that names no floor of its own, and to tier default discounts."),
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("pricing policy")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="mt_pricing_policy_single_row"),
            models.CheckConstraint(
                condition=Q(default_floor_margin_percent__gte=0, default_floor_margin_percent__lte=1000),
                name="mt_pricing_policy_floor_range",
            ),
        ]

    def __str__(self):
        return f"{self.default_floor_margin_percent}%"


class FloorAudit(models.Model):
    """Append-only: every change of the default floor and every floor override given to or
    taken from a price rule (who, when, from what to what, why)."""

    DEFAULT_CHANGED, OVERRIDE_GIVEN, OVERRIDE_WITHDRAWN = "default", "override", "withdrawn"
    KINDS = [
        (DEFAULT_CHANGED, _("default floor changed")),
        (OVERRIDE_GIVEN, _("floor override given")),
        (OVERRIDE_WITHDRAWN, _("floor override withdrawn")),
    ]

    kind = models.CharField(_("kind"), max_length=16, choices=KINDS)
    #: the rule an override belongs to (kept as text too: the rule may be deleted later)
    rule = models.ForeignKey(PriceRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="floor_audit")
    rule_label = models.CharField(max_length=255, blank=True)
    from_value = models.CharField(_("old value"), max_length=255, blank=True)
    to_value = models.CharField(_("new value"), max_length=255, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["default", "override", "withdrawn"]), name="mt_floor_audit_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(kind="override") | ~Q(reason=""), name="mt_floor_override_has_reason"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.from_value} → {self.to_value}"


class RuleImport(models.Model):
    """One uploaded file of price rules, checked and applied by a Celery task
    (services.rules.run_import): all lines in one transaction, or none. ``rows`` is the file's
    snapshot (line number and cells as text); ``errors`` the bad lines once checked."""

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATUSES = [(QUEUED, _("queued")), (RUNNING, _("running")), (DONE, _("imported")), (FAILED, _("not imported"))]

    filename = models.CharField(_("file name"), max_length=255)
    rows = models.JSONField(default=list)
    status = models.CharField(_("status"), max_length=16, choices=STATUSES, default=QUEUED)
    total = models.PositiveIntegerField(_("lines"), default=0)
    imported = models.PositiveIntegerField(_("imported"), default=0)
    #: [[line number, [message, ...]], ...] of the lines that failed (a failed import only)
    errors = models.JSONField(default=list)
    message = models.CharField(max_length=255, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"))
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]), name="mt_rule_import_status_valid"
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.filename}"

    @property
    def finished(self) -> bool:
        return self.status in (self.DONE, self.FAILED)
