"""The marketing return on a small world where Oscar applied a site offer and a voucher set at
checkout: each campaign's discounts kept, budget, net revenue, orders, new companies and ROI to the
fen, by hand and by an independent pandas computation over the stored rows; a cancellation and a
refund lower the return; a salesperson's filter sees only their customers' orders."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from core.orders.services import cancel_order
from plugins.bigdata.backends.base import Filters, Period
from plugins.bigdata.marketing.models import Activity
from plugins.bigdata.marketing.returns import budget_share, campaign_returns, kept, roi
from plugins.bigdata.marketing.services import save_activity
from plugins.bigdata.models import SalesFact
from plugins.finance.services import refunds
from tests import factories
from tests.bigdata import marketing_world as world
from tests.finance.fixtures_refunds import finance_user

pytestmark = pytest.mark.django_db
OrderDiscount = get_model("order", "OrderDiscount")


@pytest.fixture
def shop(catalogue, django_capture_on_commit_callbacks):
    """Two companies, 满500减50 for everyone, a 10 % voucher set; five paid orders today:
    o1 buyer 10 bolts + 2 wires (the offer), o2 buyer2 5 wires (a voucher), o3 buyer 3 nuts (a
    voucher; cancelled later), o4 buyer2 20 bolts (the offer; half refunded later), o5 buyer 1
    breaker (nothing)."""
    from plugins.member_tiers.services.members import assign_salesperson, membership_for

    buyer = factories.distributor("buyer", province="广东省")
    buyer2 = factories.distributor("buyer2", province="浙江省")
    wang = get_user_model().objects.create_user(username="wang", email="wang@example.cn", password="x", is_staff=True)
    assign_salesperson([membership_for(buyer2)], wang, reason="测试")
    offer = world.site_offer("满500减50", minimum="500.00", off="50.00")
    spring = world.voucher_set("开春券", ["SPRING-1", "SPRING-2"], percent="10")
    c = catalogue
    with django_capture_on_commit_callbacks(execute=True):
        o1 = world.place(buyer, [(c["bolt"], 10), (c["wire"], 2)])
        o2 = world.place(buyer2, [(c["wire"], 5)], voucher_code="SPRING-1", province="浙江省")
        o3 = world.place(buyer, [(c["nut"], 3)], voucher_code="SPRING-2")
        o4 = world.place(buyer2, [(c["bolt"], 20)], province="浙江省")
        o5 = world.place(buyer, [(c["breaker"], 1)])
    return {
        "buyer": buyer,
        "buyer2": buyer2,
        "wang": wang,
        "offer": offer,
        "spring": spring,
        "orders": (o1, o2, o3, o4, o5),
        "catalogue": c,
    }


def discounts_of(order) -> list[tuple]:
    return list(OrderDiscount.objects.filter(order=order).values_list("offer_name", "voucher_code", "amount"))


def by_key(results) -> dict:
    return {r.key: r for r in results}


def figures(r) -> tuple:
    return (r.discounts, r.budget, r.cost, r.revenue, r.orders, r.new_companies, r.roi)


def test_oscar_applied_the_offer_and_the_vouchers_as_expected(shop):
    o1, o2, o3, o4, o5 = shop["orders"]
    assert discounts_of(o1) == [("满500减50", "", Decimal("50.00"))]
    assert discounts_of(o2) == [("开春券 优惠", "SPRING-1", Decimal("109.00"))]
    assert discounts_of(o3) == [("开春券 优惠", "SPRING-2", Decimal("5.94"))]
    assert discounts_of(o4) == [("满500减50", "", Decimal("50.00"))]
    assert discounts_of(o5) == []
    assert SalesFact.objects.filter(kind="sale").count() == 6


def test_each_campaign_to_the_fen(shop, django_capture_on_commit_callbacks):
    o1, o2, o3, o4, o5 = shop["orders"]
    finance = finance_user()
    with django_capture_on_commit_callbacks(execute=True):
        cancel_order(o3, reason="客户取消")
        refund = refunds.request_refund(o4, reason="return", lines=[(o4.lines.get(), 10, "295.00")], by=shop["buyer2"])
        refunds.approve(refund, finance)
        refunds.execute(refund, payout_reference="BANK-RF-1", by=finance)
    today = timezone.localdate()
    spring_activity = save_activity(
        name="春季促销",
        start=today - timedelta(days=10),
        end=today + timedelta(days=20),
        budget=30000,
        offers=[shop["offer"]],
        voucher_sets=[shop["spring"]],
    )
    key_accounts = save_activity(
        name="重点客户",
        start=today - timedelta(days=30),
        end=today,
        budget=0,
        companies=[factories.company_of(shop["buyer2"])],
    )
    results = by_key(campaign_returns(Filters(period=Period(today - timedelta(days=60), today))))
    offer, spring = results[f"offer:{shop['offer'].pk}"], results[f"vouchers:{shop['spring'].pk}"]
    # the offer: o1 706.00 kept whole (discount 50.00); o4 590.00 half refunded → 295.00, discount 25.00
    assert figures(offer) == (7500, 0, 7500, 70600 + 29500, 2, 1, Decimal("1234.7"))
    # the vouchers: o2 981.00 (discount 109.00, buyer2's first order); o3 cancelled: nothing
    assert figures(spring) == (10900, 0, 10900, 98100, 1, 1, Decimal("800.0"))
    # the activity: both; budget 300.00 over 31 days, 11 of them up to today → ⌊30000 × 11 ÷ 31⌋
    activity = results[f"activity:{spring_activity.pk}"]
    assert figures(activity) == (18400, 10645, 29045, 198200, 3, 2, Decimal("582.4"))
    # buyer2's orders (company), no discount of its own offers, no budget: ROI "—"
    assert figures(results[f"activity:{key_accounts.pk}"]) == (0, 0, 0, 127600, 2, 1, None)
    assert len(results) == 4  # o5 carries nothing: no campaign of its own
    # the months add up to the period (the budget's days may fall in the month before)
    for name in ("discounts", "budget", "revenue", "orders", "new_companies"):
        assert sum(getattr(t, name) for t in activity.months.values()) == getattr(activity, name)
    assert activity.months[today.replace(day=1)].orders == 3


def test_a_cancellation_and_a_refund_lower_the_return(shop, django_capture_on_commit_callbacks):
    o1, o2, o3, o4, o5 = shop["orders"]
    period = Filters(period=Period(timezone.localdate() - timedelta(days=5), timezone.localdate()))
    before = by_key(campaign_returns(period))
    key = f"vouchers:{shop['spring'].pk}"
    # o3 is not buyer's first order (o1 is): one new company, buyer2
    assert figures(before[key]) == (10900 + 594, 0, 11494, 98100 + 5346, 2, 1, Decimal("800.0"))
    finance = finance_user()
    with django_capture_on_commit_callbacks(execute=True):
        cancel_order(o3, reason="客户取消")
    after = by_key(campaign_returns(period))
    # o3 no longer counts: its discount, its revenue, its order
    assert figures(after[key]) == (10900, 0, 10900, 98100, 1, 1, Decimal("800.0"))
    with django_capture_on_commit_callbacks(execute=True):
        refund = refunds.request_refund(o2, reason="return", lines=[(o2.lines.get(), 2, "392.40")], by=shop["buyer2"])
        refunds.approve(refund, finance)
        refunds.execute(refund, payout_reference="BANK-RF-2", by=finance)
    # 2 of 5 wires back: 392.40 refunded of 981.00; the discount kept 109.00 × 588.60 ÷ 981.00 = 65.40
    assert figures(by_key(campaign_returns(period))[key]) == (6540, 0, 6540, 58860, 1, 1, Decimal("800.0"))


def test_a_salespersons_filter_sees_only_their_customers_orders_and_no_budget(shop):
    today = timezone.localdate()
    save_activity(name="春季促销", start=today, end=today, budget=10000, offers=[shop["offer"]])
    everything = by_key(campaign_returns(Filters(period=Period(today, today))))
    wang = by_key(campaign_returns(Filters(period=Period(today, today), salesperson_ids=(shop["wang"].pk,))))
    offer = f"offer:{shop['offer'].pk}"
    assert (everything[offer].revenue, everything[offer].orders) == (70600 + 59000, 2)
    assert figures(wang[offer]) == (5000, 0, 5000, 59000, 1, 0, Decimal("1080.0"))  # o4 only (buyer2's second)
    activity = next(k for k in wang if k.startswith("activity:"))
    assert everything[activity].budget == 10000
    assert wang[activity].budget == 0


def test_the_report_against_a_pandas_computation_over_the_stored_rows(shop, django_capture_on_commit_callbacks):
    """The rules re-done independently: facts and Oscar's discounts read as frames."""
    o1, o2, o3, o4, o5 = shop["orders"]
    finance = finance_user()
    with django_capture_on_commit_callbacks(execute=True):
        cancel_order(o3, reason="客户取消")
        refund = refunds.request_refund(o4, reason="return", lines=[(o4.lines.get(), 7, "206.50")], by=shop["buyer2"])
        refunds.approve(refund, finance)
        refunds.execute(refund, payout_reference="BANK-RF-3", by=finance)
    today = timezone.localdate()
    filters = Filters(period=Period(today - timedelta(days=3), today))
    facts = pd.DataFrame(SalesFact.objects.values("order_id", "company_id", "kind", "revenue", "occurred_at", "date"))
    Voucher = get_model("voucher", "Voucher")
    sets = dict(Voucher.objects.values_list("pk", "voucher_set_id"))
    disc = pd.DataFrame(OrderDiscount.objects.values("order_id", "offer_id", "voucher_id", "amount"))
    disc["key"] = [
        f"offer:{o}" if pd.isna(v) else f"vouchers:{sets[int(v)]}"
        for o, v in zip(disc["offer_id"], disc["voucher_id"], strict=True)
    ]
    disc["fen"] = (disc["amount"] * 100).astype(int)
    per_order = facts.groupby("order_id").agg(
        net=("revenue", "sum"),
        sold=("revenue", lambda s: s[facts.loc[s.index, "kind"] == "sale"].sum()),
        cancelled=("kind", lambda s: (s == "cancellation").any()),
        sale_date=("date", "min"),
        company=("company_id", "max"),
    )
    sales = facts[facts["kind"] == "sale"].sort_values(["occurred_at", "order_id"])
    first = sales.groupby("company_id")["order_id"].first()
    expected = {}
    for key, group in disc.groupby("key"):
        rows = per_order.loc[group["order_id"].unique()]
        rows = rows[(rows["sale_date"] >= filters.period.start) & (rows["sale_date"] <= filters.period.end)]
        amounts = group.groupby("order_id")["fen"].sum()
        discounts = sum(
            int((Decimal(int(amounts[o])) * int(r.net) / int(r.sold)).quantize(Decimal(1), ROUND_HALF_UP))
            if r.net > 0
            else 0
            for o, r in rows.iterrows()
        )
        revenue = int(rows["net"].sum())
        live = rows[~rows["cancelled"]]
        new = sum(1 for o, r in live.iterrows() if first[r.company] == o)
        expected[key] = (discounts, revenue, len(live), new)
    got = {
        r.key: (r.discounts, r.revenue, r.orders, r.new_companies)
        for r in campaign_returns(filters)
        if not r.key.startswith("activity:")
    }
    assert got == expected
    assert expected[f"offer:{shop['offer'].pk}"][1] == 70600 + 59000 - 20650  # 7 of 20 bolts at 29.50 back


