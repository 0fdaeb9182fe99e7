"""A company's shared address book (共享收货地址), kept by its admins (the caller checks the role
with ``selectors.own_addresses``). Every field a person types is checked here and every problem
raised at once, by field; nothing is saved then. One address may be the company's default.

At checkout a member ships to one of them through ``shipping_fields``: the address is copied into
Oscar's session as an entered address, so the order's shipping address is an ordinary Oscar one
(its province drives freight and the supplier split) and a later change of the book rewrites no
order.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from phonenumber_field.phonenumber import PhoneNumber

from companies.models import Company, CompanyAddress
from companies.services.registration import MOBILE, normalise_mobile
from core.regions import POSTCODE, place_errors

FIELDS = ("label", "consignee", "mobile", "province", "city", "district", "line", "postcode", "is_default")
REQUIRED = ("label", "consignee", "mobile", "province", "city", "line")
MAX_LENGTHS = {f.name: f.max_length for f in CompanyAddress._meta.concrete_fields if getattr(f, "max_length", None)}


def clean(details: dict) -> dict:
    errors: dict[str, list[ValidationError]] = {}
    data = {}
    for name in FIELDS:
        value = details.get(name)
        data[name] = value.strip() if isinstance(value, str) else value
    data["is_default"] = bool(data.get("is_default"))
    for name in FIELDS[:-1]:
        data[name] = data.get(name) or ""
    for name in REQUIRED:
        if not data[name]:
            errors.setdefault(name, []).append(ValidationError(_("Fill in this field."), code="required"))
    for name, limit in MAX_LENGTHS.items():
        if name in data and isinstance(data[name], str) and len(data[name]) > limit and name != "postcode":
            errors.setdefault(name, []).append(
                ValidationError(_("At most %(n)d characters.") % {"n": limit}, code="max_length")
            )
    if data["mobile"]:
        data["mobile"] = normalise_mobile(data["mobile"])
        if not MOBILE.match(data["mobile"]):
            errors.setdefault("mobile", []).append(
                ValidationError(_("Enter a mainland mobile number of 11 digits."), code="invalid")
            )
    if data["province"]:  # the city one of the province's, the district one of the city's
        for level, message in place_errors(data["province"], data["city"], data["district"]).items():
            if level not in errors:  # an empty city is already "Fill in this field."
                errors[level] = [ValidationError(message, code="invalid")]
    if data["postcode"] and not POSTCODE.match(data["postcode"]):
        errors.setdefault("postcode", []).append(ValidationError(_("A postcode has 6 digits."), code="invalid"))
    if errors:
        raise ValidationError(errors)
    return data


def _make_default(address: CompanyAddress) -> None:
    CompanyAddress.objects.filter(company_id=address.company_id, is_default=True).exclude(pk=address.pk).update(
        is_default=False
    )


def create(*, company: Company, details: dict, by) -> CompanyAddress:
    data = clean(details)
    with transaction.atomic():
        Company.objects.select_for_update().get(pk=company.pk)  # one default at a time
        address = CompanyAddress(company=company, created_by=by, **{**data, "is_default": False})
        address.save()
        if data["is_default"]:
            _make_default(address)
            address.is_default = True
            address.save(update_fields=["is_default", "updated_at"])
    return address


def update(*, address: CompanyAddress, details: dict, by) -> CompanyAddress:
    data = clean(details)
    with transaction.atomic():
        Company.objects.select_for_update().get(pk=address.company_id)
        address = CompanyAddress.objects.select_for_update().get(pk=address.pk)
        if data["is_default"]:
            _make_default(address)
        for name, value in data.items():
            setattr(address, name, value)
        address.save()
    return address


def delete(*, address: CompanyAddress, by) -> None:
    address.delete()


def shipping_fields(address: CompanyAddress) -> dict:
    """The fields of an Oscar shipping address (as ``checkout_session.ship_to_new_address`` takes
    them) for a shared address: consignee, the company's name as Oscar's "company" line, the
    mobile number, province, city, district, street and postcode, in mainland China."""
    return {
        "title": "",
        "first_name": "",
        "last_name": address.consignee,
        "line1": address.line,
        "line2": address.company.legal_name,
        "line3": address.district,
        "line4": address.city,
        "state": address.province,
        "postcode": address.postcode,
        "country_id": "CN",
        "phone_number": PhoneNumber.from_string(address.mobile, region="CN"),
        "notes": "",
    }
