"""Read side: members scoped by who asks, prefetched so lists stay at a flat query count."""

from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone
from oscar.core.loading import get_model

from core.access import is_operator, is_salesperson
from plugins.member_tiers.models import (
    CreditAccount,
    CreditEntry,
    FollowUp,
    Membership,
    PointsEntry,
    PriceRule,
    RuleImport,
    SalespersonChange,
    Tag,
    TierChange,
)

Order = get_model("order", "Order")
OrderLine = get_model("order", "Line")


def membership_of_user(user) -> Membership | None:
    """The membership of the company the user buys for, with its tier and company (one query);
    None for a visitor, a person without a company or a deactivated one."""
    if user is None or not user.is_authenticated:
        return None
    return (
        Membership.objects.select_related("tier", "company")
        .filter(company__members__user=user, company__members__is_active=True)
        .first()
    )


def can_manage_all(user) -> bool:
    """Operators see every member; a salesperson only their own (core.access defines both)."""
    return is_operator(user)


def members_visible_to(user) -> QuerySet[Membership]:
    if not (is_operator(user) or is_salesperson(user)):
        return Membership.objects.none()
    qs = (
        Membership.objects.select_related("company", "tier", "salesperson", "credit")
        .prefetch_related("tags")
        .annotate(province=F("company__province"))
        .order_by("company__legal_name")
    )
    if not can_manage_all(user):
        qs = qs.filter(salesperson=user)
    return qs


def filter_members(
    qs: QuerySet[Membership],
    *,
    tier=None,
    tag=None,
    grade="",
    salesperson=None,
    province="",
    status="",
    q="",
    min_spend=None,
    min_orders=None,
    inactive_days=None,
):
    """Filter by tier, manual tag, value grade, salesperson, province, the company's verification
    status and the fact tags."""
    if tier:
        qs = qs.filter(tier=tier)
    if tag:
        qs = qs.filter(tags=tag)
    if grade:
        qs = qs.filter(grade=grade)
    if salesperson:
        qs = qs.filter(salesperson=salesperson)
    if province:
        qs = qs.filter(province=province)
    if status:
        qs = qs.filter(company__status=status)
    if min_spend is not None:
        qs = qs.filter(total_spend__gte=min_spend)
    if min_orders is not None:
        qs = qs.filter(order_count__gte=min_orders)
    if inactive_days:
        since = timezone.now() - timedelta(days=inactive_days)
        qs = qs.filter(Q(last_order_at__lt=since) | Q(last_order_at__isnull=True))
    if q:
        qs = qs.filter(
            Q(company__legal_name__icontains=q)
            | Q(company__uscc__iexact=q)
            | Q(company__customer_code__iexact=q)
            | Q(company__members__user__email__icontains=q)
        ).distinct()
    return qs


