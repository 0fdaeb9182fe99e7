"""Start the site as configured by the environment (e.g. DISABLED_PLUGIN_APPS=plugins.logistics on
a fresh SQLite database), buy through the storefront and open the order pages; print what
each page answered as one JSON line prefixed with PROBE_RESULT.

Run by tests/core/test_plugin_removal.py in a subprocess, because the set of installed apps is
fixed when Django starts. Run by hand: ``DISABLED_PLUGIN_APPS=plugins.member_tiers
DATABASE_URL=sqlite:////tmp/probe.sqlite3 .venv/bin/python -m tests.core.plugin_removal_probe``.
"""

import json
import os
import sys

PREFIX = "PROBE_RESULT "


def main() -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()

    from django.apps import apps
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()  # the test client's view of responses; local-memory e-mail
    call_command("check", fail_level="ERROR", verbosity=0)
    call_command("migrate", interactive=False, verbosity=0)

    from tests import factories

    jg = factories.supplier("jg", "苏州精工五金制品有限公司")
    df = factories.supplier("df", "宁波东方电气设备有限公司")
    bolt = factories.product("JG-HB-M8-30", "外六角螺栓 M8×30", "32.00", 500, jg, (factories.category("紧固件"),))
    wire = factories.product("DF-BV-2.5", "BV铜芯电线 2.5mm²", "218.00", 40, df)
    buyer = factories.distributor("buyer", province="四川省")
    operator = factories.operator()

    pages: dict[str, int] = {}
    bodies: dict[str, str] = {}

    def visit(client: Client, key: str, url: str, method: str = "get", data=None, follow: bool = False):
        response = getattr(client, method)(url, data or {}, follow=follow)
        pages[key] = response.status_code
        bodies[key] = response.content.decode()
        return response

    shop = Client()
    shop.force_login(buyer)
    visit(shop, "product list", reverse("catalogue:index"))
    visit(shop, "product page", bolt.get_absolute_url())
    shop.post(reverse("basket:add", kwargs={"pk": bolt.pk}), {"quantity": 10})
    shop.post(reverse("basket:add", kwargs={"pk": wire.pk}), {"quantity": 1})
    visit(shop, "basket", reverse("basket:summary"))
    address = buyer.addresses.get()
    shop.get(reverse("checkout:index"), follow=True)
    shop.post(reverse("checkout:shipping-address"), {"action": "ship_to", "address_id": address.pk})
    shop.get(reverse("checkout:shipping-method"), follow=True)
    visit(shop, "checkout payment", reverse("checkout:payment-details"))
    visit(shop, "checkout preview", reverse("checkout:preview"), "post", {"method": "bank-transfer"})
    visit(shop, "thank-you", reverse("checkout:preview"), "post", {"action": "place_order"}, follow=True)
    order = buyer.orders.get()
    visit(shop, "order list", reverse("customer:order-list"))
    visit(shop, "order page", reverse("customer:order", kwargs={"order_number": order.number}))
    visit(shop, "account", reverse("customer:profile-view"))
    graphql = shop.post(
        "/graphql/", {"query": "{ products(first: 5) { totalCount } }"}, content_type="application/json"
    )
    pages["graphql"] = graphql.status_code

    back_office = Client()
    back_office.force_login(operator)
    visit(back_office, "dashboard order list", reverse("dashboard:order-list"))
    visit(back_office, "dashboard order page", reverse("dashboard:order-detail", kwargs={"number": order.number}))
    # an order whose payment is secured (as if paid on account): split into supplier orders when
    # s2b2b_orders is installed
    secured = factories.place_order(buyer, [(bolt, 2), (wire, 1)])
    visit(shop, "secured order page", reverse("customer:order", kwargs={"order_number": secured.number}))
    visit(
        back_office,
        "dashboard secured order page",
        reverse("dashboard:order-detail", kwargs={"number": secured.number}),
    )
    line = order.lines.first()
    visit(
        back_office,
        "dashboard line page",
        reverse("dashboard:order-line-detail", kwargs={"number": order.number, "line_id": line.pk}),
    )

    def marker(key: str, text: str) -> bool:
        return text in bodies.get(key, "")

    return {
        "plugins": sorted(c.name for c in apps.get_app_configs() if c.name.startswith("plugins.")),
        "pages": pages,
        "order": {
            "total": str(order.total_incl_tax),
            "shipping": str(order.shipping_incl_tax),
            "shipping code": order.shipping_code,
        },
        "payment methods": [s.source_type.code for s in order.sources.all()],
        "on account offered": marker("checkout payment", 'value="on-account"'),
        "sections": {
            "sample contract on the order page": marker("order page", 'id="sample-contract"'),
            "sample contract on the dashboard order page": marker("dashboard order page", 'id="sample-contract"'),
            "sample column in the order list": marker("order list", "sample-contract-cell"),
            "freight per supplier in the basket": marker("basket", 'id="freight-breakdown"'),
            "logistics on the order page": marker("order page", 'id="order-logistics"'),
            "supplier parts on the order page": marker("secured order page", 'id="supplier-parts"'),
            "supplier orders on the dashboard order page": marker(
                "dashboard secured order page", 'id="dashboard-supplier-parts"'
            ),
            "logistics tab on the dashboard order page": marker("dashboard order page", 'id="logistics"'),
            "membership tab": marker("account", reverse("membership:mine"))
            if apps.is_installed("plugins.member_tiers")
            else False,
        },
    }


if __name__ == "__main__":
    result = main()
    sys.stdout.write(PREFIX + json.dumps(result, ensure_ascii=False) + "\n")
