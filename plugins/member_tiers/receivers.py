"""Listeners: which rule priced each line when an order is placed; the kernel's payment events
move points and credit (inside the event's transaction)."""

from django.utils.translation import gettext as _

from plugins.member_tiers.services import members, orders


def order_placed(sender, order, **kwargs):
    orders.record_line_prices(order)


def order_paid(sender, order, **kwargs):
    orders.on_paid(order)


def order_cancelled(sender, order, actor=None, **kwargs):
    orders.on_cancelled(order, actor=actor)


def company_imported(sender, company, row, batch, by=None, **kwargs):
    """An approved customer import created ``company``: its membership with the line's value grade
    and salesperson (a SalespersonChange row names the batch), in the approval's transaction."""
    membership = members.membership_of_company(company)
    if row.get("grade"):
        members.set_grade(membership, row["grade"], by=by)
    if row.get("salesperson") is not None:
        members.assign_salesperson(
            [membership], row["salesperson"], reason=_("Imported in batch #%(batch)s") % {"batch": batch.pk}, by=by
        )
