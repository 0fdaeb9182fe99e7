"""Order notifications sent to the distributor who placed the order."""

import logging

from django.db import transaction
from django.urls import reverse
from oscar.core.loading import get_class, get_model

Order = get_model("order", "Order")
CommunicationEventType = get_model("communication", "CommunicationEventType")
OrderDispatcher = get_class("order.utils", "OrderDispatcher")

logger = logging.getLogger(__name__)


def notify_order_placed(order_id: int) -> bool:
    """Send the 'order placed' e-mail once; a retried task finds it already sent and does nothing."""
    with transaction.atomic():
        order = Order.objects.select_for_update(of=("self",)).select_related("user").filter(pk=order_id).first()
        if order is None or order.user is None:
            return False
        code = OrderDispatcher.ORDER_PLACED_EVENT_CODE
        already = order.communication_events.filter(event_type__code=code).exists()
        if already:
            return False
        context = {
            "user": order.user,
            "order": order,
            "lines": order.lines.all(),
            "status_path": reverse("customer:order", kwargs={"order_number": order.number}),
        }
        OrderDispatcher(logger=logger).send_order_placed_email_for_user(order, context)
        return True
