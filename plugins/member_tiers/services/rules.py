"""Price rules: validation shared by the editor and the import, and the all-or-nothing import."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from companies.selectors import find_company
from core.money import fen
from core.tabular import as_text, read_table
from plugins.member_tiers.models import PriceRule, Tier
from plugins.member_tiers.pricing import HUNDRED, cost_of

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

IMPORT_COLUMNS = [
    "tier",
    "company",
    "sku",
    "category",
    "kind",
    "value",
    "min_quantity",
    "valid_from",
    "valid_until",
    "floor_margin",
]


def _windows_overlap(a: PriceRule, b: PriceRule) -> bool:
    a_from, a_until = a.valid_from or date.min, a.valid_until or date.max
    b_from, b_until = b.valid_from or date.min, b.valid_until or date.max
    return a_from <= b_until and b_from <= a_until


def _same_slot(a: PriceRule, b: PriceRule) -> bool:
    return (
        a.tier_id == b.tier_id
        and a.company_id == b.company_id
        and a.product_id == b.product_id
        and a.category_id == b.category_id
        and a.min_quantity == b.min_quantity
    )


def check_rule(rule: PriceRule, pending: list[PriceRule] = ()) -> None:
    """Raise a ValidationError naming each bad field; `pending` are rules about to be saved alongside."""
    errors: dict[str, str] = {}
    if (rule.tier_id is None) == (rule.company_id is None):
        errors["tier"] = _("Choose either a tier or one company.")
    if rule.product_id and rule.category_id:
        errors["category"] = _("Apply the rule to a product or a category, not both.")
    if rule.value is None or rule.value < 0:
        errors["value"] = _("The value cannot be negative.")
    elif rule.kind == PriceRule.PERCENT and not (0 <= rule.value <= 100):
        errors["value"] = _("A percentage must be between 0 and 100.")
    if rule.kind not in (PriceRule.FIXED, PriceRule.PERCENT):
        errors["kind"] = _("Choose a fixed price or a percentage off.")
    if rule.min_quantity is None or rule.min_quantity < 1:
        errors["min_quantity"] = _("The minimum quantity must be at least 1.")
    if rule.valid_from and rule.valid_until and rule.valid_until < rule.valid_from:
        errors["valid_until"] = _("The end of the validity window is before its start.")
    if rule.floor_margin_percent is not None and rule.floor_margin_percent < 0:
        errors["floor_margin_percent"] = _("The floor margin cannot be negative.")
    elif (
        rule.floor_margin_percent is not None
        and rule.kind == PriceRule.FIXED
        and rule.product_id
        and rule.value is not None
        and "value" not in errors
    ):
        record = rule.product.stockrecords.order_by("id").first()
        cost = cost_of(record) if record else None
        if cost is not None:
            floor = fen(cost * (HUNDRED + rule.floor_margin_percent) / HUNDRED)
            if floor > rule.value:
                errors["floor_margin_percent"] = _(
                    "The floor (¥%(floor)s = cost ¥%(cost)s + %(margin)s%%) is above the rule's price ¥%(price)s."
                ) % {"floor": floor, "cost": cost, "margin": rule.floor_margin_percent, "price": rule.value}
    if not errors:
        others = PriceRule.objects.filter(
            tier_id=rule.tier_id,
            company_id=rule.company_id,
            product_id=rule.product_id,
            category_id=rule.category_id,
            min_quantity=rule.min_quantity,
        ).exclude(pk=rule.pk)
        clash = next(
            (o for o in list(others) + [p for p in pending if _same_slot(p, rule)] if _windows_overlap(o, rule)), None
        )
        if clash is not None:
            label = f"#{clash.pk}" if clash.pk else _("another line of this import")
            errors["min_quantity"] = _(
                "A rule for the same scope, target and quantity overlaps this period (%(other)s)."
            ) % {"other": label}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_rule(rule: PriceRule) -> PriceRule:
    check_rule(rule)
    rule.save()
    return rule


@transaction.atomic
def delete_rule(rule: PriceRule) -> None:
    rule.delete()


# --- import ---------------------------------------------------------------------------------


@dataclass
class ImportReport:
    lines: list[tuple[int, dict, list[str]]] = field(default_factory=list)  # (line number, values, errors)
    imported: int = 0

    @property
    def ok(self) -> bool:
        return bool(self.lines) and not any(line[2] for line in self.lines)


def read_rows(filename: str, content: bytes) -> list[tuple[int, dict]]:
    """The file's rows by column with their line numbers (core.tabular: CSV or XLSX)."""
    # "customer" is the company column's name in files made before rules belonged to companies
    return read_table(filename, content, columns=IMPORT_COLUMNS, aliases={"customer": "company"})


