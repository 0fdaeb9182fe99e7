"""A basket merged at sign-in is priced for the buyer: the visitor's basket (list prices) joins
the buyer's own basket when they sign in, and every line that arrives stores the buyer's price at
its quantity (their tier's discount, their quantity breaks) — no line keeps the list price, the
basket page shows no "price changed since you added it" notice, and the totals are the buyer's,
to the fen."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from tests import factories
from tests.storefront.test_b2b_quantities import add, anchor, gold  # noqa: F401  fixtures

Line = get_model("basket", "Line")

pytestmark = pytest.mark.django_db

NOTICE = "加入购物车以来"


def test_the_visitors_basket_merged_at_sign_in_is_priced_for_the_buyer(buyer, buyer_client, gold, anchor, catalogue):  # noqa: F811
    bolt = catalogue["bolt"]
    # the buyer's own basket already holds 20 anchors (≥10 break: ¥13.10)
    add(buyer_client, anchor, 20)
    assert Line.objects.get(basket__owner=buyer, product=anchor).price_incl_tax == Decimal("13.10")

    # signed out, they fill a basket at list prices: 50 anchors at ¥13.80, 2 bolts at ¥32.00
    visitor = Client()
    add(visitor, anchor, 50)
    add(visitor, bolt, 2)
    visitor_page = re.sub(r"\s+", " ", visitor.get(reverse("basket:summary")).content.decode())
    assert "¥690.00" in visitor_page and "¥64.00" in visitor_page  # 50 × 13.80, 2 × 32.00

    # they sign in on the storefront's form: the baskets merge (Oscar keeps the larger quantity)
    signed_in = visitor.post(
        "/accounts/login/",
        {"login-username": buyer.email, "login-password": factories.PASSWORD, "login_submit": "1"},
    )
    assert signed_in.status_code == 302
    page = re.sub(r"\s+", " ", visitor.get(reverse("basket:summary")).content.decode())

    stored = {
        line.product_id: (line.quantity, line.price_incl_tax)
        for line in Line.objects.filter(basket__owner=buyer, basket__status="Open")
    }
    # 50 anchors at the ≥50 break (¥12.40); 2 bolts at gold's 5 % off list (¥30.40)
    assert stored == {anchor.pk: (50, Decimal("12.40")), bolt.pk: (2, Decimal("30.40"))}
    assert NOTICE not in page
    assert "¥620.00" in page and "¥60.80" in page  # 50 × 12.40, 2 × 30.40
    assert "¥680.80" in page  # the basket's total for the buyer
    assert "¥690.00" not in page and "¥64.00" not in page
