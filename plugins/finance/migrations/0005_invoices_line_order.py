"""An invoice line names the order it invoices (its goods line's order, or the order whose freight it
is), so what is invoiced per order is one aggregate (finance_check)."""

import django.db.models.deletion
from django.db import migrations, models


def fire_deferred_checks(apps, schema_editor):
    """Unapplying drops the column's foreign key, an ALTER of the orders table that PostgreSQL
    refuses while foreign-key checks of that table deferred in this transaction are pending (e.g. a
    test migrating back): run those checks now (only the orders table's foreign keys)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("order", "Order")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.conname) FROM pg_constraint c "
            "JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND c.condeferrable "
            "AND (c.conrelid = %s::regclass OR c.confrelid = %s::regclass)",
            [table, table],
        )
        names = [row[0] for row in cursor.fetchall()]
    if names:
        schema_editor.execute(f"SET CONSTRAINTS {', '.join(names)} IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0004_documents"),
        ("order", "0023_order_company"),
    ]

    operations = [
        migrations.AddField(
            model_name="invoiceline",
            name="order",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="order.order",
            ),
        ),
        # unapplied before the field (operations are reversed in reverse order)
        migrations.RunPython(migrations.RunPython.noop, fire_deferred_checks),
    ]
