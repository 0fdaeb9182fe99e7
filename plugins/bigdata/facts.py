"""Which fact rows an order's history makes (pure: no ORM).

An order's history is read into an ``OrderHistory`` (services/sources.py) and replayed in time
order; the result is the complete list of its fact rows, each keyed by the id of what caused it.
The writer inserts the rows it does not have yet, so every event — payment, a re-delivered one,
a refund, a cancellation, a re-routing, in any order of arrival — just replays the order again:

==============  ==========================================================  =================
event           rows                                                        source id
==============  ==========================================================  =================
payment         one ``sale`` per order line: quantity, revenue (the line's  sale:<line>
secured         price after discounts), cost (supplier's cost snapshot ×
                quantity), freight (the order's freight split over its
                lines by revenue, largest remainder)
re-routed       per line of the old part: its net under the old supplier   reroute:<new part>:<line>:out
part            negated, and the same quantity, revenue and freight under  reroute:<new part>:<line>:in
                the backup with the backup's cost
refund paid     per refund line: −amount, −quantity (0 for an allowance),   refund:<refund line>
back            −cost of the returned quantity, −freight (the refund's
                freight split over its lines by amount); none when the
                order was already cancelled (the cancellation gave back
                everything; finance then pays out held money, not revenue)
order           per order line and supplier holding a non-zero net: that    cancel:<line>:<supplier>
cancelled       net negated (so a cancelled order nets to zero)
==============  ==========================================================  =================

Refunds and cancellations after a sale keep the sale's dimensions (company, tier, salesperson,
province, city, product, category); the supplier is the one holding the line at that time. Money
is integer fen throughout. Part cancellations and rejections make no row by themselves: the money
moves through a refund or the order's cancellation.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

SALE, REFUND, CANCELLATION, REROUTE = "sale", "refund", "cancellation", "reroute"
# replay order of events at the same instant
_EVENT_RANK = {SALE: 0, REROUTE: 1, REFUND: 2, CANCELLATION: 3}


def local_date(moment: datetime) -> date:
    return moment.astimezone(SHANGHAI).date()


def allocate_fen(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` fen over ``weights`` in proportion, largest remainder (ties: first), so the
    parts add up exactly; all-zero weights split evenly. ``total`` may be negative."""
    if not weights:
        return []
    sign = -1 if total < 0 else 1
    total = abs(total)
    if sum(weights) <= 0:
        weights = [1] * len(weights)
    whole = sum(weights)
    parts = [total * w // whole for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in remainders[: total - sum(parts)]:
        parts[i] += 1
    return [sign * p for p in parts]


@dataclass(frozen=True)
class Dimensions:
    """What a fact is about besides its line: the same for every row of an order."""

    order_id: int
    order_number: str
    company_id: int | None = None
    company_name: str = ""
    tier_code: str = ""
    tier_name: str = ""
    salesperson_id: int | None = None
    salesperson_name: str = ""
    province_code: str = ""
    province: str = ""
    city: str = ""


@dataclass(frozen=True)
class LineSource:
    line_id: int
    quantity: int
    revenue: int
    product_id: int | None = None
    sku: str = ""
    product_title: str = ""
    category_id: int | None = None
    category_name: str = ""
    supplier_id: int | None = None
    supplier_name: str = ""
    #: the supplier's cost of one unit in fen (None: unknown, counted as 0)
    unit_cost: int | None = None


@dataclass(frozen=True)
class Reroute:
    """A part handed to the backup supplier: its lines' new supplier and cost."""

    at: datetime
    new_part_id: int
    #: order line id → (supplier id, supplier name, unit cost in fen or None)
    lines: dict[int, tuple[int | None, str, int | None]]


@dataclass(frozen=True)
class RefundLineSource:
    refund_line_id: int
    line_id: int
    quantity: int
    amount: int


@dataclass(frozen=True)
class RefundSource:
    refund_id: int
    at: datetime
    lines: tuple[RefundLineSource, ...]
    freight: int = 0


@dataclass(frozen=True)
class OrderHistory:
    dims: Dimensions
    lines: tuple[LineSource, ...]
    freight: int = 0
    #: when the payment was secured (None: never — the order makes no facts)
    secured_at: datetime | None = None
    cancelled_at: datetime | None = None
    reroutes: tuple[Reroute, ...] = ()
    refunds: tuple[RefundSource, ...] = ()


@dataclass(frozen=True)
class Fact:
    source_id: str
    kind: str
    occurred_at: datetime
    order_line_id: int
    quantity: int
    revenue: int
    cost: int
    freight: int
    dims: Dimensions
    product_id: int | None = None
    sku: str = ""
    product_title: str = ""
    category_id: int | None = None
    category_name: str = ""
    supplier_id: int | None = None
    supplier_name: str = ""

    @property
    def date(self) -> date:
        return local_date(self.occurred_at)

    @property
    def month(self) -> date:
        return self.date.replace(day=1)


@dataclass
class _Held:
    """What one supplier holds of one order line so far."""

    quantity: int = 0
    revenue: int = 0
    cost: int = 0
    freight: int = 0

    def add(self, fact: Fact) -> None:
        self.quantity += fact.quantity
        self.revenue += fact.revenue
        self.cost += fact.cost
        self.freight += fact.freight

    @property
    def is_zero(self) -> bool:
        return not (self.quantity or self.revenue or self.cost or self.freight)


@dataclass
class _Line:
    source: LineSource
    supplier: tuple[int | None, str, int | None]  # id, name, unit cost
    held: dict[int | None, _Held] = field(default_factory=dict)
    supplier_names: dict[int | None, str] = field(default_factory=dict)


def order_facts(history: OrderHistory) -> list[Fact]:
    """Every fact row the order's history makes, in time order (see the module's table)."""
    if history.secured_at is None or not history.lines:
        return []
    dims = history.dims
    state = {
        line.line_id: _Line(source=line, supplier=(line.supplier_id, line.supplier_name, line.unit_cost))
        for line in history.lines
    }
    events: list[tuple[datetime, int, int, object]] = [(history.secured_at, _EVENT_RANK[SALE], 0, None)]
    events += [(r.at, _EVENT_RANK[REROUTE], r.new_part_id, r) for r in history.reroutes]
    events += [(r.at, _EVENT_RANK[REFUND], r.refund_id, r) for r in history.refunds]
    if history.cancelled_at is not None:
        events.append((max(history.cancelled_at, history.secured_at), _EVENT_RANK[CANCELLATION], 0, None))
    events.sort(key=lambda e: (e[0], e[1], e[2]))

    facts: list[Fact] = []
    cancelled = False

    def emit(line: _Line, **values) -> None:
        src = line.source
        supplier_id = values.pop("supplier_id", line.supplier[0])
        supplier_name = values.pop("supplier_name", line.supplier[1])
        fact = Fact(
            order_line_id=src.line_id,
            dims=dims,
            product_id=src.product_id,
            sku=src.sku,
            product_title=src.product_title,
            category_id=src.category_id,
            category_name=src.category_name,
            supplier_id=supplier_id,
            supplier_name=supplier_name,
            **values,
        )
        line.held.setdefault(supplier_id, _Held()).add(fact)
        line.supplier_names[supplier_id] = supplier_name
        facts.append(fact)

    for at, rank, _key, payload in events:
        if cancelled:
            break  # nothing after the cancellation moves sales (refunds pay out held money)
        if rank == _EVENT_RANK[SALE]:
            shares = allocate_fen(history.freight, [max(line.revenue, 0) for line in history.lines])
            for line, freight in zip(history.lines, shares, strict=True):
                held = state[line.line_id]
                emit(
                    held,
                    source_id=f"sale:{line.line_id}",
                    kind=SALE,
                    occurred_at=at,
                    quantity=line.quantity,
                    revenue=line.revenue,
                    cost=(line.unit_cost or 0) * line.quantity,
                    freight=freight,
                )
        elif rank == _EVENT_RANK[REROUTE]:
            reroute: Reroute = payload
            for line_id, (supplier_id, supplier_name, unit_cost) in sorted(reroute.lines.items()):
                line = state.get(line_id)
                if line is None or supplier_id == line.supplier[0]:
                    continue
                old = line.held.get(line.supplier[0], _Held())
                base = f"reroute:{reroute.new_part_id}:{line_id}"
                quantity, revenue, freight = old.quantity, old.revenue, old.freight
                emit(
                    line,
                    source_id=f"{base}:out",
                    kind=REROUTE,
                    occurred_at=at,
                    quantity=-quantity,
                    revenue=-revenue,
                    cost=-old.cost,
                    freight=-freight,
                )
                line.supplier = (supplier_id, supplier_name, unit_cost)
                emit(
                    line,
                    source_id=f"{base}:in",
                    kind=REROUTE,
                    occurred_at=at,
                    quantity=quantity,
                    revenue=revenue,
                    cost=(unit_cost or 0) * quantity,
                    freight=freight,
                )
        elif rank == _EVENT_RANK[REFUND]:
            refund: RefundSource = payload
            refund_lines = [rl for rl in refund.lines if rl.line_id in state]
            if refund_lines:
                freights = allocate_fen(refund.freight, [rl.amount for rl in refund_lines])
                targets = [
                    (rl.line_id, f"refund:{rl.refund_line_id}", rl.quantity, rl.amount, freight)
                    for rl, freight in zip(refund_lines, freights, strict=True)
                ]
            else:  # freight only: over the order's lines by revenue
                freights = allocate_fen(refund.freight, [max(line.revenue, 0) for line in history.lines])
                targets = [
                    (line.line_id, f"refund:{refund.refund_id}:freight:{line.line_id}", 0, 0, freight)
                    for line, freight in zip(history.lines, freights, strict=True)
                    if freight
                ]
            for line_id, source_id, quantity, amount, freight in targets:
                line = state[line_id]
                unit_cost = line.supplier[2] or 0
                emit(
                    line,
                    source_id=source_id,
                    kind=REFUND,
                    occurred_at=at,
                    quantity=-quantity,
                    revenue=-amount,
                    cost=-unit_cost * quantity,
                    freight=-freight,
                )
        else:
            cancelled = True
            for line_id in sorted(state):
                line = state[line_id]
                for supplier_id in sorted(line.held, key=lambda s: (s is None, s or 0)):
                    held = line.held[supplier_id]
                    if held.is_zero:
                        continue
                    emit(
                        line,
                        source_id=f"cancel:{line_id}:{supplier_id or 0}",
                        kind=CANCELLATION,
                        occurred_at=at,
                        quantity=-held.quantity,
                        revenue=-held.revenue,
                        cost=-held.cost,
                        freight=-held.freight,
                        supplier_id=supplier_id,
                        supplier_name=line.supplier_names[supplier_id],
                    )
    return facts


def with_dimensions(facts: list[Fact], dims: Dimensions) -> list[Fact]:
    """The facts stamped with ``dims`` (the dimensions of the order's first stored sale row, so
    refunds and cancellations land where the sale did even after a tier or owner changed)."""
    return [replace(f, dims=dims) for f in facts]
