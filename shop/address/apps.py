import oscar.apps.address.apps as oscar_apps


class AddressConfig(oscar_apps.AddressConfig):
    name = "shop.address"
