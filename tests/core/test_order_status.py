"""The order statuses and the rule that makes an order follow its supplier parts (pure)."""

import pytest
from django.conf import settings

from core.orders import status as s

F, A, R, PS, SH, D, C, X = (
    s.PART_FORWARDED,
    s.PART_ACCEPTED,
    s.PART_REJECTED,
    s.PART_PARTIALLY_SHIPPED,
    s.PART_SHIPPED,
    s.PART_DELIVERED,
    s.PART_COMPLETED,
    s.PART_CANCELLED,
)


def test_settings_take_oscars_pipeline_from_the_status_module():
    assert settings.OSCAR_ORDER_STATUS_PIPELINE is s.PIPELINE
    assert settings.OSCAR_INITIAL_ORDER_STATUS == s.PENDING_PAYMENT
    assert "Paid" not in s.PIPELINE  # paid is a payment event, not a status


@pytest.mark.parametrize(
    "current, parts, expected",
    [
        (s.CONFIRMED, [F, F], None),
        (s.CONFIRMED, [A, F], s.PROCESSING),
        (s.CONFIRMED, [PS], s.PROCESSING),
        (s.PROCESSING, [SH, F], None),
        (s.PROCESSING, [SH, D], s.SHIPPED),
        (s.PROCESSING, [SH, X], s.SHIPPED),  # a cancelled part does not hold the order
        (s.SHIPPED, [C, C], s.COMPLETE),
        (s.SHIPPED, [C, D], None),
        (s.CONFIRMED, [X, X], s.CANCELLED),
        (s.PROCESSING, [X], s.CANCELLED),
        (s.SHIPPED, [X], None),  # shipped orders are not cancelled by their parts
        (s.CONFIRMED, [R, F], None),  # a rejected part waits for an operator
        (s.CONFIRMED, [R, A], s.PROCESSING),
        (s.CONFIRMED, [R, SH], s.PROCESSING),  # not "shipped" while a part is rejected
        (s.SHIPPED, [A], None),  # never backwards
        (s.COMPLETE, [X], None),  # never out of a final status
        (s.CANCELLED, [A], None),
        (s.PENDING_PAYMENT, [A], None),  # an unpaid order has no live parts to follow
        (s.CONFIRMED, [], None),
    ],
)
def test_the_order_follows_its_parts(current, parts, expected):
    assert s.derive_status(current, parts) == expected
    if expected:
        assert expected in s.PIPELINE[current]  # every derived move is an edge of Oscar's pipeline


@pytest.mark.parametrize(
    "current, part, expected",
    [
        (s.CONFIRMED, A, s.PROCESSING),
        (s.PROCESSING, SH, s.SHIPPED),
        (s.SHIPPED, A, None),
        (s.CONFIRMED, R, None),
        (s.PROCESSING, X, s.CANCELLED),
        (s.SHIPPED, X, None),
    ],
)
def test_a_line_follows_the_part_that_carries_it(current, part, expected):
    assert s.derive_line_status(current, part) == expected


def test_every_status_has_a_label_in_chinese_and_english():
    from django.utils import translation

    with translation.override("zh-hans"):
        labels = {status: s.status_label(status) for status in s.PIPELINE}
    assert labels == {
        s.PENDING_PAYMENT: "待付款",
        s.CONFIRMED: "已确认",
        s.PROCESSING: "处理中",
        s.SHIPPED: "已发货",
        s.COMPLETE: "已完成",
        s.CANCELLED: "已取消",
    }
    with translation.override("en"):
        assert s.status_label(s.CONFIRMED) == "Confirmed"


def test_no_status_literal_outside_the_status_module():
    """Code compares statuses through core.orders.status, never by spelling them out."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    literal = re.compile(r"""["'](Pending payment|Paid|Processing|Shipped|Complete|Cancelled)["']""")
    offenders = []
    for folder in ("core", "plugins", "storefront", "shop", "config"):
        for path in (root / folder).rglob("*.py"):
            if "migrations" in path.parts or path.name == "zh_hans_terms.py" or path == root / "core/orders/status.py":
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if literal.search(line) and "_(" not in line and "gettext" not in line:
                    offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert offenders == []
