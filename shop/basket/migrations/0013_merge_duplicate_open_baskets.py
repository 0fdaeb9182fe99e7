"""Before one open basket per buyer becomes a constraint: a buyer's several open baskets (parallel
first requests used to create them) are merged into their oldest, as Oscar merges baskets — a line
of the same product and options adds its quantity to the one there, other lines move, vouchers
follow, the emptied baskets are marked merged."""

from django.db import migrations
from django.db.models import Count
from django.utils import timezone


def merge_duplicate_open_baskets(apps, schema_editor):
    Basket = apps.get_model("basket", "Basket")
    Line = apps.get_model("basket", "Line")
    owners = (
        Basket.objects.filter(status="Open", owner__isnull=False)
        .values("owner_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("owner_id", flat=True)
    )
    now = timezone.now()
    for owner_id in owners:
        keep, *others = Basket.objects.filter(owner_id=owner_id, status="Open").order_by("pk")
        for other in others:
            for line in Line.objects.filter(basket=other).order_by("pk"):
                existing = Line.objects.filter(basket=keep, line_reference=line.line_reference).first()
                if existing is None:
                    line.basket = keep
                    line.save(update_fields=["basket"])
                else:
                    existing.quantity += line.quantity
                    existing.save(update_fields=["quantity"])
                    line.delete()
            for voucher in other.vouchers.all():
                keep.vouchers.add(voucher)
            other.vouchers.clear()
            other.status = "Merged"
            other.date_merged = now
            other.save(update_fields=["status", "date_merged"])


class Migration(migrations.Migration):
    dependencies = [("basket", "0012_line_code")]

    operations = [migrations.RunPython(merge_duplicate_open_baskets, migrations.RunPython.noop)]
