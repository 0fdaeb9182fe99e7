"""member_tiers GraphQL: the signed-in distributor's membership, points, credit and prices for a
quantity; operator queries and mutations (staff; writes need a superuser)."""

from datetime import date
from decimal import Decimal

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from graphql import GraphQLError
from oscar.core.loading import get_class

from core.graphql.errors import FieldError, errors_from_validation, field_error, input_error, require_authenticated
from core.graphql.pagination import page
from plugins.member_tiers import selectors
from plugins.member_tiers.models import Membership as MembershipModel
from plugins.member_tiers.models import PriceRule, Tier
from plugins.member_tiers.pricing import PriceBook
from plugins.member_tiers.services import credit, members, points, rules
from storefront import selectors as storefront_selectors

Selector = get_class("partner.strategy", "Selector")


def _require_staff(info):
    require_authenticated(info)
    if not info.context.user.is_staff:
        raise GraphQLError(_("Only operators may do this."), extensions={"code": "forbidden"})


def _forbidden_unless_superuser(info) -> list | None:
    user = info.context.user
    if not (user.is_authenticated and user.is_staff and user.is_superuser):
        return [field_error(None, _("Only operators with full rights may do this."), "forbidden")]
    return None


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
    email = graphene.String(required=True)
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

    def resolve_email(m, info):
        return m.user.email

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


def _pricing(product, resolution, quantity, currency="CNY") -> ProductPricing:
    return ProductPricing(
        sku=product.upc,
        quantity=quantity,
        currency=currency,
        list_price=resolution.list_price,
        unit_price=resolution.unit_price,
        line_total=(resolution.unit_price * quantity).quantize(Decimal("0.01")),
        saving=resolution.saving,
        tier_name=resolution.tier_name,
        source=resolution.source,
        explanation=resolution.explanation,
    )


class Query(graphene.ObjectType):
    my_membership = graphene.Field(MembershipType, description="The signed-in distributor's tier, points and credit.")
    product_pricing = graphene.Field(
        ProductPricing,
        sku=graphene.String(required=True),
        quantity=graphene.Int(default_value=1),
        description="What the asking user pays for a product at a quantity (quantity breaks apply).",
    )
    members = graphene.Field(
        MemberPage,
        required=True,
        first=graphene.Int(default_value=20),
        offset=graphene.Int(default_value=0),
        tier=graphene.String(description="tier code"),
        grade=graphene.String(),
        tag=graphene.String(),
    )
    price_explanation = graphene.Field(
        PriceExplanation,
        customer_email=graphene.String(required=True),
        sku=graphene.String(required=True),
        quantity=graphene.Int(default_value=1),
        on_date=graphene.Date(),
    )
    tiers = graphene.List(graphene.NonNull(TierType), required=True)

    def resolve_my_membership(root, info):
        require_authenticated(info)
        user = info.context.user
        members.membership_for(user)
        return MembershipModel.objects.select_related("tier", "user", "salesperson", "credit").get(user=user)

    def resolve_product_pricing(root, info, sku, quantity):
        if quantity < 1:
            raise input_error("quantity", _("The quantity must be at least 1."))
        product = storefront_selectors.product_by_sku(sku)
        if product is None:
            raise input_error("sku", _("Unknown SKU “%(sku)s”.") % {"sku": sku}, "not_found")
        request = info.context
        if getattr(request, "strategy", None) is None:
            request.strategy = Selector().strategy(request=request, user=request.user)
        strategy = request.strategy
        record = strategy.select_stockrecord(product)
        if record is None:
            raise input_error("sku", _("Unknown SKU “%(sku)s”.") % {"sku": sku}, "not_found")
        price = strategy.pricing_policy(product, record, quantity)
        resolution = getattr(price, "resolution", None)
        if resolution is None:  # anonymous: list price
            return ProductPricing(
                sku=product.upc,
                quantity=quantity,
                currency=price.currency,
                list_price=price.incl_tax,
                unit_price=price.incl_tax,
                line_total=price.incl_tax * quantity,
                saving=Decimal("0.00"),
                tier_name=None,
                source="list",
                explanation=_("List price"),
            )
        return _pricing(product, resolution, quantity, price.currency)

    def resolve_members(root, info, first, offset, tier=None, grade=None, tag=None):
        _require_staff(info)
        qs = selectors.members_visible_to(info.context.user)
        if tier:
            qs = qs.filter(tier__code=tier)
        if grade:
            qs = qs.filter(grade=grade)
        if tag:
            qs = qs.filter(tags__name=tag)
        items, total = page(qs, first, offset)
        return MemberPage(items=items, total_count=total)

    def resolve_price_explanation(root, info, customer_email, sku, quantity, on_date=None):
        _require_staff(info)
        membership = selectors.members_visible_to(info.context.user).filter(user__email__iexact=customer_email).first()
        if membership is None:
            raise input_error("customerEmail", _("No customer with this e-mail."), "not_found")
        product = storefront_selectors.product_by_sku(sku)
        if product is None:
            raise input_error("sku", _("Unknown SKU “%(sku)s”.") % {"sku": sku}, "not_found")
        if quantity < 1:
            raise input_error("quantity", _("The quantity must be at least 1."))
        book = PriceBook(membership.user, today=on_date or date.today(), all_windows=True)
        resolution = book.resolve(product, product.stockrecords.all()[0], quantity, explain=True)
        return PriceExplanation(
            pricing=_pricing(product, resolution, quantity),
            candidates=[
                Candidate(
                    rule_id=c.rule.pk if c.rule else None,
                    precedence=c.level,
                    source=c.source,
                    price=c.price,
                    status=c.status,
                    reason=c.reason,
                )
                for c in resolution.candidates
            ],
        )

    def resolve_tiers(root, info):
        return Tier.objects.order_by("rank")


