from plugins.member_tiers.services import orders


def order_placed(sender, order, **kwargs):
    orders.record_line_prices(order)


def order_status_changed(sender, order, old_status, new_status, **kwargs):
    orders.on_status_changed(order, old_status, new_status)
