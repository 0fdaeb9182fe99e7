"""PostgreSQL guard: sales facts are append-only (UPDATE and DELETE refused by a trigger; a
correction is a new adjustment row). Other databases: only services.facts writes them, by INSERT.
TRUNCATE (test flushes, ``bigdata_rebuild --from-scratch``) is not refused."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION bigdata_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'sales facts are append-only: % on % refused (write an adjustment row)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END $$;

CREATE TRIGGER bigdata_salesfact_append_only BEFORE UPDATE OR DELETE ON bigdata_salesfact
    FOR EACH ROW EXECUTE FUNCTION bigdata_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS bigdata_salesfact_append_only ON bigdata_salesfact;
DROP FUNCTION IF EXISTS bigdata_refuse_change();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)  # no parameters: the '%' of RAISE's format stays as written

    return run


class Migration(migrations.Migration):
    dependencies = [("bigdata", "0001_sales_facts_and_monthly_rollup")]

    operations = [migrations.RunPython(_on_postgresql(FORWARD), _on_postgresql(BACKWARD), elidable=False)]
