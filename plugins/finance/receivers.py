"""Listeners: the kernel's order events and member_tiers' credit movements post to the ledger,
inside the transaction that causes them (a posting that fails refuses the event)."""

from plugins.finance.services import postings


def credit_moved(
    sender, *, kind, amount, company_id, order_number, movement_id, reason="", by=None, at=None, source="", **kw
):
    postings.credit_movement(
        source=source,
        kind=kind,
        amount=amount,
        company_id=company_id,
        order_number=order_number,
        movement_id=movement_id,
        reason=reason,
        by=by,
        at=at,
    )


def payment_secured(sender, *, order, amount, actor=None, **kwargs):
    postings.payment_secured(order, amount=amount, by=actor)


def order_paid(sender, *, order, amount, reference="", actor=None, **kwargs):
    postings.order_paid(order, amount=amount, reference=reference, by=actor)


def order_cancelled(sender, *, order, reason="", actor=None, **kwargs):
    postings.order_cancelled(order, reason=reason, by=actor)
