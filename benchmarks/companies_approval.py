"""Checkout with purchase approval rules: pressing 下订单 as a buyer of a company without rules
against a buyer of a company with 10 active rules (one of them a monthly budget, so the month's
spend is read; all of them name the same step), first with rules the order does not match (it is placed as usual: the cost of
evaluating them), then with matching rules (it is submitted for approval instead). Prints the SQL
queries of each press (the rules cost at most 3 more, whatever their number: 1 rule → 10 rules
is the same count) and the times of the press alone, the two buyers alternating in the same run
(min/median, and the ratio). The basket and the checkout steps before the press are not timed.

    .venv/bin/python benchmarks/companies_approval.py              # throwaway SQLite file
    .venv/bin/python benchmarks/companies_approval.py --postgres   # throwaway PostgreSQL 15 cluster
"""

import time
from decimal import Decimal

from bench_env import RUNS, Timing, cpu_ratio_text, database_label, queries, ratio_text, start_django  # noqa: E402

start_django()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from companies.approvals import services  # noqa: E402
from companies.approvals.models import ApprovalRequest  # noqa: E402
from companies.services.people import add_member  # noqa: E402
from tests import factories  # noqa: E402  (the repository's shared test-data builders)

ADDRESS = {
    "last_name": "李四",
    "phone_number": "13808012346",
    "state": "四川省",
    "line4": "成都市",
    "line3": "武侯区",
    "line1": "武兴四路166号",
    "postcode": "610045",
}
KINDS = ("order_total", "freight", "sku_count")


def buyer_of(admin_key: str, buyer_key: str, serial: int):
    admin = factories.distributor(admin_key)
    company = factories.company(admin, f"基准{serial}采购有限公司", serial)
    buyer = factories.person(buyer_key)
    add_member(company=company, user=buyer, role="buyer", by=admin)
    return company, admin, buyer


def set_rules(company, admin, count: int, *, matching: bool) -> None:
    company.approval_rules.all().delete()
    low = "1.00" if matching else "900000.00"
    services.create_rule(
        company=company, by=admin, kind="monthly_budget", threshold=Decimal(low), approver_role="approver", step=1
    )
    for n in range(count - 1):
        kind = KINDS[n % 3]
        threshold = Decimal("0" if matching else "900") if kind == "sku_count" else Decimal(low)
        services.create_rule(
            company=company, by=admin, kind=kind, threshold=threshold, approver_role="approver", step=1
        )


class Press:
    """One buyer's 下订单: the basket and the checkout steps are prepared untimed; the press is
    what is measured."""

    def __init__(self, user, product):
        self.client = Client()
        self.client.force_login(user)
        self.product = product

    def prepare(self):
        c = self.client
        c.post(reverse("basket:add", kwargs={"pk": self.product.pk}), {"quantity": 2})
        c.get(reverse("checkout:index"))
        c.post(reverse("checkout:shipping-address"), ADDRESS)
        c.get(reverse("checkout:shipping-method"))
        c.post(reverse("checkout:preview"), {"method": "bank-transfer"})

    def __call__(self):
        response = self.client.post(reverse("checkout:preview"), {"action": "place_order"})
        assert response.status_code == 302, response.status_code

    def counted(self) -> int:
        self.prepare()
        return queries(self)


def timed(a: Press, b: Press, runs: int = RUNS) -> tuple[Timing, Timing]:
    """The presses alternately (A B, B A, B A, A B …), each prepared untimed."""
    out = {id(a): Timing([], []), id(b): Timing([], [])}
    for n in range(runs + 2):
        for press in (a, b) if n % 4 in (0, 3) else (b, a):
            press.prepare()
            start, cpu = time.perf_counter(), time.process_time()
            press()
            if n >= 2:  # two warm-up rounds
                out[id(press)].runs.append(time.perf_counter() - start)
                out[id(press)].cpu.append(time.process_time() - cpu)
    return out[id(a)], out[id(b)]


def main():
    call_command("migrate", verbosity=0)
    product = factories.product("BENCH-APPROVAL", "基准测试商品", "9.90", 10_000_000, factories.supplier("bench"))
    _plain, _plain_admin, plain_buyer = buyer_of("plainadmin", "plainbuyer", 801)
    ruled, ruled_admin, ruled_buyer = buyer_of("ruledadmin", "ruledbuyer", 802)
    plain, rules = Press(plain_buyer, product), Press(ruled_buyer, product)
    for press in (plain, rules):  # each buyer's first order (their address book entry …), untimed
        press.prepare()
        press()

    print(f"database: {database_label()}; 10 rules vs none interleaved; ratios rules/none (min/median), wall and CPU")
    print(
        f"{'press of 下订单':<34}{'queries':>16}{'none min/med ms':>18}{'rules min/med ms':>19}{'wall':>11}{'cpu':>11}"
    )
    for label, matching in (("rules not matched: order placed", False), ("rules matched: submitted", True)):
        set_rules(ruled, ruled_admin, 1, matching=matching)
        rules.counted()  # warm: the process's first look-ups (content types of new rows …) are cached after
        one = rules.counted()
        set_rules(ruled, ruled_admin, 10, matching=matching)
        ten = rules.counted()
        none = plain.counted()
        t_none, t_rules = timed(plain, rules)
        print(
            f"{label:<34}{f'{none} / {one} / {ten}':>16}{t_none.min_ms:>10.1f}/{t_none.median_ms:<7.1f}"
            f"{t_rules.min_ms:>11.1f}/{t_rules.median_ms:<7.1f}{ratio_text(t_rules, t_none):>11}"
            f"{cpu_ratio_text(t_rules, t_none):>11}"
        )
        ApprovalRequest.objects.filter(status="pending").update(status="cancelled")
    print("queries: none / 1 rule / 10 rules")


if __name__ == "__main__":
    main()
