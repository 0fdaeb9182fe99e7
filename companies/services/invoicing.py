"""A company's invoicing details (开票信息: invoice title, tax number = USCC, address and phone,
bank and account), kept up to date by its administrator or its 财务 (finance) after registration:
the platform's invoices print them (finance snapshots them on each invoice request)."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from companies import uscc
from companies.models import Company, Role
from companies.selectors import membership_of
from core.access import is_operator

FIELDS = ("invoice_title", "tax_number", "invoice_address_phone", "invoice_bank_account")
TAX_NUMBER = re.compile(r"^[0-9A-Z]{15,20}$")


def may_edit(user, company: Company) -> bool:
    if is_operator(user):
        return True
    membership = membership_of(user)
    return (
        membership is not None
        and membership.company_id == company.pk
        and membership.role
        in (
            Role.ADMIN,
            Role.FINANCE,
        )
    )


def update_invoicing(*, company: Company, details: dict, by) -> Company:
    """Set the four invoicing details (blank ones are allowed: an invoice request names what its
    type needs); a bad tax number is refused and nothing changes."""
    if not may_edit(by, company):
        raise PermissionDenied(_("Only the company's administrator or finance staff may change its invoicing details."))
    values = {name: " ".join(str(details.get(name) or "").split()) for name in FIELDS}
    errors = {}
    if values["tax_number"]:
        values["tax_number"] = uscc.normalise(values["tax_number"])
        if not TAX_NUMBER.match(values["tax_number"]):
            errors["tax_number"] = _("The taxpayer identification number has 15 to 20 digits or capital letters.")
    for name in FIELDS:
        if len(values[name]) > Company._meta.get_field(name).max_length:
            errors[name] = _("Too long.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Company.objects.select_for_update().get(pk=company.pk)
        for name, value in values.items():
            setattr(locked, name, value)
        locked.save(update_fields=[*FIELDS, "updated_at"])
    for name, value in values.items():
        setattr(company, name, value)
    return company
