"""Read side: members scoped by who asks, prefetched so lists stay at a flat query count."""

from datetime import timedelta

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from oscar.core.loading import get_model

from core.access import is_operator, is_salesperson
from plugins.member_tiers.models import CreditEntry, Membership, PointsEntry, PriceRule, Tag, TierChange

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
    q="",
    min_spend=None,
    min_orders=None,
    inactive_days=None,
):
    """Filter by tier, manual tag, value grade, salesperson, province and the fact tags."""
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
