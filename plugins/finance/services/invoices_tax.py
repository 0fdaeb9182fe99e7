"""Operators set the tax class (税率, 19-digit 税收分类编码 and its 简称) of a category (its products
inherit it) or of one product (an override). Only rates Chinese VAT knows are accepted."""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from plugins.finance.access import may_manage_finance
from plugins.finance.models import ProductTax, TaxCategory

#: 13 % most goods; 9 % farm produce, books, utilities, transport; 6 % services; 5 %, 3 % and 1 %
#: 征收率 of small-scale sellers; 0 % exports
RATES = tuple(Decimal(r) for r in ("0.13", "0.09", "0.06", "0.05", "0.03", "0.01", "0"))
CODE = re.compile(r"^[0-9]{19}$")


def clean(rate, code: str, short_name: str) -> dict:
    errors: dict[str, str] = {}
    try:
        value = Decimal(str(rate).strip().rstrip("%")) if rate not in (None, "") else None
    except InvalidOperation:
        value = None
    if value is not None and value >= 1:
        value = value / 100  # "13" or "13%" means 13 %
    if value is None or value not in RATES:
        errors["rate"] = _("Choose a VAT rate of 13%, 9%, 6%, 5%, 3%, 1% or 0%.")
    code = (code or "").strip()
    if not CODE.match(code):
        errors["code"] = _("The tax classification code has 19 digits.")
    short_name = (short_name or "").strip().strip("*")
    if not short_name:
        errors["short_name"] = _("Give the classification's short name (printed as *short name* on invoice lines).")
    elif len(short_name) > 32:
        errors["short_name"] = _("The short name has at most 32 characters.")
    if errors:
        raise ValidationError(errors)
    return {"rate": value.quantize(Decimal("0.0001")), "code": code, "short_name": short_name}


def _check(by) -> None:
    if not may_manage_finance(by):
        raise PermissionDenied(_("Only the platform's finance staff may change tax rates."))


def set_category_tax(category, *, rate, code: str, short_name: str, by) -> TaxCategory:
    _check(by)
    values = clean(rate, code, short_name)
    tax, _created = TaxCategory.objects.update_or_create(category=category, defaults=values)
    return tax


def clear_category_tax(category, *, by) -> None:
    _check(by)
    TaxCategory.objects.filter(category=category).delete()


def set_product_tax(product, *, rate, code: str, short_name: str, by) -> ProductTax:
    _check(by)
    values = clean(rate, code, short_name)
    tax, _created = ProductTax.objects.update_or_create(product=product, defaults=values)
    return tax


def clear_product_tax(product, *, by) -> None:
    _check(by)
    ProductTax.objects.filter(product=product).delete()
