"""Price-rule floors read the supplier's cost from its offer (partner.StockRecord.cost); this
table goes. It fills only offers still without a cost: a cost the supplier entered in the
portal (s2b2b_orders' migration) wins, whichever runs first."""

from django.db import migrations


def forwards(apps, schema_editor):
    SupplyCost = apps.get_model("member_tiers", "SupplyCost")
    StockRecord = apps.get_model("partner", "StockRecord")
    for stockrecord_id, cost in SupplyCost.objects.values_list("stockrecord_id", "cost").iterator():
        StockRecord.objects.filter(pk=stockrecord_id, cost__isnull=True).update(cost=cost)


def backwards(apps, schema_editor):
    SupplyCost = apps.get_model("member_tiers", "SupplyCost")
    StockRecord = apps.get_model("partner", "StockRecord")
    SupplyCost.objects.bulk_create(
        SupplyCost(stockrecord_id=pk, cost=cost)
        for pk, cost in StockRecord.objects.filter(cost__isnull=False).values_list("pk", "cost")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("member_tiers", "0001_initial"),
        ("partner", "0008_stockrecord_cost"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="SupplyCost"),
    ]