def _as_date(value, errors, name):
    if hasattr(value, "date") and callable(value.date):
        return value.date()
    if isinstance(value, date):
        return value
    text = as_text(value)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.append(_("%(col)s: “%(v)s” is not a date (YYYY-MM-DD).") % {"col": name, "v": text})
        return None


def _rule_from_row(values: dict, tiers, errors: list[str]) -> PriceRule:
    rule = PriceRule()
    tier_code, company_key = as_text(values.get("tier")), as_text(values.get("company"))
    if tier_code:
        rule.tier = tiers.get(tier_code)
        if rule.tier is None:
            errors.append(_("tier: no tier with code “%(v)s”.") % {"v": tier_code})
    if company_key:
        rule.company = find_company(company_key)
        if rule.company is None:
            errors.append(
                _("company: no company with the USCC, customer code or person's e-mail “%(v)s”.") % {"v": company_key}
            )
    sku, category = as_text(values.get("sku")), as_text(values.get("category"))
    if sku:
        rule.product = Product.objects.filter(upc__iexact=sku).first()
        if rule.product is None:
            errors.append(_("sku: unknown SKU “%(v)s”.") % {"v": sku})
    if category:
        matches = list(Category.objects.filter(name=category)[:2])
        if len(matches) != 1:
            errors.append(_("category: no single category named “%(v)s”.") % {"v": category})
        else:
            rule.category = matches[0]
    rule.kind = as_text(values.get("kind")).lower()
    for col, attr, required in (("value", "value", True), ("floor_margin", "floor_margin_percent", False)):
        text = as_text(values.get(col))
        if not text:
            if required:
                errors.append(_("%(col)s: required.") % {"col": col})
            continue
        try:
            setattr(rule, attr, fen(Decimal(text)))
        except InvalidOperation:
            errors.append(_("%(col)s: “%(v)s” is not a number.") % {"col": col, "v": text})
    qty = as_text(values.get("min_quantity")) or "1"
    if qty.isdigit():
        rule.min_quantity = int(qty)
    else:
        errors.append(_("min_quantity: “%(v)s” is not a whole number.") % {"v": qty})
    rule.valid_from = _as_date(values.get("valid_from"), errors, "valid_from")
    rule.valid_until = _as_date(values.get("valid_until"), errors, "valid_until")
    return rule


@transaction.atomic
def import_rules(filename: str, content: bytes) -> ImportReport:
    """Validate every line; import all of them only when every line is right."""
    rows = read_rows(filename, content)
    tiers = {t.code: t for t in Tier.objects.all()}
    report = ImportReport()
    pending: list[PriceRule] = []
    for number, values in rows:
        errors: list[str] = []
        rule = _rule_from_row(values, tiers, errors)
        if not errors:
            try:
                check_rule(rule, pending)
            except ValidationError as exc:
                errors.extend(f"{k}: {m}" for k, msgs in exc.message_dict.items() for m in msgs)
        if not errors:
            pending.append(rule)
        report.lines.append((number, {k: as_text(v) for k, v in values.items()}, errors))
    if not report.ok:
        return report
    for rule in pending:
        rule.save()
    report.imported = len(pending)
    return report


def rules_for(*, tier: Tier | None = None, company=None):
    q = Q()
    if tier is not None:
        q |= Q(tier=tier)
    if company is not None:
        q |= Q(company=company)
    return PriceRule.objects.filter(q).select_related("tier", "company", "product", "category").order_by("id")
