"""member_tiers GraphQL queries: the signed-in distributor's membership and prices for a quantity;
members and price explanations for operators (a salesperson: their own members only)."""

from datetime import date
from decimal import Decimal

import graphene
from django.utils.translation import gettext as _

from companies.selectors import find_company
from core.access import DISTRIBUTOR, OPERATOR, SALESPERSON
from core.graphql.access import requires
from core.graphql.errors import input_error
from core.graphql.pagination import page
from plugins.member_tiers import selectors
from plugins.member_tiers.graphql.types import (
    Candidate,
    FollowUpType,
    MemberPage,
    MembershipType,
    PriceExplanation,
    ProductPricing,
    TierType,
    pricing_of,
)
from plugins.member_tiers.models import Membership as MembershipModel
from plugins.member_tiers.models import Tier
from plugins.member_tiers.pricing import PriceBook
from plugins.member_tiers.services import members
from storefront import selectors as storefront_selectors
from storefront.graphql.types import strategy_for


def _id(value) -> int:
    return int(value) if str(value).isdigit() else 0


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
        company=graphene.String(required=True, description="USCC, customer code or a person's e-mail"),
        sku=graphene.String(required=True),
        quantity=graphene.Int(default_value=1),
        on_date=graphene.Date(),
    )
    tiers = graphene.List(graphene.NonNull(TierType), required=True)
    follow_ups = graphene.List(
        graphene.NonNull(FollowUpType),
        required=True,
        company_id=graphene.ID(required=True),
        first=graphene.Int(default_value=50),
        description="A customer company's follow-ups, newest first (operators; a salesperson: their own customers).",
    )

    @requires(OPERATOR, SALESPERSON)
    def resolve_follow_ups(root, info, company_id, first):
        membership = selectors.members_visible_to(info.context.user).filter(company_id=_id(company_id)).first()
        if membership is None:
            raise input_error("companyId", _("No such company."), "not_found")
        return list(selectors.follow_ups_of(info.context.user, membership)[: max(min(first, 100), 0)])

    @requires(DISTRIBUTOR)  # members are the buyers; staff and supplier staff have none
    def resolve_my_membership(root, info):
        membership = members.membership_for(info.context.user)
        if membership is None:  # a person without a company has no member data
            return None
        return MembershipModel.objects.select_related("tier", "company", "salesperson", "credit").get(pk=membership.pk)

    def resolve_product_pricing(root, info, sku, quantity):
        if quantity < 1:
            raise input_error("quantity", _("The quantity must be at least 1."))
        product = storefront_selectors.product_by_sku(sku)
        if product is None:
            raise input_error("sku", _("Unknown SKU “%(sku)s”.") % {"sku": sku}, "not_found")
        strategy = strategy_for(info)
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
        return pricing_of(product, resolution, quantity, price.currency)

    @requires(OPERATOR, SALESPERSON)
    def resolve_members(root, info, first, offset, tier=None, grade=None, tag=None):
        qs = selectors.members_visible_to(info.context.user)
        if tier:
            qs = qs.filter(tier__code=tier)
        if grade:
            qs = qs.filter(grade=grade)
        if tag:
            qs = qs.filter(tags__name=tag)
        items, total = page(qs, first, offset)
        return MemberPage(items=items, total_count=total)

    @requires(OPERATOR, SALESPERSON)
    def resolve_price_explanation(root, info, company, sku, quantity, on_date=None):
        found = find_company(company)
        membership = selectors.members_visible_to(info.context.user).filter(company=found).first() if found else None
        if membership is None:
            raise input_error("company", _("No such company."), "not_found")
        product = storefront_selectors.product_by_sku(sku)
        if product is None:
            raise input_error("sku", _("Unknown SKU “%(sku)s”.") % {"sku": sku}, "not_found")
        if quantity < 1:
            raise input_error("quantity", _("The quantity must be at least 1."))
        book = PriceBook(None, today=on_date or date.today(), all_windows=True, membership=membership)
        resolution = book.resolve(product, product.stockrecords.all()[0], quantity, explain=True)
        return PriceExplanation(
            pricing=pricing_of(product, resolution, quantity),
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
