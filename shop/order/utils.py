from oscar.apps.order.utils import *  # noqa: F403  Oscar's order number generator and helpers
from oscar.apps.order.utils import OrderCreator as OscarOrderCreator

from companies.selectors import company_of


class OrderCreator(OscarOrderCreator):
    """Records the company the person buys for on every order, whichever path places it
    (checkout, purchase approval, demo history)."""

    def create_order_model(self, user, *args, **extra_order_fields):
        if "company" not in extra_order_fields and user is not None and user.is_authenticated:
            extra_order_fields["company"] = company_of(user)
        return super().create_order_model(user, *args, **extra_order_fields)
