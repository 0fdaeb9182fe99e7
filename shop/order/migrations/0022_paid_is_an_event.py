"""Paid is a payment event, not a status (core.orders): the status "Paid" becomes "Confirmed"
(payment secured, forwarded), and the payment events are recorded for existing orders.

- orders past "Pending payment" (not cancelled), and orders bought on account: ``secured``;
- orders that were marked "Paid" at some point: ``paid``;
- on-account orders still "Pending payment" become "Confirmed" (their credit secured them).
"""

from django.db import migrations

NAMES = {"secured": "Payment secured", "paid": "Payment received", "released": "Reservation released"}


def forwards(apps, schema_editor):
    Order = apps.get_model("order", "Order")
    Line = apps.get_model("order", "Line")
    OrderStatusChange = apps.get_model("order", "OrderStatusChange")
    PaymentEventType = apps.get_model("order", "PaymentEventType")
    PaymentEvent = apps.get_model("order", "PaymentEvent")
    Source = apps.get_model("payment", "Source")

    types = {}
    for code, name in NAMES.items():
        types[code], _created = PaymentEventType.objects.get_or_create(code=code, defaults={"name": name})

    was_paid = set(Order.objects.filter(status="Paid").values_list("pk", flat=True))
    was_paid |= set(OrderStatusChange.objects.filter(new_status="Paid").values_list("order_id", flat=True))
    on_account = set(Source.objects.filter(source_type__code="on-account").values_list("order_id", flat=True))

    Order.objects.filter(status="Paid").update(status="Confirmed")
    Line.objects.filter(status="Paid").update(status="Confirmed")
    OrderStatusChange.objects.filter(old_status="Paid").update(old_status="Confirmed")
    OrderStatusChange.objects.filter(new_status="Paid").update(new_status="Confirmed")
    for order in Order.objects.filter(pk__in=on_account, status="Pending payment"):
        order.status = "Confirmed"
        order.save(update_fields=["status"])
        Line.objects.filter(order=order, status="Pending payment").update(status="Confirmed")
        OrderStatusChange.objects.create(order=order, old_status="Pending payment", new_status="Confirmed")

    secured = set(Order.objects.exclude(status__in=["Pending payment", "Cancelled"]).values_list("pk", flat=True))
    secured |= on_account - set(Order.objects.filter(status="Cancelled").values_list("pk", flat=True))
    events = []
    for order in Order.objects.filter(pk__in=secured | was_paid).only("pk", "total_incl_tax", "number"):
        if order.pk in secured or order.pk in was_paid:
            events.append(PaymentEvent(order=order, event_type=types["secured"], amount=order.total_incl_tax, reference=order.number))
        if order.pk in was_paid:
            events.append(PaymentEvent(order=order, event_type=types["paid"], amount=order.total_incl_tax, reference=order.number))
    PaymentEvent.objects.bulk_create(events)


def backwards(apps, schema_editor):
    Order = apps.get_model("order", "Order")
    Line = apps.get_model("order", "Line")
    OrderStatusChange = apps.get_model("order", "OrderStatusChange")
    PaymentEvent = apps.get_model("order", "PaymentEvent")
    PaymentEvent.objects.filter(event_type__code__in=list(NAMES)).delete()
    Order.objects.filter(status="Confirmed").update(status="Paid")
    Line.objects.filter(status="Confirmed").update(status="Paid")
    OrderStatusChange.objects.filter(old_status="Confirmed").update(old_status="Paid")
    OrderStatusChange.objects.filter(new_status="Confirmed").update(new_status="Paid")


class Migration(migrations.Migration):
    dependencies = [
        ("order", "0021_billingaddress_code_shippingaddress_code"),
        ("payment", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
