"""The outbox moves to the kernel (core.OutboxMessage / core.OutboxAttempt): every message is
copied with its event id, dedup key, status, attempts, error and times, and every attempt row
with it; then the plugin's tables are dropped.

On the way, what the old rows held is brought to the kernel's rules: a webhook's recipient
becomes the supplier (its URL is read at send time), the supplier order is named generically
(reference = its number, content type + object id), and payload fields get one type
(``order_number`` a string, money a string with two decimals)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import migrations

MAX_ATTEMPTS = 8
MONEY = ("subtotal", "freight", "total")
LINE_MONEY = ("unit_price", "line_total", "unit_cost")


def _money(value):
    if value is None:
        return None
    try:
        return format(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f")
    except InvalidOperation:
        return value


def _payload(payload):
    so = payload.get("supplier_order") if isinstance(payload, dict) else None
    if not isinstance(so, dict):
        return payload
    so = dict(so)
    if so.get("order_number") is not None:
        so["order_number"] = str(so["order_number"])
    if so.get("number") is not None:
        so["number"] = str(so["number"])
    for key in MONEY:
        if key in so:
            so[key] = _money(so[key])
    so["lines"] = [
        {**line, **{k: _money(line[k]) for k in LINE_MONEY if k in line}} for line in so.get("lines") or []
    ]
    return {**payload, "supplier_order": so}


def _auto_now_off(model, name):
    # the historical model would stamp "now" on insert; the copies keep their own times
    model._meta.get_field(name).auto_now_add = False


def forwards(apps, schema_editor):
    Old = apps.get_model("s2b2b_orders", "OutboxMessage")
    OldAttempt = apps.get_model("s2b2b_orders", "OutboxAttempt")
    New = apps.get_model("core", "OutboxMessage")
    NewAttempt = apps.get_model("core", "OutboxAttempt")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not Old.objects.exists():
        return
    _auto_now_off(New, "created_at")
    supplier_order_type, _ = ContentType.objects.get_or_create(app_label="s2b2b_orders", model="supplierorder")
    old_rows = list(Old.objects.select_related("supplier_order").order_by("id"))
    for start in range(0, len(old_rows), 1000):
        chunk = old_rows[start : start + 1000]
        copies = []
        for old in chunk:
            so = old.supplier_order
            webhook_to_partner = old.channel == "webhook" and old.partner_id
            copies.append(
                New(
                    event_id=old.event_id,
                    dedup_key=old.dedup_key,
                    topic=old.topic,
                    channel=old.channel,
                    recipient=str(old.partner_id) if webhook_to_partner else old.recipient,
                    reference=so.number if so else "",
                    content_type=supplier_order_type if so else None,
                    object_id=so.pk if so else None,
                    partner_id=old.partner_id,
                    payload=_payload(old.payload),
                    status=old.status,
                    attempts=old.attempts,
                    attempt_limit=max(MAX_ATTEMPTS, old.attempts + (1 if old.status == "pending" else 0)),
                    next_attempt_at=old.next_attempt_at,
                    last_error=old.last_error,
                    created_at=old.created_at,
                    delivered_at=old.delivered_at,
                )
            )
        New.objects.bulk_create(copies, ignore_conflicts=True)
        new_ids = dict(New.objects.filter(dedup_key__in=[o.dedup_key for o in chunk]).values_list("dedup_key", "id"))
        old_keys = {o.pk: o.dedup_key for o in chunk}
        NewAttempt.objects.bulk_create(
            [
                NewAttempt(
                    message_id=new_ids[old_keys[a.message_id]],
                    attempted_at=a.attempted_at,
                    ok=a.ok,
                    status_code=a.status_code,
                    response_body=a.response_body,
                    error=a.error,
                    duration_ms=a.duration_ms,
                )
                for a in OldAttempt.objects.filter(message_id__in=old_keys).order_by("id")
            ]
        )


def backwards(apps, schema_editor):
    Old = apps.get_model("s2b2b_orders", "OutboxMessage")
    OldAttempt = apps.get_model("s2b2b_orders", "OutboxAttempt")
    New = apps.get_model("core", "OutboxMessage")
    NewAttempt = apps.get_model("core", "OutboxAttempt")
    Profile = apps.get_model("s2b2b_orders", "SupplierProfile")
    ContentType = apps.get_model("contenttypes", "ContentType")
    supplier_order_type = ContentType.objects.filter(app_label="s2b2b_orders", model="supplierorder").first()
    copied = New.objects.filter(content_type=supplier_order_type) if supplier_order_type else New.objects.none()
    _auto_now_off(Old, "created_at")
    _auto_now_off(OldAttempt, "attempted_at")
    urls = dict(Profile.objects.values_list("partner_id", "webhook_url"))
    for new in copied.order_by("id"):
        old = Old.objects.create(
            event_id=new.event_id,
            dedup_key=new.dedup_key,
            topic=new.topic,
            channel=new.channel,
            recipient=urls.get(new.partner_id, "") if new.channel == "webhook" else new.recipient,
            partner_id=new.partner_id,
            supplier_order_id=new.object_id,
            payload=new.payload,
            status="pending" if new.status == "sending" else new.status,
            attempts=new.attempts,
            next_attempt_at=new.next_attempt_at,
            last_error=new.last_error,
            created_at=new.created_at,
            delivered_at=new.delivered_at,
        )
        for a in NewAttempt.objects.filter(message=new).order_by("id"):
            OldAttempt.objects.create(
                message=old,
                attempted_at=a.attempted_at,
                ok=a.ok,
                status_code=a.status_code,
                response_body=a.response_body,
                error=a.error,
                duration_ms=a.duration_ms,
            )
    copied.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0004_outbox"),
        ("s2b2b_orders", "0002_cost_on_stockrecord"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="outboxmessage", name="partner"),
        migrations.RemoveField(model_name="outboxmessage", name="supplier_order"),
        migrations.DeleteModel(name="OutboxAttempt"),
        migrations.DeleteModel(name="OutboxMessage"),
    ]
