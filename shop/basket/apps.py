import oscar.apps.basket.apps as oscar_apps


class BasketConfig(oscar_apps.BasketConfig):
    name = "shop.basket"
