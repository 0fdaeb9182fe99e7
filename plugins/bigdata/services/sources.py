"""Reading orders' histories (``facts.OrderHistory``) for many orders at once.

The kernel's rows (orders, lines, payment events, status changes, products' categories) are read
here directly; what other plugins own comes through their selectors, and only when the plugin is
installed (without member_tiers a fact has no tier or salesperson, without s2b2b_orders the
supplier and cost are those of the line's offer and nothing is re-routed, without finance there
are no refunds). A fixed number of queries per batch, whatever its size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.apps import apps
from oscar.core.loading import get_model

from core.money import to_fen
from core.orders import payments
from core.orders import status as order_status
from core.regions import get_province
from plugins.bigdata import facts

Order = get_model("order", "Order")
Line = get_model("order", "Line")
PaymentEvent = get_model("order", "PaymentEvent")
OrderStatusChange = get_model("order", "OrderStatusChange")
ProductCategory = get_model("catalogue", "ProductCategory")


def _fen(amount: Decimal | None) -> int | None:
    return None if amount is None else to_fen(amount)


def _categories(product_ids: set[int]) -> dict[int, tuple[int, str]]:
    """product id → its first category (by tree path) as (id, name)."""
    found: dict[int, tuple[int, str]] = {}
    rows = (
        ProductCategory.objects.filter(product_id__in=product_ids)
        .order_by("product_id", "category__path")
        .values_list("product_id", "category_id", "category__name")
    )
    for product_id, category_id, name in rows:
        found.setdefault(product_id, (category_id, name))
    return found


def _dimensions(orders: list[dict]) -> dict[int, dict]:
    if not apps.is_installed("plugins.member_tiers"):
        return {}
    from plugins.member_tiers.selectors import dimensions_of_companies

    return dimensions_of_companies({o["company_id"] for o in orders if o["company_id"]})


def _supplier_parts(order_ids: list[int]) -> tuple[dict[int, tuple], dict[int, list[facts.Reroute]]]:
    """(order line id → (supplier id, name, unit cost) of its first part; order id → re-routings)."""
    if not apps.is_installed("plugins.s2b2b_orders"):
        return {}, {}
    from plugins.s2b2b_orders.selectors import supplier_lines_of_orders

    first: dict[int, tuple] = {}
    replacements: dict[tuple[int, int], dict] = {}
    for row in supplier_lines_of_orders(order_ids):
        holder = (row["supplier_id"], row["supplier_name"], _fen(row["unit_cost"]))
        if row["replaces_id"] is None:
            first.setdefault(row["order_line_id"], holder)
        else:
            key = (row["order_id"], row["part_id"])
            entry = replacements.setdefault(key, {"at": row["part_created_at"], "lines": {}})
            entry["lines"][row["order_line_id"]] = holder
    reroutes: dict[int, list[facts.Reroute]] = defaultdict(list)
    for (order_id, part_id), entry in replacements.items():
        reroutes[order_id].append(facts.Reroute(at=entry["at"], new_part_id=part_id, lines=entry["lines"]))
    return first, reroutes


def _refunds(order_ids: list[int]) -> dict[int, list[facts.RefundSource]]:
    if not apps.is_installed("plugins.finance"):
        return {}
    from plugins.finance.selectors.refunds import executed_refunds_of_orders

    found: dict[int, list[facts.RefundSource]] = defaultdict(list)
    for refund in executed_refunds_of_orders(order_ids):
        found[refund.order_id].append(
            facts.RefundSource(
                refund_id=refund.pk,
                at=refund.refunded_at,
                freight=to_fen(refund.freight_amount),
                lines=tuple(
                    facts.RefundLineSource(
                        refund_line_id=rl.pk, line_id=rl.order_line_id, quantity=rl.quantity, amount=to_fen(rl.amount)
                    )
                    for rl in refund.lines.all()
                ),
            )
        )
    return found


def histories(order_ids: Iterable[int]) -> list[facts.OrderHistory]:
    """The histories of the given orders whose payment was secured (others make no facts)."""
    ids = sorted(set(order_ids))
    secured: dict[int, object] = {}
    for order_id, at in (
        PaymentEvent.objects.filter(order_id__in=ids, event_type__code=payments.SECURED)
        .order_by("order_id", "date_created", "id")
        .values_list("order_id", "date_created")
    ):
        secured.setdefault(order_id, at)
    ids = [i for i in ids if i in secured]
    if not ids:
        return []
    # plain values, not model instances: building 500 orders with their company and address was
    # a tenth of a worker's time (profiled)
    orders = list(
        Order.objects.filter(pk__in=ids)
        .order_by("pk")
        .values(
            "pk",
            "number",
            "status",
            "company_id",
            "company__legal_name",
            "shipping_address_id",
            "shipping_address__state",
            "shipping_address__line4",
            "shipping_incl_tax",
        )
    )
    cancelled: dict[int, object] = {}
    for order_id, at in (
        OrderStatusChange.objects.filter(order_id__in=ids, new_status=order_status.CANCELLED)
        .order_by("order_id", "date_created")
        .values_list("order_id", "date_created")
    ):
        cancelled.setdefault(order_id, at)
    lines_by_order: dict[int, list[dict]] = defaultdict(list)
    product_ids: set[int] = set()
    for row in (
        Line.objects.filter(order_id__in=ids)
        .order_by("order_id", "id")
        .values(
            "id",
            "order_id",
            "quantity",
            "line_price_incl_tax",
            "product_id",
            "product__parent_id",
            "partner_sku",
            "title",
            "partner_id",
            "partner_name",
            "stockrecord__cost",
        )
    ):
        lines_by_order[row["order_id"]].append(row)
        product_ids.update(p for p in (row["product_id"], row["product__parent_id"]) if p)
    categories = _categories(product_ids)
    dims_by_company = _dimensions(orders)
    first_parts, reroutes = _supplier_parts(ids)
    refunds = _refunds(ids)

    result = []
    for order in orders:
        has_address = order["shipping_address_id"] is not None
        province_name = order["shipping_address__state"] if has_address else ""
        province = get_province(province_name)
        member = dims_by_company.get(order["company_id"], {})
        dims = facts.Dimensions(
            order_id=order["pk"],
            order_number=str(order["number"]),
            company_id=order["company_id"],
            company_name=(order["company__legal_name"] or "") if order["company_id"] else "",
            tier_code=member.get("tier_code", ""),
            tier_name=member.get("tier_name", ""),
            salesperson_id=member.get("salesperson_id"),
            salesperson_name=member.get("salesperson_name", ""),
            province_code=province.code if province else "",
            province=province_name or "",
            city=(order["shipping_address__line4"] if has_address else "") or "",
        )
        lines = []
        for row in lines_by_order[order["pk"]]:
            category = categories.get(row["product_id"]) or categories.get(row["product__parent_id"]) or (None, "")
            supplier = first_parts.get(
                row["id"], (row["partner_id"], row["partner_name"], _fen(row["stockrecord__cost"]))
            )
            lines.append(
                facts.LineSource(
                    line_id=row["id"],
                    quantity=row["quantity"],
                    revenue=to_fen(row["line_price_incl_tax"]),
                    product_id=row["product_id"],
                    sku=row["partner_sku"] or "",
                    product_title=row["title"] or "",
                    category_id=category[0],
                    category_name=category[1],
                    supplier_id=supplier[0],
                    supplier_name=supplier[1] or "",
                    unit_cost=supplier[2],
                )
            )
        order_id = order["pk"]
        cancelled_at = cancelled.get(order_id)
        if cancelled_at is None and order["status"] == order_status.CANCELLED:
            cancelled_at = secured[order_id]  # cancelled without a recorded change (imported history)
        result.append(
            facts.OrderHistory(
                dims=dims,
                lines=tuple(lines),
                freight=to_fen(order["shipping_incl_tax"] or 0),
                secured_at=secured[order_id],
                cancelled_at=cancelled_at,
                reroutes=tuple(sorted(reroutes.get(order_id, []), key=lambda r: (r.at, r.new_part_id))),
                refunds=tuple(refunds.get(order_id, [])),
            )
        )
    return result
