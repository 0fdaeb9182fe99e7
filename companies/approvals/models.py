"""Purchase approval's data: a company's rules, a request (the order as submitted, frozen while
it waits) and its ordered steps. Imported by companies.models, so the rows belong to the
companies app."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from companies.models import Company, Role


class RuleKind(models.TextChoices):
    ORDER_TOTAL = "order_total", _("Order total above")
    SKU_COUNT = "sku_count", _("More distinct SKUs than")
    FREIGHT = "freight", _("Freight above")
    ROLE = "role", _("Any order by the role")
    MONTHLY_BUDGET = "monthly_budget", _("Monthly spend above the budget")


#: the roles that may be named to approve a step (company admins may approve any step)
APPROVER_ROLES = (Role.APPROVER, Role.ADMIN, Role.FINANCE)
#: the roles whose orders a "role" rule may stop
ORDERING_ROLES = (Role.BUYER, Role.ADMIN)


class ApprovalRule(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="approval_rules")
    kind = models.CharField(_("kind"), max_length=20, choices=RuleKind.choices)
    #: money in yuan (order total, freight, budget) or a count (distinct SKUs); none for a role rule
    threshold = models.DecimalField(_("threshold"), max_digits=14, decimal_places=2, null=True, blank=True)
    buyer_role = models.CharField(_("buyer's role"), max_length=16, choices=Role.choices, blank=True)
    #: a monthly budget of one buyer; empty: the budget applies to every buyer on their own
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("buyer"),
    )
    approver_role = models.CharField(_("approving role"), max_length=16, choices=Role.choices)
    step = models.PositiveSmallIntegerField(_("step"), default=1)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["company", "step", "id"]
        verbose_name = _("approval rule")
        verbose_name_plural = _("approval rules")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=RuleKind.values), name="companies_rule_kind_valid"),
            models.CheckConstraint(
                condition=Q(approver_role__in=[str(r) for r in APPROVER_ROLES]),
                name="companies_rule_approver_role_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind=RuleKind.ROLE, threshold__isnull=True)
                | (~Q(kind=RuleKind.ROLE) & Q(threshold__gte=0)),
                name="companies_rule_threshold_by_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind=RuleKind.ROLE, buyer_role__in=[str(r) for r in ORDERING_ROLES])
                | (~Q(kind=RuleKind.ROLE) & Q(buyer_role="")),
                name="companies_rule_buyer_role_for_role_rules",
            ),
            models.CheckConstraint(
                condition=Q(buyer__isnull=True) | Q(kind=RuleKind.MONTHLY_BUDGET),
                name="companies_rule_buyer_for_budgets",
            ),
            models.CheckConstraint(condition=Q(step__gte=1), name="companies_rule_step_positive"),
        ]
        indexes = [models.Index(fields=["company", "is_active"], name="companies_rule_active")]

    def __str__(self):
        from companies.approvals.rules import describe

        return describe(self)


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved and placed")
    REJECTED = "rejected", _("Rejected")
    REPRICED = "repriced", _("Prices changed: check and submit again")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


class ApprovalRequest(models.Model):
    """An order submitted for approval: what the buyer saw and agreed to (lines, prices, freight,
    address, shipping and payment method), the basket frozen behind it and the order number its
    credit and points are held under; the order itself once placed."""

    number = models.CharField(_("number"), max_length=32, unique=True)
    #: the number the order will carry: credit and points are held under it
    order_number = models.CharField(_("order number"), max_length=128, unique=True)
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="approval_requests")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="approval_requests")
    status = models.CharField(_("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    #: why it ended other than approved (rejection comment, price changes, expiry, cancellation)
    reason = models.TextField(_("reason"), blank=True)
    basket = models.ForeignKey("basket.Basket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    order = models.ForeignKey("order.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    currency = models.CharField(max_length=12, default="CNY")
    lines = models.JSONField(default=list)
    sku_count = models.PositiveIntegerField(default=0)
    goods_incl_tax = models.DecimalField(max_digits=14, decimal_places=2)
    goods_excl_tax = models.DecimalField(max_digits=14, decimal_places=2)
    freight_incl_tax = models.DecimalField(max_digits=14, decimal_places=2)
    freight_excl_tax = models.DecimalField(max_digits=14, decimal_places=2)
    total_incl_tax = models.DecimalField(_("order total"), max_digits=14, decimal_places=2)
    total_excl_tax = models.DecimalField(max_digits=14, decimal_places=2)
    shipping_address = models.JSONField(default=dict)
    shipping_method_code = models.CharField(max_length=128)
    shipping_method_name = models.CharField(max_length=128, blank=True)
    payment_method = models.CharField(max_length=32)
    #: the payment sources as computed at submission (points first, then the method)
    sources = models.JSONField(default=list)
    #: the order's own fields the buyer gave at checkout (purchase-order number, remarks to suppliers)
    order_fields = models.JSONField(default=dict, blank=True)
    #: the buyer's month-to-date spend when submitted (for approvers), when a budget rule applied
    month_spend = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    expires_at = models.DateTimeField(_("expires at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RequestStatus.values), name="companies_request_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.APPROVED) | Q(order__isnull=False),
                name="companies_request_approved_has_order",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "status"], name="companies_request_company"),
            models.Index(fields=["status", "expires_at"], name="companies_request_expiry"),
        ]

    def __str__(self):
        return self.number

    @property
    def is_pending(self) -> bool:
        return self.status == RequestStatus.PENDING


class Decision(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ApprovalStep(models.Model):
    """One step of a request: the role that approves it and the rules that asked for it, in
    order (``position``); decided once."""

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    step = models.PositiveSmallIntegerField(_("step"))
    role = models.CharField(_("approving role"), max_length=16, choices=Role.choices)
    rules = models.ManyToManyField(ApprovalRule, related_name="+", blank=True)
    #: the rules as they read when the request was submitted (rules may change later)
    reasons = models.JSONField(default=list)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, default=Decision.WAITING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["request", "position"]
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        constraints = [
            models.UniqueConstraint(fields=["request", "position"], name="companies_step_position_unique"),
            models.CheckConstraint(condition=Q(decision__in=Decision.values), name="companies_step_decision_valid"),
        ]

    def __str__(self):
        return f"{self.request.number} #{self.position}"
