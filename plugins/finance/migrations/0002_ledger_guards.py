"""PostgreSQL guards of the ledger: entries and postings are append-only (UPDATE and DELETE
refused by a trigger) and every entry balances — at least two postings summing to zero — checked
by constraint triggers DEFERRABLE INITIALLY DEFERRED, so an entry may be written posting by
posting inside a transaction and is judged at COMMIT. Other databases: the service layer
(services.ledger) enforces the same rules. (TRUNCATE, used only by test flushes, is not refused.)
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION finance_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'finance ledger is append-only: % on % refused (post a reversing entry)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END $$;

CREATE TRIGGER finance_journalentry_append_only BEFORE UPDATE OR DELETE ON finance_journalentry
    FOR EACH ROW EXECUTE FUNCTION finance_refuse_change();
CREATE TRIGGER finance_posting_append_only BEFORE UPDATE OR DELETE ON finance_posting
    FOR EACH ROW EXECUTE FUNCTION finance_refuse_change();

CREATE OR REPLACE FUNCTION finance_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    entry bigint;
    n integer;
    total numeric;
BEGIN
    IF TG_TABLE_NAME = 'finance_posting' THEN
        entry := NEW.entry_id;
    ELSE
        entry := NEW.id;
    END IF;
    SELECT count(*), coalesce(sum(amount), 0) INTO n, total FROM finance_posting WHERE entry_id = entry;
    IF n < 2 OR total <> 0 THEN
        RAISE EXCEPTION 'journal entry % does not balance: % postings summing to % fen', entry, n, total
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER finance_entry_balanced AFTER INSERT ON finance_journalentry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION finance_check_balanced();
CREATE CONSTRAINT TRIGGER finance_posting_balanced AFTER INSERT ON finance_posting
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION finance_check_balanced();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS finance_posting_balanced ON finance_posting;
DROP TRIGGER IF EXISTS finance_entry_balanced ON finance_journalentry;
DROP TRIGGER IF EXISTS finance_posting_append_only ON finance_posting;
DROP TRIGGER IF EXISTS finance_journalentry_append_only ON finance_journalentry;
DROP FUNCTION IF EXISTS finance_check_balanced();
DROP FUNCTION IF EXISTS finance_refuse_change();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)  # no parameters: the '%' of RAISE's format stays as written

    return run


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_ledger")]

    operations = [migrations.RunPython(_on_postgresql(FORWARD), _on_postgresql(BACKWARD), elidable=False)]