class MemberPayload(graphene.ObjectType):
    member = graphene.Field(MembershipType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


def _member(info, member_id):
    return selectors.members_visible_to(info.context.user).filter(pk=member_id).first()


class ChangeTier(graphene.Mutation):
    class Arguments:
        member_id = graphene.ID(required=True)
        tier_code = graphene.String(required=True)
        reason = graphene.String(required=True)

    Output = MemberPayload

    def mutate(root, info, member_id, tier_code, reason):
        if errors := _forbidden_unless_superuser(info):
            return MemberPayload(errors=errors)
        membership = _member(info, member_id)
        if membership is None:
            return MemberPayload(errors=[field_error("memberId", _("No such member."), "not_found")])
        tier = Tier.objects.filter(code=tier_code).first()
        if tier is None:
            return MemberPayload(errors=[field_error("tierCode", _("No tier with this code."), "not_found")])
        try:
            members.change_tier(membership, tier, reason=reason, by=info.context.user)
        except ValidationError as exc:
            return MemberPayload(errors=errors_from_validation(exc))
        return MemberPayload(member=_member(info, member_id), errors=[])


class AdjustPoints(graphene.Mutation):
    class Arguments:
        member_id = graphene.ID(required=True)
        points = graphene.Int(required=True)
        reason = graphene.String(required=True)

    Output = MemberPayload

    def mutate(root, info, member_id, reason, **kwargs):
        if errors := _forbidden_unless_superuser(info):
            return MemberPayload(errors=errors)
        membership = _member(info, member_id)
        if membership is None:
            return MemberPayload(errors=[field_error("memberId", _("No such member."), "not_found")])
        try:
            points.adjust(membership, kwargs["points"], reason=reason, by=info.context.user)
        except ValidationError as exc:
            return MemberPayload(errors=errors_from_validation(exc))
        return MemberPayload(member=_member(info, member_id), errors=[])


class SetCreditLine(graphene.Mutation):
    class Arguments:
        member_id = graphene.ID(required=True)
        limit = graphene.Decimal(required=True)
        payment_terms_days = graphene.Int(required=True)
        allow_exceed = graphene.Boolean(default_value=False)
        reason = graphene.String(required=True)

    Output = MemberPayload

    def mutate(root, info, member_id, limit, payment_terms_days, allow_exceed, reason):
        if errors := _forbidden_unless_superuser(info):
            return MemberPayload(errors=errors)
        membership = _member(info, member_id)
        if membership is None:
            return MemberPayload(errors=[field_error("memberId", _("No such member."), "not_found")])
        try:
            credit.set_credit_line(
                membership,
                limit=limit,
                payment_terms_days=payment_terms_days,
                allow_exceed=allow_exceed,
                reason=reason,
                by=info.context.user,
            )
        except ValidationError as exc:
            return MemberPayload(errors=errors_from_validation(exc))
        return MemberPayload(member=_member(info, member_id), errors=[])


class PriceRuleNode(graphene.ObjectType):
    id = graphene.ID(required=True)
    kind = graphene.String(required=True)
    value = graphene.Decimal(required=True)
    min_quantity = graphene.Int(required=True)


class PriceRulePayload(graphene.ObjectType):
    rule = graphene.Field(PriceRuleNode)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class CreatePriceRule(graphene.Mutation):
    class Arguments:
        tier_code = graphene.String()
        customer_email = graphene.String()
        sku = graphene.String()
        kind = graphene.String(required=True, description="fixed or percent")
        value = graphene.Decimal(required=True)
        min_quantity = graphene.Int(default_value=1)
        valid_from = graphene.Date()
        valid_until = graphene.Date()
        floor_margin_percent = graphene.Decimal()

    Output = PriceRulePayload

    def mutate(root, info, kind, value, min_quantity, tier_code=None, customer_email=None, sku=None, **kwargs):
        if errors := _forbidden_unless_superuser(info):
            return PriceRulePayload(errors=errors)
        from django.contrib.auth import get_user_model

        rule = PriceRule(kind=kind, value=value, min_quantity=min_quantity, **kwargs)
        errors = []
        if tier_code:
            rule.tier = Tier.objects.filter(code=tier_code).first()
            if rule.tier is None:
                errors.append(field_error("tierCode", _("No tier with this code."), "not_found"))
        if customer_email:
            rule.customer = get_user_model().objects.filter(email__iexact=customer_email, is_staff=False).first()
            if rule.customer is None:
                errors.append(field_error("customerEmail", _("No customer with this e-mail."), "not_found"))
        if sku:
            rule.product = storefront_selectors.product_by_sku(sku)
            if rule.product is None:
                errors.append(field_error("sku", _("Unknown SKU “%(sku)s”.") % {"sku": sku}, "not_found"))
        if errors:
            return PriceRulePayload(errors=errors)
        try:
            rules.save_rule(rule)
        except ValidationError as exc:
            return PriceRulePayload(errors=errors_from_validation(exc))
        return PriceRulePayload(rule=rule, errors=[])


class Mutation(graphene.ObjectType):
    member_change_tier = ChangeTier.Field()
    member_adjust_points = AdjustPoints.Field()
    member_set_credit_line = SetCreditLine.Field()
    price_rule_create = CreatePriceRule.Field()
