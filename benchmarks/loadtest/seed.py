"""The load test's world, on top of the demo data set (``seed_demo``): enough distributors, each
the admin of a verified company of one with a default address and a large credit line (so both
"on account" and "bank transfer" can be chosen); ten suppliers, each with a staff user, an API
token and a webhook channel pointing at the load test's receiver (so forwarding is a real HTTP
delivery by the Celery worker); a second operator; stock large enough that the run measures the
platform, not sold-out products. Writes what the locustfile needs (logins, tokens, product
pages) to a JSON file and records when the run's orders start (``since``).

    python -m benchmarks.loadtest.seed OUT.json --distributors 50 --suppliers 10 --webhook URL
"""

import argparse
import json
import os
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Load-test-2026"  # noqa: S105  a throwaway cluster's users only


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def build(*, distributors: int, suppliers: int, operators: int, webhook: str) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Permission
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone
    from oscar.core.loading import get_model

    from core.services.api_tokens import issue_token
    from plugins.s2b2b_orders.models import Channel, SupplierProfile
    from plugins.s2b2b_orders.selectors import hide_unapproved
    from tests import factories

    User = get_user_model()
    Partner = get_model("partner", "Partner")
    StockRecord = get_model("partner", "StockRecord")
    Category = get_model("catalogue", "Category")
    Product = get_model("catalogue", "Product")
    Country = get_model("address", "Country")
    UserAddress = get_model("address", "UserAddress")

    call_command("seed_demo", months=1, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    password = make_password(PASSWORD)  # hashed once (the production hasher is slow on purpose)
    china = Country.objects.get(iso_3166_1_a2="CN")
    permission = Permission.objects.get(codename="dashboard_access", content_type__app_label="partner")
    provinces = ["广东省", "浙江省", "江苏省", "四川省", "山东省", "湖北省", "上海市", "北京市"]

    with transaction.atomic():
        world = {"password": PASSWORD, "distributors": [], "suppliers": [], "operators": [], "products": []}
        for n in range(1, distributors + 1):
            key = f"lt-buyer-{n:03d}"
            user = User.objects.create(username=key, email=f"{key}@load.test", password=password, first_name="买家")
            province = provinces[n % len(provinces)]
            UserAddress.objects.create(
                user=user,
                last_name=f"买家{n}",
                line2=f"压测贸易{n}有限公司",
                line1=f"科技园路{n}号",
                line3="南山区",
                line4="深圳市",
                state=province,
                postcode="518000",
                country=china,
                phone_number="+8613800138000",
                is_default_for_shipping=True,
                is_default_for_billing=True,
            )
            factories.company_of_one(user, province=province)
            factories.credit_line(user, limit="5000000.00")
            world["distributors"].append({"email": user.email, "province": province})

        partners = list(Partner.objects.order_by("pk")[:suppliers])
        category = Category.objects.order_by("depth", "pk").first()
        for n in range(len(partners) + 1, suppliers + 1):
            partner = factories.supplier(code=f"lt{n:02d}", name=f"压测供应商{n}有限公司")
            for k in range(1, 9):
                product = factories.product(
                    f"LT{n:02d}-{k:02d}", title=f"压测商品 {n}-{k}", price=f"{10 * k + n}.50", partner=partner
                )
                product.categories.set([category])
            partners.append(partner)
        for partner in partners:
            staff = partner.users.order_by("pk").first()
            if staff is None:
                key = f"lt-supplier-{partner.code}"
                staff = User.objects.create(username=key, email=f"{key}@load.test", password=password)
                staff.user_permissions.add(permission)
                partner.users.add(staff)
            SupplierProfile.objects.update_or_create(
                partner=partner,
                defaults={
                    "legal_name": partner.name,
                    "channel": Channel.WEBHOOK,
                    "webhook_url": webhook,
                    "webhook_secret": f"load-test-{partner.code}",
                },
            )
            token = issue_token(staff, "load test")
            world["suppliers"].append({"code": partner.code, "token": token.secret})

        staff = User.objects.filter(is_staff=True, is_superuser=True).order_by("pk").first()
        staff.password = password
        staff.save(update_fields=["password"])
        world["operators"].append(staff.email)
        for n in range(2, operators + 1):
            key = f"lt-operator-{n}"
            User.objects.create(
                username=key, email=f"{key}@load.test", password=password, is_staff=True, is_superuser=True
            )
            world["operators"].append(f"{key}@load.test")

        # sold-out products would measure the catalogue, not the platform
        StockRecord.objects.filter(partner__in=partners).update(num_in_stock=10_000_000)
        on_sale = hide_unapproved(Product.objects.filter(is_public=True)).values_list("pk", flat=True)
        for record in StockRecord.objects.filter(
            partner__in=partners, price__gt=Decimal("0"), product__in=on_sale
        ).select_related("product"):
            if record.product.is_public:
                world["products"].append({"pk": record.product_id, "url": record.product.get_absolute_url()})
        world["since"] = timezone.now().isoformat()
    return world


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--distributors", type=int, default=50)
    parser.add_argument("--suppliers", type=int, default=10)
    parser.add_argument("--operators", type=int, default=2)
    parser.add_argument("--webhook", required=True, help="the receiver's URL the suppliers' orders go to")
    args = parser.parse_args()
    _setup()
    world = build(
        distributors=args.distributors, suppliers=args.suppliers, operators=args.operators, webhook=args.webhook
    )
    Path(args.out).write_text(json.dumps(world, ensure_ascii=False, indent=1))
    print(
        f">> load test world: {len(world['distributors'])} distributors, {len(world['suppliers'])} suppliers, "
        f"{len(world['operators'])} operators, {len(world['products'])} products"
    )


if __name__ == "__main__":
    main()
