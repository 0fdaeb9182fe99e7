"""Read side: members scoped by who asks, prefetched so lists stay at a flat query count."""

from datetime import timedelta

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from oscar.core.loading import get_model

from core.access import is_operator, is_salesperson
from plugins.member_tiers.models import CreditEntry, Membership, PointsEntry, PriceRule, Tag, TierChange

UserAddress = get_model("address", "UserAddress")
Order = get_model("order", "Order")
OrderLine = get_model("order", "Line")


def can_manage_all(user) -> bool:
    """Operators see every member; a salesperson only their own (core.access defines both)."""
    return is_operator(user)


def members_visible_to(user) -> QuerySet[Membership]:
    if not (is_operator(user) or is_salesperson(user)):
        return Membership.objects.none()
    province = UserAddress.objects.filter(user=OuterRef("user")).order_by("-is_default_for_shipping", "id")
    qs = (
        Membership.objects.select_related("user", "tier", "salesperson", "credit")
        .prefetch_related("tags")
        .annotate(province=Subquery(province.values("state")[:1]))
        .order_by("user__email")
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
        qs = qs.filter(Q(user__email__icontains=q) | Q(user__addresses__line2__icontains=q)).distinct()
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
        Order.objects.filter(user=membership.user)
        .prefetch_related(Prefetch("lines", queryset=lines))
        .order_by("-date_placed")[:limit]
    )


def member_rules(membership: Membership):
    return PriceRule.objects.filter(customer=membership.user).select_related("product", "category")


def all_tags():
    return Tag.objects.order_by("name")
