"""member_tiers 0005, second half: the person-level columns go and the company becomes required.

A migration of its own because PostgreSQL refuses to alter a table whose rows the data migration
changed in the same transaction (pending trigger events)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("member_tiers", "0005_membership_of_company")]

    operations = [
        migrations.RemoveField(model_name="membership", name="user"),
        migrations.RemoveField(model_name="pricerule", name="customer"),
        migrations.AlterField(
            model_name="membership",
            name="company",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="membership",
                to="companies.company",
                verbose_name="company",
            ),
        ),
        migrations.AddConstraint(
            model_name="pricerule",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("company__isnull", True), ("tier__isnull", False)),
                    models.Q(("company__isnull", False), ("tier__isnull", True)),
                    _connector="OR",
                ),
                name="mt_rule_one_scope",
            ),
        ),
    ]