def member_detail(user, pk: int) -> Membership:
    membership = (
        members_visible_to(user)
        .prefetch_related(
            Prefetch("tier_changes", queryset=TierChange.objects.select_related("from_tier", "to_tier", "changed_by")),
            Prefetch("points_entries", queryset=PointsEntry.objects.select_related("created_by")),
            "salesperson_changes__from_user",
            "salesperson_changes__to_user",
            "salesperson_changes__changed_by",
        )
        .filter(pk=pk)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def credit_entries(membership: Membership):
    return CreditEntry.objects.filter(account__membership=membership).select_related("created_by")


def credit_balances() -> dict[int, Decimal]:
    """company id → the balance owed on its credit line (what finance reconciles its receivables
    with); one query."""
    return dict(CreditAccount.objects.values_list("membership__company_id", "balance"))


def member_orders(membership: Membership, limit: int = 20):
    """Recent orders with each line's recorded price explanation (three queries in all)."""
    lines = OrderLine.objects.select_related("member_price").order_by("id")
    return (
        Order.objects.filter(company_id=membership.company_id)
        .select_related("user")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .order_by("-date_placed")[:limit]
    )


def member_rules(membership: Membership):
    return PriceRule.objects.filter(company_id=membership.company_id).select_related("product", "category")


def all_tags():
    return Tag.objects.order_by("name")


# --- follow-ups (跟进记录) ------------------------------------------------------------------------


def follow_ups_visible_to(user) -> QuerySet[FollowUp]:
    """Follow-ups of the companies whose membership ``user`` may see (operators: all; a
    salesperson: the companies they own now), with the company and who recorded them."""
    if not (is_operator(user) or is_salesperson(user)):
        return FollowUp.objects.none()
    qs = FollowUp.objects.select_related("company", "salesperson")
    if not can_manage_all(user):
        qs = qs.filter(company__membership__salesperson=user)
    return qs


def follow_ups_of(user, membership: Membership) -> QuerySet[FollowUp]:
    return follow_ups_visible_to(user).filter(company_id=membership.company_id).order_by("-happened_at", "-id")


def due_follow_ups(user, today=None) -> QuerySet[FollowUp]:
    """Next steps due (on or before today, not done) of the follow-ups ``user`` recorded, on
    companies they may still see; oldest first."""
    today = today or timezone.localdate()
    return (
        follow_ups_visible_to(user)
        .filter(salesperson=user, next_step_on__lte=today, done_at__isnull=True)
        .annotate(membership_id=F("company__membership__id"))
        .order_by("next_step_on", "id")
    )


def follow_up_counts(*, salesperson=None, since=None, until=None) -> list[dict]:
    """Sales activity for analytics: per salesperson and calendar month (Asia/Shanghai, the
    project's time zone), the number of visits, calls and other contacts that happened in
    ``[since, until)`` (datetimes; either may be None), oldest month first. One query.

    Each row: ``{"salesperson_id", "month" (a date, the 1st), "visits", "calls", "others"}``."""
    qs = FollowUp.objects.all()
    if salesperson is not None:
        qs = qs.filter(salesperson=salesperson)
    if since is not None:
        qs = qs.filter(happened_at__gte=since)
    if until is not None:
        qs = qs.filter(happened_at__lt=until)
    rows = (
        qs.annotate(month=TruncMonth("happened_at"))
        .values("salesperson_id", "month")
        .annotate(
            visits=Count("id", filter=Q(kind=FollowUp.VISIT)),
            calls=Count("id", filter=Q(kind=FollowUp.CALL)),
            others=Count("id", filter=Q(kind=FollowUp.OTHER)),
        )
        .order_by("month", "salesperson_id")
    )
    return [{**row, "month": row["month"].date()} for row in rows]


def dimensions_of_companies(company_ids) -> dict[int, dict]:
    """company id → its tier (code, name) and salesperson (id, name) now, in one query: what the
    analytics plugin stamps on a sale's facts (a later change of tier or owner does not rewrite them)."""
    rows = Membership.objects.filter(company_id__in=list(company_ids)).select_related("tier", "salesperson")
    return {
        m.company_id: {
            "tier_code": m.tier.code,
            "tier_name": m.tier.name,
            "salesperson_id": m.salesperson_id,
            "salesperson_name": (m.salesperson.get_full_name() or m.salesperson.email) if m.salesperson else "",
        }
        for m in rows
    }


def recent_rule_imports(limit: int | None = 20):
    """Price-rule imports, newest first (operators see every import: they share the price lists)."""
    qs = RuleImport.objects.select_related("uploaded_by").defer("rows").order_by("-uploaded_at", "-id")
    return qs[:limit] if limit else qs


def rule_import_bad_lines(job: RuleImport) -> list[tuple[int, dict, list[str]]]:
    """A failed import's bad lines with their cells as uploaded (line number, cells, reasons)."""
    if not job.errors:
        return []
    rows = RuleImport.objects.filter(pk=job.pk).values_list("rows", flat=True).get()
    cells = {row["line"]: row["values"] for row in rows}
    return [(number, cells.get(number, {}), reasons) for number, reasons in job.errors]


def member_dimensions() -> QuerySet:
    """Every member company's current tier code, salesperson and value grade as value rows
    (``company_id, tier_code, salesperson_id, grade``), unevaluated: analytics narrows and counts
    them in SQL (a subquery, or one grouped query) without loading members."""
    return (
        Membership.objects.order_by()
        .annotate(tier_code=F("tier__code"))
        .values("company_id", "tier_code", "salesperson_id", "grade")
    )


def salesperson_assignments() -> QuerySet:
    """Every assignment of a member company to a salesperson as value rows (``company_id`` as
    ``assigned_company_id``, ``to_user_id``, ``created_at``), unevaluated: analytics embeds them in
    its sales-cycle query (the start of a cycle counted from the assignment)."""
    return (
        SalespersonChange.objects.order_by()
        .annotate(assigned_company_id=F("membership__company_id"))
        .values("assigned_company_id", "to_user_id", "created_at")
    )
