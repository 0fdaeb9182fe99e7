"""The customers area's numbers against an independent pandas computation on the same generated
companies, exactly: funnel conversions and median stage times per registration cohort, the sales
cycle (from registration and from the assignment to the salesperson, a switch included) and the RFM
segments with their payment behaviour; and a fixed number of queries for 5 or 50 companies.

The companies, their people's baskets, their orders and payment events, memberships, salesperson
assignments and credit purchases are real rows (factories and member_tiers' services, timestamps
moved back afterwards); the sales facts are written through the real writer."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oscar.core.loading import get_model

from core.orders import payments
from plugins.bigdata import facts
from plugins.bigdata.backends.base import Filters, Period, Region
from plugins.bigdata.customers import measures, reports
from plugins.bigdata.services.facts import write
from tests import factories

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
START = datetime(2025, 1, 1, 2, 0, tzinfo=UTC)
PERIOD = Period(date(2025, 1, 1), date(2025, 12, 31))
PROVINCES = {"广东省": "440000", "浙江省": "330000", "四川省": "510000"}
User = get_user_model()
Company = get_model("companies", "Company")
Basket = get_model("basket", "Basket")
BasketLine = get_model("basket", "Line")
PaymentEvent = get_model("order", "PaymentEvent")


@dataclass
class World:
    salespeople: list = field(default_factory=list)
    companies: list[dict] = field(default_factory=list)  # what was made, for pandas
    facts: list[dict] = field(default_factory=list)
    orders: list[dict] = field(default_factory=list)
    assignments: list[dict] = field(default_factory=list)
    product: object = None
    serial: int = 0


def staff(key: str):
    return User.objects.create_user(
        username=key, email=f"{key}@example.cn", password="x", is_staff=True, first_name=key
    )


def new_world() -> World:
    from plugins.member_tiers.models import Tier

    Tier.objects.get_or_create(code="regular", defaults={"name": "普通会员", "rank": 1})
    Tier.objects.get_or_create(code="gold", defaults={"name": "金牌会员", "rank": 2})
    return World(salespeople=[staff("wang"), staff("li")], product=factories.product("CU-1", price="10.00"))


def at(base: datetime, rnd: random.Random, *, days: int = 0, hours: int = 0) -> datetime:
    return base + timedelta(days=rnd.randint(0, days) if days else 0, hours=rnd.randint(0, hours) if hours else 0)


def add_companies(world: World, n: int, *, seed: int = 7) -> None:
    """``n`` more companies with a random but complete history (see the module docstring)."""
    from plugins.member_tiers.models import CreditEntry, SalespersonChange, Tier
    from plugins.member_tiers.services.members import assign_salesperson, membership_of_company, set_grade

    rnd = random.Random(seed + len(world.companies))
    gold = Tier.objects.get(code="gold")
    for _ in range(n):
        world.serial += 1
        i = world.serial
        province = rnd.choice(list(PROVINCES))
        user = factories.person(f"cu{i}", with_address=False)
        company = factories.company_of_one(user, province=province)
        registered = START + timedelta(days=rnd.randint(0, 330), seconds=rnd.randint(0, 86399))
        # the earlier of creation and application is the registration (both ways round)
        created, applied = (
            (registered, registered + timedelta(days=3)) if i % 3 else (registered + timedelta(hours=5), registered)
        )
        verified = registered + timedelta(hours=rnd.randint(1, 240)) if rnd.random() < 0.8 else None
        Company.objects.filter(pk=company.pk).update(
            created_at=created, applied_at=applied, verified_at=verified, status="verified" if verified else "applied"
        )
        basket_at = None
        if rnd.random() < 0.75:
            basket = Basket.objects.create(owner=user, status=Basket.SAVED)
            for k in range(rnd.randint(1, 2)):
                line = BasketLine.objects.create(
                    basket=basket,
                    line_reference=f"cu-{i}-{k}",
                    product=world.product,
                    stockrecord=world.product.stockrecords.first(),
                    quantity=1,
                    price_currency="CNY",
                    price_excl_tax=Decimal("10.00"),
                    price_incl_tax=Decimal("10.00"),
                )
                moment = registered + timedelta(hours=rnd.randint(-24, 400))  # before registration too
                BasketLine.objects.filter(pk=line.pk).update(date_created=moment)
                basket_at = moment if basket_at is None else min(basket_at, moment)
        membership = membership_of_company(company)
        if rnd.random() < 0.3:
            type(membership).objects.filter(pk=membership.pk).update(tier=gold)
        set_grade(membership, rnd.choice(["A", "B", "C", ""]))
        tier = type(membership).objects.get(pk=membership.pk).tier.code
        owner = rnd.choice([world.salespeople[0], world.salespeople[1], None])
        switch_to, switch_at = None, None
        if owner is not None:
            assign_salesperson([membership], owner, reason="测试分配")
            assigned_at = registered + timedelta(days=rnd.randint(0, 20))
            SalespersonChange.objects.filter(membership=membership, to_user=owner).update(created_at=assigned_at)
            world.assignments.append({"company_id": company.pk, "to": owner.pk, "at": assigned_at})
            if rnd.random() < 0.3:
                switch_to = world.salespeople[1] if owner == world.salespeople[0] else world.salespeople[0]
                switch_at = assigned_at + timedelta(days=rnd.randint(10, 120))
                assign_salesperson([membership], switch_to, reason="测试转移")
                SalespersonChange.objects.filter(membership=membership, to_user=switch_to).update(created_at=switch_at)
                world.assignments.append({"company_id": company.pk, "to": switch_to.pk, "at": switch_at})
        account = None
        first_order = None
        for k in range(rnd.choice([0, 1, 1, 2, 3, 5])):
            placed = registered + timedelta(days=rnd.randint(0, 200), seconds=rnd.randint(0, 86399))
            first_order = placed if first_order is None else min(first_order, placed)
            total = rnd.randint(1, 500) * 100 + rnd.randint(0, 99)
            paid = rnd.random() < 0.8
            order = factories.history_order(user, f"CU{i:03d}{k}", f"{Decimal(total) / 100:.2f}", placed, paid=paid)
            secured_at = placed + timedelta(hours=rnd.randint(0, 30)) if paid else None
            paid_at = secured_at + timedelta(days=rnd.randint(0, 45), hours=rnd.randint(0, 23)) if paid else None
            if paid and rnd.random() < 0.2:
                paid_at = None  # secured on account, not yet paid
                PaymentEvent.objects.filter(order=order, event_type__code=payments.PAID).delete()
            PaymentEvent.objects.filter(order=order, event_type__code=payments.SECURED).update(date_created=secured_at)
            PaymentEvent.objects.filter(order=order, event_type__code=payments.PAID).update(date_created=paid_at)
            due = None
            if paid and rnd.random() < 0.5:
                if account is None:
                    account = factories.credit_line(user, limit="1000000.00")
                due = (placed.astimezone(SH) + timedelta(days=30)).date()
                CreditEntry.objects.create(
                    account=account,
                    kind=CreditEntry.PURCHASED,
                    amount=Decimal(total) / 100,
                    balance_after=0,
                    limit_after=0,
                    order_number=order.number,
                    due_date=due,
                    created_at=placed,
                )
            world.orders.append(
                {"company_id": company.pk, "placed": placed, "paid": paid_at, "due": due, "cancelled": False}
            )
            if not paid:
                continue
            credited = owner
            if switch_to is not None and secured_at >= switch_at:
                credited = switch_to
            cancelled_at = secured_at + timedelta(days=2) if rnd.random() < 0.1 else None
            dims = facts.Dimensions(
                order_id=order.pk,
                order_number=order.number,
                company_id=company.pk,
                company_name=company.legal_name,
                tier_code=tier,
                tier_name=tier,
                salesperson_id=credited.pk if credited else None,
                salesperson_name=credited.first_name if credited else "",
                province_code=PROVINCES[province],
                province=province,
                city="深圳市",
            )
            line = facts.LineSource(line_id=order.pk * 10, quantity=1, revenue=total, product_id=1, supplier_id=1)
            rows = facts.order_facts(
                facts.OrderHistory(dims=dims, lines=(line,), secured_at=secured_at, cancelled_at=cancelled_at)
            )
            write(rows)
            for f in rows:
                world.facts.append(
                    {
                        "kind": f.kind,
                        "occurred_at": f.occurred_at,
                        "date": f.date,
                        "order_id": f.dims.order_id,
                        "company_id": f.dims.company_id,
                        "company_name": f.dims.company_name,
                        "salesperson_id": f.dims.salesperson_id or 0,
                        "province_code": f.dims.province_code,
                        "tier_code": f.dims.tier_code,
                        "revenue": f.revenue,
                    }
                )
        world.companies.append(
            {
                "company_id": company.pk,
                "province": province,
                "registered": registered,
                "verified": verified,
                "first_basket": basket_at,
                "first_order": first_order,
                "tier": tier,
                "owner": (switch_to or owner).pk if owner else 0,
                "grade": type(membership).objects.get(pk=membership.pk).grade,
            }
        )


@pytest.fixture
def world() -> World:
    made = new_world()
    add_companies(made, 60)
    return made


# --- pandas references ---------------------------------------------------------------------------


def day_of(moment) -> date:
    return pd.Timestamp(moment).tz_convert(SH).date()


def one_decimal(value) -> Decimal | None:
    if value is None or pd.isna(value):
        return None
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def pct(part: int, whole: int) -> Decimal | None:
    return None if whole == 0 else (Decimal(part * 100) / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def fact_frame(world: World) -> pd.DataFrame:
    return pd.DataFrame(world.facts)


def timeline_frame(world: World, companies: pd.DataFrame) -> pd.DataFrame:
    df = fact_frame(world)
    sales = df[df["kind"] == "sale"].groupby(["company_id", "order_id"])["occurred_at"].min().reset_index()
    sales = sales.sort_values(["company_id", "occurred_at", "order_id"])
    sales["n"] = sales.groupby("company_id").cumcount()
    first = sales[sales["n"] == 0].set_index("company_id")["occurred_at"].rename("first_payment")
    second = sales[sales["n"] == 1].set_index("company_id")["occurred_at"].rename("repeat_order")
    out = companies.set_index("company_id").join(first).join(second)
    return out.reset_index()


def funnel_reference(world: World, companies: pd.DataFrame) -> list[tuple]:
    """(cohort or None, [(companies, conversion, from registered, median days)...]) per cohort."""
    tl = timeline_frame(world, companies)
    stages = list(measures.STAGE_CODES)
    reached = pd.DataFrame(index=tl.index)
    previous = None
    for code in stages:
        column = pd.to_datetime(tl[code], utc=True)
        # reached when this and every stage before happened, at the latest of those times
        reached[code] = column if previous is None else pd.concat([previous, column], axis=1).max(axis=1, skipna=False)
        previous = reached[code]
    reached["cohort"] = [day_of(m).replace(day=1) for m in tl["registered"]]

    def rows(frame: pd.DataFrame) -> list[tuple]:
        out = []
        for k, code in enumerate(stages):
            n = int(frame[code].notna().sum())
            if k == 0:
                out.append((n, None, pct(n, n), None))
                continue
            before = int(frame[stages[k - 1]].notna().sum())
            got = frame[frame[code].notna()]
            micro = (got[code] - got[stages[k - 1]]) // pd.Timedelta(microseconds=1)
            med = micro.median() if len(micro) else None
            out.append(
                (
                    n,
                    pct(n, before),
                    pct(n, int(frame[stages[0]].notna().sum())),
                    None if med is None else one_decimal(Decimal(med) / Decimal(86_400_000_000)),
                )
            )
        return out

    result = [(None, rows(reached))]
    for cohort in sorted(reached["cohort"].unique()):
        result.append((cohort, rows(reached[reached["cohort"] == cohort])))
    return result


def report_tuples(total, cohorts) -> list[tuple]:
    def rows(c):
        return [(s.companies, s.conversion, s.from_registered, s.median_days) for s in c.stages]

    return [(None, rows(total))] + [(c.month, rows(c)) for c in cohorts]


def in_period(companies: pd.DataFrame, period: Period) -> pd.DataFrame:
    days = companies["registered"].map(day_of)
    return companies[(days >= period.start) & (days <= period.end)]


def test_funnel_matches_pandas_per_cohort(world):
    companies = pd.DataFrame(world.companies)
    total, cohorts = reports.funnel(Filters(period=PERIOD))
    assert report_tuples(total, cohorts) == funnel_reference(world, in_period(companies, PERIOD))
    assert total.registered == len(in_period(companies, PERIOD)) > 40
    assert 0 < total.stages[-1].companies < total.stages[3].companies  # some repeat, not all


def test_funnel_cohorts_obey_region_tier_and_salesperson(world):
    companies = pd.DataFrame(world.companies)
    half = Period(date(2025, 3, 1), date(2025, 9, 30))
    wang = world.salespeople[0].pk
    credited = {f["company_id"] for f in world.facts if f["salesperson_id"] == wang}
    cases = [
        (Filters(period=half), in_period(companies, half)),
        (Filters(period=PERIOD, regions=(Region("440000"),)), companies[companies["province"] == "广东省"]),
        (Filters(period=PERIOD, tier_codes=("gold",)), companies[companies["tier"] == "gold"]),
        (
            Filters(period=PERIOD, salesperson_ids=(wang,)),
            companies[(companies["owner"] == wang) | companies["company_id"].isin(credited)],
        ),
    ]
    for filters, expected in cases:
        total, cohorts = reports.funnel(filters)
        assert report_tuples(total, cohorts) == funnel_reference(world, in_period(expected, filters.period)), filters


def cycle_reference(world: World, period: Period, basis: str, salesperson: int | None = None) -> dict:
    df = fact_frame(world)
    sales = df[(df["kind"] == "sale") & (df["date"] <= period.end)]
    if salesperson is not None:
        sales = sales[sales["salesperson_id"] == salesperson]
    first = sales.sort_values(["company_id", "occurred_at", "order_id"]).groupby("company_id").head(1)
    first = first[first["date"] >= period.start]
    companies = pd.DataFrame(world.companies).set_index("company_id")
    assignments = pd.DataFrame(world.assignments)
    per: dict[int, list[int]] = {}
    values, missing = [], 0
    for row in first.itertuples():
        if basis == measures.REGISTRATION:
            start = companies.loc[row.company_id, "registered"]
        else:
            mine = assignments[
                (assignments["company_id"] == row.company_id)
                & (assignments["to"] == row.salesperson_id)
                & (assignments["at"] <= row.occurred_at)
            ]
            start = mine["at"].max() if len(mine) else None
        if start is None:
            missing += 1
            continue
        value = max((row.date - day_of(start)).days, 0)
        values.append(value)
        per.setdefault(row.salesperson_id, []).append(value)

    def summary(vals):
        counts = [0] * len(measures.BUCKETS)
        for v in vals:
            for index, (low, high) in enumerate(measures.BUCKETS):
                if v >= low and (high is None or v <= high):
                    counts[index] += 1
        return len(vals), one_decimal(pd.Series(vals).median()) if vals else None, tuple(counts)

    return {
        "total": summary(values),
        "per": {str(k or ""): summary(v) for k, v in per.items()},
        "missing": missing,
    }


@pytest.mark.parametrize("basis", [measures.REGISTRATION, measures.ASSIGNMENT])
def test_sales_cycle_matches_pandas(world, basis):
    for period, salesperson in [(PERIOD, None), (Period(date(2025, 5, 1), date(2025, 10, 31)), None), (PERIOD, 0)]:
        sp = world.salespeople[0].pk if salesperson == 0 else None
        filters = Filters(period=period, salesperson_ids=(sp,) if sp else ())
        result = reports.sales_cycle(filters, basis)
        expected = cycle_reference(world, period, basis, sp)
        assert (result.total.companies, result.total.median_days, result.total.buckets) == expected["total"]
        assert {g.key: (g.companies, g.median_days, g.buckets) for g in result.salespeople} == expected["per"]
        assert result.without_start == expected["missing"]
    assert result.total.companies > 5


def test_a_switched_company_counts_from_its_new_salesperson(world):
    """The cycle from the assignment: a company handed to another salesperson before its first
    sale credited to them counts from that hand-over, not from its first assignment."""
    switched = [a for a in world.assignments if sum(b["company_id"] == a["company_id"] for b in world.assignments) > 1]
    assert switched, "the generator makes switches"
    result = reports.sales_cycle(Filters(period=PERIOD), measures.ASSIGNMENT)
    expected = cycle_reference(world, PERIOD, measures.ASSIGNMENT)
    assert result.without_start == expected["missing"]


def rfm_reference(world: World, period: Period) -> tuple[tuple, dict[int, str], dict[str, tuple]]:
    df = fact_frame(world)
    df = df[(df["date"] >= period.start) & (df["date"] <= period.end)]
    groups = []
    for company, g in df.groupby("company_id"):
        revenue = int(g["revenue"].sum())
        sales = g[g["kind"] == "sale"]
        if revenue <= 0 or sales.empty:
            continue
        orders = sales["order_id"].nunique() - g[g["kind"] == "cancellation"]["order_id"].nunique()
        groups.append((company, (period.end - sales["date"].max()).days, orders, revenue))
    frame = pd.DataFrame(groups, columns=["company_id", "r", "f", "m"])
    med = (Decimal(str(frame["r"].median())), Decimal(str(frame["f"].median())), Decimal(str(frame["m"].median())))
    names = {
        (True, True, True): "important_value",
        (True, False, True): "important_development",
        (False, True, True): "important_retention",
        (False, False, True): "important_winback",
        (True, True, False): "general_value",
        (True, False, False): "general_development",
        (False, True, False): "general_retention",
        (False, False, False): "general_winback",
    }
    segment = {row.company_id: names[(row.r < med[0], row.f > med[1], row.m > med[2])] for row in frame.itertuples()}
    # payment behaviour per segment from the orders made
    orders = [o for o in world.orders if period.start <= day_of(o["placed"]) <= period.end]
    per: dict[str, tuple] = {}
    today = timezone.localdate()
    for code in set(names.values()):
        members = {c for c, s in segment.items() if s == code}
        mine = [o for o in orders if o["company_id"] in members]
        waits = [(day_of(o["paid"]) - day_of(o["placed"])).days for o in mine if o["paid"] is not None]
        due = [o for o in mine if o["due"] is not None and (o["paid"] is not None or o["due"] < today)]
        late = sum(1 for o in due if o["paid"] is None or day_of(o["paid"]) > o["due"])
        per[code] = (
            len(members),
            int(frame[frame["company_id"].isin(members)]["m"].sum()),
            one_decimal(pd.Series(waits).median()) if waits else None,
            pct(late, len(due)),
        )
    return med, segment, per


def test_rfm_segments_and_payment_behaviour_match_pandas(world):
    for period in (PERIOD, Period(date(2025, 4, 1), date(2025, 8, 31))):
        rfm = reports.rfm(Filters(period=period))
        med, segment, per = rfm_reference(world, period)
        assert (rfm.medians.recency, rfm.medians.frequency, rfm.medians.monetary) == med
        assert {s.company.company_id: s.segment for s in rfm.companies} == segment
        assert rfm.with_payments
        got = {s.code: (s.companies, s.revenue, s.median_days_to_pay, s.overdue_share) for s in rfm.segments}
        assert {k: v for k, v in got.items() if v[0]} == per_nonempty(per)
        assert sum(s.companies for s in rfm.segments) == len(segment) > 10
    assert len({s.segment for s in rfm.companies}) >= 4


def per_nonempty(per: dict) -> dict:
    return {k: v for k, v in per.items() if v[0]}


def test_value_grades_are_member_tiers_grades(world):
    companies = pd.DataFrame(world.companies)
    grades = reports.value_grades(Filters(period=PERIOD))
    expected = companies["grade"].value_counts().to_dict()
    assert {g.grade: g.companies for g in grades} == {k: expected.get(k, 0) for k in ("A", "B", "C", "")}
    gd = companies[companies["province"] == "广东省"]["grade"].value_counts().to_dict()
    grades = reports.value_grades(Filters(period=PERIOD, regions=(Region("440000"),)))
    assert {g.grade: g.companies for g in grades} == {k: gd.get(k, 0) for k in ("A", "B", "C", "")}


def counts(filters: Filters) -> list[int]:
    found = []
    for run in (
        lambda: reports.funnel(filters),
        lambda: reports.sales_cycle(filters, measures.ASSIGNMENT),
        lambda: reports.rfm(filters),
        lambda: reports.value_grades(filters),
    ):
        with CaptureQueriesContext(connection) as queries:
            run()
        found.append(len(queries))
    return found


def test_query_counts_are_flat_for_5_or_50_companies():
    made = new_world()
    add_companies(made, 5, seed=1)
    filters = Filters(period=PERIOD)
    few = counts(filters)
    add_companies(made, 45, seed=2)
    assert counts(filters) == few
    assert few[0] <= 4 and few[1] == 1 and few[2] <= 3 and few[3] <= 2
