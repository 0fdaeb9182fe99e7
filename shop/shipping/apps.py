import oscar.apps.shipping.apps as oscar_apps


class ShippingConfig(oscar_apps.ShippingConfig):
    name = "shop.shipping"
