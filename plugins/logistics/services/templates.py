"""Freight template management: one function per use case, all-or-nothing, validated here."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.regions import get_province, is_province
from plugins.logistics.calculator import FreeRule, Item, Rule, TemplateSpec, quote_basket
from plugins.logistics.models import (
    CHARGE_MODES,
    FreeShippingRule,
    FreightRegionRule,
    FreightTemplate,
    ProductFreightTemplate,
)
from plugins.logistics.services.freight import explain_group

MAX_UNIT = Decimal("9999999")
MAX_PRICE = Decimal("99999999")


@dataclass
class RuleInput:
    provinces: list[str]
    first_unit: object
    first_price: object
    additional_unit: object
    additional_price: object


@dataclass
class FreeRuleInput:
    provinces: list[str] = field(default_factory=list)
    min_amount: object = None
    min_quantity: object = None


@dataclass
class TemplateInput:
    name: str
    mode: str
    first_unit: object
    first_price: object
    additional_unit: object
    additional_price: object
    is_default: bool = False
    excluded_provinces: list[str] = field(default_factory=list)
    region_rules: list[RuleInput] = field(default_factory=list)
    free_rules: list[FreeRuleInput] = field(default_factory=list)


def _decimal(value, places: int) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not d.is_finite():
        return None
    if d.adjusted() >= 15:  # far past any unit or price (1E400): quantize would overflow; the range check refuses it
        return d
    return d.quantize(Decimal(1).scaleb(-places)) if d == d.quantize(Decimal(1).scaleb(-places)) else None


def _check_rule(prefix: str, rule, errors: dict) -> tuple[Decimal, Decimal, Decimal, Decimal] | None:
    values = []
    for name, places, positive in (
        ("first_unit", 3, True),
        ("first_price", 2, False),
        ("additional_unit", 3, True),
        ("additional_price", 2, False),
    ):
        raw = getattr(rule, name)
        d = _decimal(raw, places)
        key = f"{prefix}{name}"
        if d is None:
            errors.setdefault(key, []).append(
                _("Enter a number with at most %(places)d decimal places.") % {"places": places}
            )
        elif positive and d <= 0:
            errors.setdefault(key, []).append(_("Units must be greater than zero."))
        elif not positive and d < 0:
            errors.setdefault(key, []).append(_("Prices cannot be negative."))
        elif d > (MAX_UNIT if positive else MAX_PRICE):
            errors.setdefault(key, []).append(_("This number is too large."))
        values.append(d)
    return tuple(values) if all(v is not None for v in values) else None


def _check_provinces(key: str, names, errors: dict, *, required: bool) -> list[str]:
    names = [str(n).strip() for n in (names or []) if str(n).strip()]
    unknown = [n for n in names if not is_province(n)]
    if unknown:
        errors.setdefault(key, []).append(_("Unknown province: %(names)s.") % {"names": "、".join(unknown)})
    if required and not names:
        errors.setdefault(key, []).append(_("Choose at least one province."))
    if len(set(names)) != len(names):
        errors.setdefault(key, []).append(_("A province is listed twice."))
    return names


def _label(name: str) -> str:
    province = get_province(name)
    return province.label if province else name


def validate_template(data: TemplateInput) -> dict:
    """Clean values, or ValidationError naming each bad field (keys like ``region_rules.2.provinces``)."""
    errors: dict[str, list[str]] = {}
    name = (data.name or "").strip()
    if not name:
        errors["name"] = [_("Enter a name.")]
    elif len(name) > 100:
        errors["name"] = [_("At most 100 characters.")]
    if data.mode not in dict(CHARGE_MODES):
        errors["mode"] = [_("Choose by piece, by weight or by volume.")]
    default = _check_rule("", data, errors)
    excluded = _check_provinces("excluded_provinces", data.excluded_provinces, errors, required=False)
    regions = []
    owner: dict[str, int] = {}
    for i, rule in enumerate(data.region_rules):
        provinces = _check_provinces(f"region_rules.{i}.provinces", rule.provinces, errors, required=True)
        values = _check_rule(f"region_rules.{i}.", rule, errors)
        clash = [p for p in provinces if p in owner]
        if clash:
            errors.setdefault(f"region_rules.{i}.provinces", []).append(
                _("%(provinces)s already in region rule %(n)d: a province may be in one region rule only.")
                % {"provinces": "、".join(_label(p) for p in clash), "n": owner[clash[0]] + 1}
            )
        excluded_too = [p for p in provinces if p in excluded]
        if excluded_too:
            errors.setdefault(f"region_rules.{i}.provinces", []).append(
                _(
                    "%(provinces)s is not delivered to; remove it from the rule or from the list of "
                    "provinces not delivered to."
                )
                % {"provinces": "、".join(_label(p) for p in excluded_too)}
            )
        for p in provinces:
            owner.setdefault(p, i)
        regions.append((provinces, values))
    frees = []
    for i, free in enumerate(data.free_rules):
        provinces = _check_provinces(f"free_rules.{i}.provinces", free.provinces, errors, required=False)
        amount = _decimal(free.min_amount, 2) if free.min_amount not in (None, "") else None
        quantity = None
        if free.min_amount not in (None, "") and (amount is None or amount <= 0):
            errors.setdefault(f"free_rules.{i}.min_amount", []).append(_("Enter an amount greater than zero."))
        if free.min_quantity not in (None, ""):
            try:
                quantity = int(str(free.min_quantity))
            except ValueError:
                quantity = 0
            if quantity <= 0:
                message = _("Enter a whole number greater than zero.")
                errors.setdefault(f"free_rules.{i}.min_quantity", []).append(message)
        if free.min_amount in (None, "") and free.min_quantity in (None, ""):
            errors.setdefault(f"free_rules.{i}", []).append(
                _("Give a minimum amount, a minimum quantity or both for free shipping.")
            )
        frees.append((provinces, amount, quantity))
    if errors:
        raise ValidationError(errors)
    return {"name": name, "default": default, "excluded": excluded, "regions": regions, "frees": frees}


@transaction.atomic
def save_template(*, partner, data: TemplateInput, template: FreightTemplate | None = None) -> FreightTemplate:
    """Create (template=None) or replace the contents of a template of ``partner`` (None: the
    platform). Making it the default takes the default flag from the owner's other template."""
    clean = validate_template(data)
    if template is not None and template.partner_id != (partner.pk if partner else None):
        raise ValidationError({"partner": [_("This template belongs to another supplier.")]})
    first_unit, first_price, additional_unit, additional_price = clean["default"]
    if data.is_default:
        FreightTemplate.objects.filter(partner=partner, is_default=True).exclude(
            pk=template.pk if template else None
        ).update(is_default=False)
    if template is None:
        template = FreightTemplate(partner=partner)
    template.name = clean["name"]
    template.mode = data.mode
    template.is_default = bool(data.is_default)
    template.first_unit, template.first_price = first_unit, first_price
    template.additional_unit, template.additional_price = additional_unit, additional_price
    template.excluded_provinces = clean["excluded"]
    template.save()
    template.region_rules.all().delete()
    template.free_rules.all().delete()
    FreightRegionRule.objects.bulk_create(
        [
            FreightRegionRule(
                template=template,
                provinces=provinces,
                first_unit=v[0],
                first_price=v[1],
                additional_unit=v[2],
                additional_price=v[3],
                position=i,
            )
            for i, (provinces, v) in enumerate(clean["regions"])
        ]
    )
    FreeShippingRule.objects.bulk_create(
        [
            FreeShippingRule(template=template, provinces=p, min_amount=a, min_quantity=q, position=i)
            for i, (p, a, q) in enumerate(clean["frees"])
        ]
    )
    return template


