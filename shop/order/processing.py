"""Oscar's order event handler: every status change of an order goes through here.

``change_status`` is the kernel's door (core.orders.services calls it): Oscar's ``set_status``
(pipeline, line cascade, ``order_status_changed``) inside a transaction, so a listener that
refuses (e.g. a supplier part that has already shipped cannot be cancelled) undoes the change.
Operators change an order's status by hand only to cancel it: the rest follows its payment and
its supplier orders.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from oscar.apps.order import exceptions, processing

from core.orders import status


class EventHandler(processing.EventHandler):
    def change_status(self, order, new_status: str, *, note: str = "", reason: str = "") -> None:
        order._status_actor = self.user
        order._status_reason = reason or note
        with transaction.atomic():
            try:
                order.set_status(new_status)
            except exceptions.InvalidOrderStatus as exc:
                raise ValidationError(
                    {
                        "status": ValidationError(
                            _("Order %(number)s is “%(status)s”; it cannot become “%(target)s”.")
                            % {
                                "number": order.number,
                                "status": status.status_label(order.status),
                                "target": status.status_label(new_status),
                            },
                            code="invalid_transition",
                        )
                    }
                ) from exc
            if note:
                self.create_note(order, note)

    def handle_order_status_change(self, order, new_status, note_msg=None):
        """Oscar's dashboard entry point: only cancellation is a manual change; a refusal by any
        listener comes back as InvalidOrderStatus with its message, and nothing is kept."""
        if new_status != status.CANCELLED:
            raise exceptions.InvalidOrderStatus(
                _("An order's status follows its payment and its supplier orders; it can only be cancelled by hand.")
            )
        try:
            self.change_status(order, new_status, note=note_msg or "")
        except ValidationError as exc:
            raise exceptions.InvalidOrderStatus(" ".join(exc.messages)) from exc
