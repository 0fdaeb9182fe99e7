"""Who may do what in finance.

- operators see every finance screen; approving receipts and refunds, paying suppliers, closing
  periods and issuing invoices is for operators in the ``finance`` group (or superusers);
- a company's 财务 and its admin see the company's receipts, refunds, statements and invoices,
  claim transfers, request invoices and answer statements (``company_for_finance``);
- a supplier's staff see their own supplier's settlements and statements (core.access
  ``supplier_partner_ids``).
"""

from core.access import in_group, is_operator

FINANCE_GROUP = "finance"


def may_manage_finance(user) -> bool:
    """Whether ``user`` may approve, pay, close and issue (an operator of the finance group)."""
    return is_operator(user) and (user.is_superuser or in_group(user, FINANCE_GROUP))


def company_for_finance(user):
    """The company whose finance ``user`` may see and act on (its 财务 or admin), or None."""
    from companies.models import Role
    from companies.selectors import membership_of

    membership = membership_of(user)
    if membership is None or membership.role not in (Role.ADMIN, Role.FINANCE):
        return None
    return membership.company