def test_the_rules_on_their_own():
    assert kept(5000, 29500, 59000) == 2500
    assert kept(594, 0, 5346) == 0  # cancelled
    assert kept(1, 1, 2) == 1  # half up
    assert kept(100, -5, 10) == 0
    assert roi(100, 0) is None
    assert roi(0, 100) == Decimal("-100.0")
    assert roi(1, 3) == Decimal("-66.7")
    start, end = date(2026, 1, 1), date(2026, 1, 31)
    assert budget_share(30000, start, end, date(2025, 1, 1), date(2027, 1, 1)) == 30000
    shares = [budget_share(100, start, end, start + timedelta(d), start + timedelta(d)) for d in range(31)]
    assert sum(shares) == 100 and set(shares) == {3, 4}
    assert budget_share(100, start, end, date(2026, 2, 1), date(2026, 2, 5)) == 0


def test_a_refused_activity_is_not_saved():
    from django.core.exceptions import ValidationError

    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        save_activity(name="坏预算", start=today, end=today - timedelta(days=1), budget=-1)
    assert set(error.value.message_dict) == {"budget", "end"}
    assert not Activity.objects.exists()


def test_the_demo_adds_campaigns_with_orders_once(catalogue, django_capture_on_commit_callbacks):
    from types import SimpleNamespace

    from plugins.bigdata.marketing import demo

    buyer = factories.distributor("buyer", province="广东省")
    with django_capture_on_commit_callbacks(execute=True):
        factories.place_order(buyer, [(catalogue["bolt"], 1)], paid=True)
    report = SimpleNamespace(notes=[])
    demo.seed(report, now=timezone.now(), seed=2026)
    demo.seed(report, now=timezone.now(), seed=2026)  # a second run adds nothing
    assert Activity.objects.count() == 2 and len(report.notes) == 1
    results = by_key(
        campaign_returns(Filters(period=Period(timezone.localdate() - timedelta(days=400), timezone.localdate())))
    )
    kinds = {key.split(":")[0] for key, r in results.items() if r.orders}
    assert kinds == {"offer", "vouchers", "activity"}
    assert all(r.revenue > 0 for r in results.values())
    # the storefront keeps its prices: the demo offer is suspended, the vouchers expired
    assert list(get_class("offer.applicator", "Applicator")().get_site_offers()) == []
