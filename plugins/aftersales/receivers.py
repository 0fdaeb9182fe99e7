"""Listeners of the after-sales plugin (connected by apps.AfterSalesConfig.ready)."""


def refund_moved(sender, *, machine, instance, to_state, actor=None, reason="", **kwargs):
    """Finance's refund of an after-sales request was paid out or rejected (core.statemachine's
    ``state_changed``, inside finance's transaction: the request moves with it)."""
    if machine.name != "refund" or to_state not in ("refunded", "rejected"):
        return
    from plugins.aftersales.services.requests import follow_refund

    follow_refund(instance.number, to_state, reason=reason, by=actor)
