"""The supplier's cost moves onto its offer (partner.StockRecord.cost); this table goes.

What a supplier entered in the portal is authoritative: it overwrites any cost the member_tiers
table held for the same offer (that migration fills only offers still without a cost, so the
two run in either order with the same result)."""

from django.db import migrations


def forwards(apps, schema_editor):
    SupplierCost = apps.get_model("s2b2b_orders", "SupplierCost")
    StockRecord = apps.get_model("partner", "StockRecord")
    for stockrecord_id, cost in SupplierCost.objects.values_list("stockrecord_id", "cost").iterator():
        StockRecord.objects.filter(pk=stockrecord_id).update(cost=cost)


def backwards(apps, schema_editor):
    SupplierCost = apps.get_model("s2b2b_orders", "SupplierCost")
    StockRecord = apps.get_model("partner", "StockRecord")
    SupplierCost.objects.bulk_create(
        SupplierCost(stockrecord_id=pk, cost=cost)
        for pk, cost in StockRecord.objects.filter(cost__isnull=False).values_list("pk", "cost")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("s2b2b_orders", "0001_initial"),
        ("partner", "0008_stockrecord_cost"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="SupplierCost"),
    ]
