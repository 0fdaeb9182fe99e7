"""Kuaidi100 subscriptions move into the kernel's outbox (channel "kuaidi100"): each
TrackingSubscription becomes an outbox message about its parcel (pending → pending, sent →
delivered, failed → dead, with its attempts, last error and times); then the table is dropped."""

from django.db import migrations

MAX_ATTEMPTS = 8
STATUS = {"pending": "pending", "sent": "delivered", "failed": "dead"}


def _auto_now_off(model, name):
    # the historical model would stamp "now" on insert; the copies keep their own times
    model._meta.get_field(name).auto_now_add = False


def forwards(apps, schema_editor):
    Subscription = apps.get_model("logistics", "TrackingSubscription")
    Message = apps.get_model("core", "OutboxMessage")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not Subscription.objects.exists():
        return
    _auto_now_off(Message, "created_at")
    parcel_type, _ = ContentType.objects.get_or_create(app_label="logistics", model="parcel")
    copies = []
    for sub in Subscription.objects.select_related(
        "parcel__carrier", "parcel__shipment__order__shipping_address"
    ).order_by("id"):
        parcel = sub.parcel
        address = parcel.shipment.order.shipping_address
        phone = str(address.phone_number) if address and address.phone_number else ""
        copies.append(
            Message(
                dedup_key=f"kuaidi100:parcel:{parcel.pk}",
                topic="tracking.subscribe",
                channel="kuaidi100",
                recipient="kuaidi100",
                reference=parcel.tracking_number,
                content_type=parcel_type,
                object_id=parcel.pk,
                partner_id=parcel.shipment.partner_id,
                payload={"company": parcel.carrier.kuaidi100_code, "number": parcel.tracking_number, "phone": phone},
                status=STATUS.get(sub.state, "pending"),
                attempts=sub.attempts,
                attempt_limit=max(MAX_ATTEMPTS, sub.attempts + (1 if sub.state == "pending" else 0)),
                next_attempt_at=sub.created_at,
                last_error=sub.last_error,
                created_at=sub.created_at,
                delivered_at=sub.sent_at,
            )
        )
    Message.objects.bulk_create(copies, batch_size=1000, ignore_conflicts=True)


def backwards(apps, schema_editor):
    Subscription = apps.get_model("logistics", "TrackingSubscription")
    Message = apps.get_model("core", "OutboxMessage")
    _auto_now_off(Subscription, "created_at")
    back = {value: key for key, value in STATUS.items()}
    messages = Message.objects.filter(channel="kuaidi100", object_id__isnull=False)
    Subscription.objects.bulk_create(
        [
            Subscription(
                parcel_id=m.object_id,
                state=back.get(m.status, "pending"),
                attempts=m.attempts,
                last_error=m.last_error,
                created_at=m.created_at,
                sent_at=m.delivered_at,
            )
            for m in messages.order_by("id")
        ],
        ignore_conflicts=True,
    )
    messages.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0004_outbox"),
        ("logistics", "0002_carriers"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="TrackingSubscription"),
    ]
