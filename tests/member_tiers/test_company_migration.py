"""member_tiers 0005: every distributor's member data becomes a company's, nothing lost.

Runs the real migration on the test database: back to the person-level schema (empty tables),
rows written there with the historical models, then forward again."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from companies import uscc

BEFORE = [("member_tiers", "0004_price_rules_version")]  # before 0005 and 0006


def _latest(executor):
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] == "member_tiers"]


# serialized_rollback: the flush after this test then leaves the content types to the next
# serialized test's restore (a plain flush re-creates them with new ids and the restore of the
# concurrency tests in test_credit/test_outbox collided with them: duplicate (admin, logentry))
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_distributors_become_companies_of_one_and_nothing_is_lost():
    executor = MigrationExecutor(connection)
    latest = _latest(executor)
    executor.migrate(BEFORE)
    # finance's history migration depends on member_tiers' latest: it was taken back with it
    others = [key for key in executor.loader.graph.leaf_nodes() if key[0] not in ("member_tiers", "finance")]
    old = executor.loader.project_state(others + BEFORE).apps
    User = old.get_model(*settings.AUTH_USER_MODEL.split("."))
    Tier = old.get_model("member_tiers", "Tier")
    Membership = old.get_model("member_tiers", "Membership")
    PointsEntry = old.get_model("member_tiers", "PointsEntry")
    CreditAccount = old.get_model("member_tiers", "CreditAccount")
    CreditEntry = old.get_model("member_tiers", "CreditEntry")
    PriceRule = old.get_model("member_tiers", "PriceRule")
    Company = old.get_model("companies", "Company")
    CompanyMember = old.get_model("companies", "CompanyMember")
    Order = old.get_model("order", "Order")
    UserAddress = old.get_model("address", "UserAddress")
    now = timezone.now()

    regular = Tier.objects.create(code="regular", name="普通会员", rank=1)
    gold = Tier.objects.create(code="gold", name="金牌", rank=3)
    # a distributor who bought alone: points, a credit line with a purchase, a price rule, an order
    lone = User.objects.create(username="lone", email="lone@example.cn", last_name="孤", first_name="独")
    UserAddress.objects.create(
        user=lone, line1="解放路1号", line2="杭州孤独五金店", line4="杭州市", state="浙江省", country_id="CN", hash="x"
    )
    lone_m = Membership.objects.create(user=lone, tier=gold, points_balance=500)
    PointsEntry.objects.create(membership=lone_m, kind="earn", points=500, created_at=now, order_number="L-1")
    account = CreditAccount.objects.create(membership=lone_m, limit=Decimal("8000.00"), balance=Decimal("123.45"))
    CreditEntry.objects.create(
        account=account,
        kind="purchased",
        amount=Decimal("123.45"),
        balance_after=Decimal("123.45"),
        limit_after=Decimal("8000.00"),
        order_number="L-1",
        created_at=now,
    )
    PriceRule.objects.create(customer=lone, kind="percent", value=Decimal("3"))
    Order.objects.create(
        number="L-1",
        user=lone,
        currency="CNY",
        total_incl_tax=Decimal("123.45"),
        total_excl_tax=Decimal("123.45"),
        shipping_incl_tax=0,
        shipping_excl_tax=0,
        status="Pending payment",
        date_placed=now,
    )
    # a company whose admin and buyer each had a membership (the buyer's is merged into it)
    admin = User.objects.create(username="admin", email="admin@example.cn")
    buyer = User.objects.create(username="buyer", email="buyer@example.cn")
    firm = Company.objects.create(
        legal_name="深圳市合并测试有限公司",
        uscc=uscc.generate("440300", 9001),
        legal_representative="张三",
        province="广东省",
        city="深圳市",
        address="科技园",
        status="verified",
        applied_at=now,
    )
    CompanyMember.objects.create(company=firm, user=buyer, role="buyer", added_at=now)
    CompanyMember.objects.create(company=firm, user=admin, role="admin", added_at=now)
    Membership.objects.create(user=buyer, tier=gold, points_balance=70)
    Membership.objects.create(user=admin, tier=regular, points_balance=30)

    executor = MigrationExecutor(connection)
    # forward to every app's latest: migrating member_tiers back also took back the apps that
    # depend on it (finance's ledger, whose history migration then posts these rows)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    new = executor.loader.project_state(others + latest).apps
    Company = new.get_model("companies", "Company")
    Membership = new.get_model("member_tiers", "Membership")
    lone_company = Company.objects.get(members__user_id=lone.pk)
    assert (lone_company.legal_name, lone_company.status, lone_company.migrated, lone_company.uscc) == (
        "杭州孤独五金店",
        "verified",
        True,
        "",
    )
    assert (lone_company.province, lone_company.city, lone_company.legal_representative) == (
        "浙江省",
        "杭州市",
        "孤 独",
    )
    assert lone_company.members.get().role == "admin"
    membership = Membership.objects.get(company=lone_company)
    assert (membership.tier_id, membership.points_balance) == (gold.pk, 500)
    assert membership.points_entries.count() == 1
    assert (membership.credit.balance, membership.credit.limit, membership.credit.entries.count()) == (
        Decimal("123.45"),
        Decimal("8000.00"),
        1,
    )
    assert membership.rules_version is not None
    assert new.get_model("member_tiers", "PriceRule").objects.get().company_id == lone_company.pk
    assert new.get_model("order", "Order").objects.get(number="L-1").company_id == lone_company.pk
    # the company's two memberships are one: points added, the better tier kept
    merged = Membership.objects.get(company=firm.pk)
    assert (merged.points_balance, merged.tier_id) == (100, gold.pk)
    assert Membership.objects.count() == 2
    TransitionLog = new.get_model("core", "TransitionLog")
    assert TransitionLog.objects.filter(object_id=str(lone_company.pk), via="migration", to_state="verified").exists()
