"""Generated sales facts for the reference tests: a year and more of orders over every province,
with refunds, cancellations, re-routings, ties and products that net to nothing — written through
the real writer (services.facts.write), so the rollup is kept by the same increments as live."""

import random
from datetime import UTC, datetime, timedelta

from core.regions import PROVINCES
from plugins.bigdata import facts
from plugins.bigdata.facts import Dimensions, Fact

START = datetime(2025, 1, 1, 3, 0, tzinfo=UTC)


def generate(*, seed: int = 12, orders: int = 900, products: int = 240) -> list[Fact]:
    rnd = random.Random(seed)
    provinces = list(PROVINCES) + [None]  # an order without a known province
    companies = {
        c: (rnd.choice(provinces), rnd.choice(["gold", "silver", "regular"]), rnd.choice([None, 501, 502, 503]))
        for c in range(1, 81)
    }
    rows: list[Fact] = []
    for n in range(1, orders + 1):
        company = rnd.randint(1, 80)
        province, tier, salesperson = companies[company]
        dims = Dimensions(
            order_id=n,
            order_number=f"{100000 + n}",
            company_id=company,
            company_name=f"公司{company}",
            tier_code=tier,
            tier_name=tier,
            salesperson_id=salesperson,
            salesperson_name=f"销售{salesperson}" if salesperson else "",
            province_code=province.code if province else "",
            province=province.name if province else "",
            city=rnd.choice(["一市", "二市", "三市"]),
        )
        at = START + timedelta(minutes=rnd.randint(0, 60 * 24 * 420))
        lines = []
        for i in range(rnd.randint(1, 4)):
            product = rnd.randint(1, products)
            unit = rnd.randint(100, 50000)
            quantity = rnd.randint(1, 20)
            lines.append(
                facts.LineSource(
                    line_id=n * 10 + i,
                    quantity=quantity,
                    revenue=unit * quantity,
                    product_id=product,
                    category_id=product % 7 + 1,
                    category_name=f"类目{product % 7 + 1}",
                    supplier_id=product % 5 + 1,
                    supplier_name=f"供应商{product % 5 + 1}",
                    unit_cost=unit * rnd.randint(50, 99) // 100,
                )
            )
        refunds, reroutes, cancelled_at = [], [], None
        roll = rnd.random()
        if roll < 0.12:
            line = rnd.choice(lines)
            back = rnd.randint(0, line.quantity)
            amount = max(1, line.revenue * max(back, 1) // line.quantity // (1 if back else 3))
            refunds.append(
                facts.RefundSource(
                    refund_id=n,
                    at=at + timedelta(days=rnd.randint(1, 90)),
                    lines=(facts.RefundLineSource(n * 10 + 9, line.line_id, back, amount),),
                )
            )
        if 0.10 < roll < 0.18:
            cancelled_at = at + timedelta(days=rnd.randint(0, 40))
        if 0.17 < roll < 0.21:
            line = lines[0]
            reroutes.append(
                facts.Reroute(
                    at=at + timedelta(hours=5), new_part_id=n, lines={line.line_id: (9, "备用供应商", line.unit_cost)}
                )
            )
        rows += facts.order_facts(
            facts.OrderHistory(
                dims=dims,
                lines=tuple(lines),
                freight=rnd.choice([0, 0, 1500, 2333]),
                secured_at=at,
                cancelled_at=cancelled_at,
                reroutes=tuple(reroutes),
                refunds=tuple(refunds),
            )
        )
    rows += _edge_cases(orders)
    return rows


def _edge_cases(n: int) -> list[Fact]:
    """Three products of exactly the same value (ties go by product id), one sold only in a
    cancelled order (nets to zero: class N) and one refunded in a later period than its sale
    (negative within that period: class N)."""

    def order(k: int, product: int, revenue: int, **history) -> list[Fact]:
        dims = Dimensions(order_id=n + k, order_number=f"9{k:05d}", company_id=1, province_code="440000")
        line = facts.LineSource(line_id=(n + k) * 10, quantity=1, revenue=revenue, product_id=product, supplier_id=1)
        return facts.order_facts(facts.OrderHistory(dims=dims, lines=(line,), secured_at=START, **history))

    refund = facts.RefundSource(
        refund_id=n + 5,
        at=datetime(2025, 3, 20, 2, tzinfo=UTC),
        lines=(facts.RefundLineSource((n + 5) * 10 + 1, (n + 5) * 10, 1, 70000),),
    )
    return [
        *order(1, 1001, 3_000_00),
        *order(2, 1002, 3_000_00),
        *order(3, 1003, 3_000_00),
        *order(4, 1004, 5_000_00, cancelled_at=START + timedelta(days=2)),
        *order(5, 1005, 90000, refunds=(refund,)),
    ]
