"""member_tiers GraphQL types: memberships, tiers, credit, points and prices for a quantity."""

import graphene

from core.money import fen
from plugins.member_tiers.services import credit, members


class TierType(graphene.ObjectType):
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    rank = graphene.Int(required=True)
    default_discount_percent = graphene.Decimal(required=True)
    upgrade_threshold = graphene.Decimal(required=True)
    window_days = graphene.Int(required=True)
    points_per_yuan = graphene.Decimal(required=True)


class TierProgress(graphene.ObjectType):
    next_tier = graphene.Field(TierType, required=True)
    spend = graphene.Decimal(required=True)
    missing = graphene.Decimal(required=True)
    percent = graphene.Int(required=True)


class PointsEntryType(graphene.ObjectType):
    kind = graphene.String(required=True)
    points = graphene.Int(required=True)
    order_number = graphene.String()
    reason = graphene.String()
    created_at = graphene.DateTime(required=True)
    expires_at = graphene.DateTime()


class CreditType(graphene.ObjectType):
    limit = graphene.Decimal(required=True)
    balance = graphene.Decimal(required=True)
    available = graphene.Decimal(required=True)
    payment_terms_days = graphene.Int(required=True)
    allow_exceed = graphene.Boolean(required=True)
    overdue_amount = graphene.Decimal()
    overdue_since = graphene.Date()

    def resolve_overdue_amount(account, info):
        late = credit.overdue(account)
        return late[1] if late else None

    def resolve_overdue_since(account, info):
        late = credit.overdue(account)
        return late[0] if late else None


class MembershipType(graphene.ObjectType):
    id = graphene.ID(required=True)
    company_id = graphene.ID(required=True)
    company_name = graphene.String(required=True)
    customer_code = graphene.String(required=True)
    tier = graphene.Field(TierType, required=True)
    points_balance = graphene.Int(required=True)
    grade = graphene.String()
    total_spend = graphene.Decimal(required=True)
    order_count = graphene.Int(required=True)
    tags = graphene.List(graphene.NonNull(graphene.String), required=True)
    salesperson = graphene.String()
    progress = graphene.Field(TierProgress)
    credit = graphene.Field(CreditType)
    points_entries = graphene.List(
        graphene.NonNull(PointsEntryType), required=True, first=graphene.Int(default_value=20)
    )

    def resolve_id(m, info):
        return m.pk

    def resolve_company_id(m, info):
        return m.company_id

    def resolve_company_name(m, info):
        return m.company.legal_name

    def resolve_customer_code(m, info):
        return m.company.customer_code

    def resolve_tags(m, info):
        return [t.name for t in m.tags.all()]

    def resolve_salesperson(m, info):
        return m.salesperson.email if m.salesperson_id else None

    def resolve_progress(m, info):
        p = members.next_tier_progress(m)
        return (
            TierProgress(next_tier=p["tier"], spend=p["spend"], missing=p["missing"], percent=p["percent"])
            if p
            else None
        )

    def resolve_credit(m, info):
        return getattr(m, "credit", None)

    def resolve_points_entries(m, info, first):
        return m.points_entries.all()[: max(min(first, 100), 0)]


class MemberPage(graphene.ObjectType):
    items = graphene.List(graphene.NonNull(MembershipType), required=True)
    total_count = graphene.Int(required=True)


class ProductPricing(graphene.ObjectType):
    sku = graphene.String(required=True)
    quantity = graphene.Int(required=True)
    currency = graphene.String(required=True)
    list_price = graphene.Decimal(required=True)
    unit_price = graphene.Decimal(required=True)
    line_total = graphene.Decimal(required=True)
    saving = graphene.Decimal(required=True)
    tier_name = graphene.String()
    source = graphene.String(
        required=True, description="customer-rule, tier-product, tier-category, tier-all, tier-default or list"
    )
    explanation = graphene.String(required=True)


class Candidate(graphene.ObjectType):
    rule_id = graphene.Int()
    precedence = graphene.Int(required=True)
    source = graphene.String(required=True)
    price = graphene.Decimal()
    status = graphene.String(required=True)
    reason = graphene.String(required=True)


class PriceExplanation(graphene.ObjectType):
    pricing = graphene.Field(ProductPricing, required=True)
    candidates = graphene.List(graphene.NonNull(Candidate), required=True)


def pricing_of(product, resolution, quantity, currency="CNY") -> ProductPricing:
    return ProductPricing(
        sku=product.upc,
        quantity=quantity,
        currency=currency,
        list_price=resolution.list_price,
        unit_price=resolution.unit_price,
        line_total=fen(resolution.unit_price * quantity),
        saving=resolution.saving,
        tier_name=resolution.tier_name,
        source=resolution.source,
        explanation=resolution.explanation,
    )


class PriceRuleNode(graphene.ObjectType):
    id = graphene.ID(required=True)
    kind = graphene.String(required=True)
    value = graphene.Decimal(required=True)
    min_quantity = graphene.Int(required=True)


class FollowUpType(graphene.ObjectType):
    id = graphene.ID(required=True)
    company_id = graphene.ID(required=True)
    kind = graphene.String(required=True, description="visit, call or other")
    happened_at = graphene.DateTime(required=True)
    salesperson = graphene.String(required=True, description="who recorded it (e-mail)")
    note = graphene.String(required=True)
    outcome = graphene.String(required=True)
    next_step = graphene.String(required=True)
    next_step_on = graphene.Date()
    done_at = graphene.DateTime()

    def resolve_id(f, info):
        return f.pk

    def resolve_company_id(f, info):
        return f.company_id

    def resolve_salesperson(f, info):
        return f.salesperson.email
