import oscar.apps.order.apps as oscar_apps


class OrderConfig(oscar_apps.OrderConfig):
    name = "shop.order"