def input_from_template(template: FreightTemplate) -> TemplateInput:
    return TemplateInput(
        name=template.name,
        mode=template.mode,
        first_unit=template.first_unit,
        first_price=template.first_price,
        additional_unit=template.additional_unit,
        additional_price=template.additional_price,
        is_default=template.is_default,
        excluded_provinces=list(template.excluded_provinces),
        region_rules=[
            RuleInput(r.provinces, r.first_unit, r.first_price, r.additional_unit, r.additional_price)
            for r in template.region_rules.all()
        ],
        free_rules=[FreeRuleInput(f.provinces, f.min_amount, f.min_quantity) for f in template.free_rules.all()],
    )


@transaction.atomic
def delete_template(template: FreightTemplate) -> None:
    template.delete()


@transaction.atomic
def set_product_template(*, product, template: FreightTemplate | None) -> None:
    """Name the template a product uses (None: back to its supplier's default)."""
    if template is None:
        ProductFreightTemplate.objects.filter(product=product).delete()
        return
    partner_ids = set(product.stockrecords.values_list("partner_id", flat=True))
    if template.partner_id is not None and template.partner_id not in partner_ids:
        raise ValidationError({"template": [_("Choose a template of this product's supplier or of the platform.")]})
    ProductFreightTemplate.objects.update_or_create(product=product, defaults={"template": template})


def spec_from_input(data: TemplateInput) -> TemplateSpec:
    """An unsaved template as the calculator sees it (for the editor's live preview)."""
    clean = validate_template(data)
    regions = clean["regions"]
    return TemplateSpec(
        id=None,
        name=clean["name"],
        mode=data.mode,
        default=Rule(*clean["default"]),
        region_rules=tuple((frozenset(p), Rule(*v, f"region:{i}")) for i, (p, v) in enumerate(regions)),
        free_rules=tuple(FreeRule(frozenset(p), a, q, f"free:{i}") for i, (p, a, q) in enumerate(clean["frees"])),
        excluded=frozenset(clean["excluded"]),
        region_names=tuple(_province_names(p) for p, _ in regions),
    )


def _province_names(names) -> str:
    return "、".join(_label(n) for n in names)


def preview(spec: TemplateSpec, province: str, items: list[tuple[int, Decimal, Decimal]]) -> dict:
    """Fee and the rule applied for ``items`` = [(quantity, kg or m³ per piece, unit price)]."""
    lines = [
        Item(key=i, partner_id=0, template=spec, quantity=q, line_total=price * q, unit_weight=m, unit_volume=m)
        for i, (q, m, price) in enumerate(items)
    ]
    result = quote_basket(lines, province)
    if result.undeliverable:
        return {
            "deliverable": False,
            "amount": None,
            "rule": "excluded",
            "explanation": _("%(template)s does not deliver to %(province)s.")
            % {"template": spec.name, "province": _label(province)},
        }
    group = result.parts[0].groups[0]
    return {
        "deliverable": True,
        "amount": str(group.quote.amount),
        "rule": group.quote.rule,
        "units": f"{group.quote.units.normalize():f}",
        "explanation": explain_group(group),
    }
