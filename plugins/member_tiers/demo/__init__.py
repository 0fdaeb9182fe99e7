"""Demo data for member tiers: four tiers, price rules with quantity breaks, credit lines,
points history and two salespeople owning the demo distributors. Idempotent and deterministic."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from companies.models import CompanyMember, CompanyStatus, Role
from companies.selectors import company_of
from core.demo import data
from core.money import fen
from core.orders.payments import paid_orders
from plugins.member_tiers.models import CreditAccount, CreditEntry, Membership, PriceRule, Tier
from plugins.member_tiers.services import credit, members, points, tags

User = get_user_model()
Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

TIERS = [
    # code, name, rank, default discount %, spend to qualify over 365 days, points per yuan
    ("regular", "普通会员", 1, "0", "0", "1"),
    ("silver", "银牌", 2, "3", "20000", "1.2"),
    ("gold", "金牌", 3, "5", "40000", "1.5"),
    ("diamond", "钻石", 4, "8", "80000", "2"),
]
SALESPEOPLE = [("sales.wang", "王磊"), ("sales.li", "李娜")]
CREDIT_BY_TIER = {"regular": ("5000", 30), "silver": ("20000", 30), "gold": ("50000", 45), "diamond": ("100000", 60)}
GOLD_DEMO = "hongda"  # its company has its own price (framework agreement) on top of its tier


def _tiers() -> dict[str, Tier]:
    out = {}
    for code, name, rank, discount, threshold, rate in TIERS:
        out[code], _created = Tier.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "rank": rank,
                "default_discount_percent": Decimal(discount),
                "upgrade_threshold": Decimal(threshold),
                "points_per_yuan": Decimal(rate),
            },
        )
    return out


def _rules(tiers: dict[str, Tier]) -> int:
    if PriceRule.objects.exists():
        return 0
    by_sku = {p.upc: p for p in Product.objects.filter(upc__in=["JG-HB-M8-30", "JG-HN-M8", "DF-BV-2.5", "DF-MCB-1P16"])}
    # costs of the bolts (what the platform pays 精工五金), so floors can keep a margin
    for product in Product.objects.filter(upc__startswith="JG-HB-").prefetch_related("stockrecords"):
        for record in product.stockrecords.all():
            if record.cost is None:
                record.cost = fen(record.price * Decimal("0.82"))
                record.save(update_fields=["cost"])
    fasteners = Category.objects.filter(name="紧固件", depth=1).first()
    electrical = Category.objects.filter(name="电工电气", depth=1).first()
    rules = []
    if "JG-HB-M8-30" in by_sku:
        bolt = by_sku["JG-HB-M8-30"]
        # gold quantity breaks on the best-selling bolt
        rules += [
            PriceRule(tier=tiers["gold"], product=bolt, kind="fixed", value=Decimal("29.80"), min_quantity=1),
            PriceRule(tier=tiers["gold"], product=bolt, kind="fixed", value=Decimal("28.50"), min_quantity=20),
            PriceRule(tier=tiers["gold"], product=bolt, kind="fixed", value=Decimal("27.20"), min_quantity=100),
            PriceRule(tier=tiers["diamond"], product=bolt, kind="fixed", value=Decimal("27.00"), min_quantity=1),
            PriceRule(tier=tiers["silver"], product=bolt, kind="percent", value=Decimal("5"), min_quantity=20),
        ]
    if fasteners:
        rules += [
            PriceRule(tier=tiers["gold"], category=fasteners, kind="percent", value=Decimal("7"), min_quantity=1),
            # a deep discount on big orders, held at 10% over cost by its floor
            PriceRule(
                tier=tiers["gold"],
                category=fasteners,
                kind="percent",
                value=Decimal("15"),
                min_quantity=200,
                floor_margin_percent=Decimal("10"),
            ),
            PriceRule(tier=tiers["diamond"], category=fasteners, kind="percent", value=Decimal("10"), min_quantity=1),
        ]
    if electrical:
        rules.append(PriceRule(tier=tiers["silver"], category=electrical, kind="percent", value=Decimal("4")))
    hongda = company_of(User.objects.filter(email=f"{GOLD_DEMO}@{data.EMAIL_DOMAIN}").first())
    if hongda and "DF-BV-2.5" in by_sku:
        rules.append(
            PriceRule(
                company=hongda,
                product=by_sku["DF-BV-2.5"],
                kind="fixed",
                value=Decimal("198.00"),
                note="年度框架协议价",
            )
        )
    PriceRule.objects.bulk_create(rules)
    return len(rules)


def _salespeople(report) -> list:
    people = []
    for key, name in SALESPEOPLE:
        email = f"{key}@{data.EMAIL_DOMAIN}"
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "username": key,
                "first_name": name,
                "is_staff": True,
                "password": make_password(data.DEMO_PASSWORD),
            },
        )
        people.append(user)
        report.logins.append((f"salesperson {name}", email, data.DEMO_PASSWORD))
    return people


def seed(report, *, now, seed):
    tiers = _tiers()
    people = _salespeople(report)
    members.ensure_memberships()
    # the demo companies (the applications waiting for verification get no credit line)
    demo_members = list(
        Membership.objects.filter(
            company__members__user__email__endswith=f"@{data.EMAIL_DOMAIN}",
            company__members__role=Role.ADMIN,
        )
        .distinct()
        .select_related("company", "tier")
        .order_by("company__customer_code", "pk")
    )
    admins = {
        m.company_id: m.user
        for m in CompanyMember.objects.filter(company__in=[d.company_id for d in demo_members], role=Role.ADMIN)
        .select_related("user")
        .order_by("-added_at")
    }
    # salesperson ownership: alternate between the two salespeople
    for i, membership in enumerate(demo_members):
        if membership.salesperson_id is None:
            members.assign_salesperson([membership], people[i % 2], reason=_("Demo data: initial owner"))
    # tiers from the order history (the same job that runs nightly), and one known gold member
    members.requalify(now=now)
    rules = _rules(tiers)
    # credit lines by tier; one member with an overdue invoice to show the block
    verified = list(  # read again: re-qualification moved tiers; in a fixed order
        Membership.objects.filter(pk__in=[m.pk for m in demo_members], company__status=CompanyStatus.VERIFIED)
        .select_related("tier", "company")
        .order_by("company__customer_code", "pk")
    )
    for membership in verified:
        if CreditAccount.objects.filter(membership=membership).exists():
            continue
        limit, terms = CREDIT_BY_TIER.get(membership.tier.code, ("5000", 30))
        credit.set_credit_line(
            membership, limit=Decimal(limit), payment_terms_days=terms, reason=_("Demo data: opening credit line")
        )
    overdue_member = next((m for m in verified if not admins[m.company_id].email.startswith(GOLD_DEMO + "@")), None)
    if overdue_member is not None:
        account = CreditAccount.objects.get(membership=overdue_member)
        if not account.entries.filter(kind=CreditEntry.PURCHASED).exists():
            entry = credit.reserve(admins[overdue_member.company_id], Decimal("1280.00"), "DEMO-OVERDUE-1")
            CreditEntry.objects.filter(pk=entry.pk).update(
                created_at=now - timedelta(days=account.payment_terms_days + 20),
                due_date=(now - timedelta(days=20)).date(),
            )
    # points for every paid historical order, earned on the day it was placed
    paid = paid_orders(Order.objects.filter(company__in=[m.company_id for m in demo_members]))
    for order in paid.order_by("date_placed"):
        points.expire_points(now=order.date_placed)
        points.earn_for_order(order, now=order.date_placed)
    points.expire_points(now=now)
    tags.recompute_facts(now=now)
    _follow_ups(people, now)
    report.notes.append(
        _("Member tiers: %(t)d tiers, %(r)d price rules, %(m)d members owned by %(s)d salespeople.")
        % {"t": len(tiers), "r": PriceRule.objects.count(), "m": len(demo_members), "s": len(people)}
    )
    return rules


#: (days ago, kind, note, outcome, next step, next step due in days — None: done three days after)
FOLLOW_UPS = [
    (20, "visit", "拜访采购经理，介绍紧固件新品", "对不锈钢系列有兴趣", "寄送样品", None),
    (6, "call", "电话回访样品使用情况", "样品合格，等待年度预算", "确认年度采购计划", 0),
    (1, "visit", "上门洽谈年度框架协议", "价格基本谈妥", "发送框架协议草稿", 5),
]


def _follow_ups(people, now) -> None:
    """A few follow-ups of each salesperson's first customer; one next step due today."""
    from plugins.member_tiers.models import FollowUp

    for person in people:
        if FollowUp.objects.filter(salesperson=person).exists():
            continue
        membership = (
            Membership.objects.filter(salesperson=person, company__status=CompanyStatus.VERIFIED)
            .order_by("company__customer_code", "pk")
            .first()
        )
        if membership is None:
            continue
        for days_ago, kind, note, outcome, next_step, due_in in FOLLOW_UPS:
            happened = now - timedelta(days=days_ago)
            FollowUp.objects.create(
                company_id=membership.company_id,
                salesperson=person,
                kind=kind,
                happened_at=happened,
                note=note,
                outcome=outcome,
                next_step=next_step,
                next_step_on=(
                    timezone.localdate(now) + timedelta(days=due_in)
                    if due_in is not None
                    else timezone.localdate(happened + timedelta(days=3))
                ),
                done_at=None if due_in is not None else happened + timedelta(days=3),
            )
