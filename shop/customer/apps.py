import oscar.apps.customer.apps as oscar_apps


class CustomerConfig(oscar_apps.CustomerConfig):
    """Oscar's customer app; its order history and order page read their orders' lines in a
    fixed number of queries (shop/customer/views.py)."""

    name = "shop.customer"
