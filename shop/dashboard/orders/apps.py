import oscar.apps.dashboard.orders.apps as oscar_apps


class OrdersDashboardConfig(oscar_apps.OrdersDashboardConfig):
    name = "shop.dashboard.orders"
