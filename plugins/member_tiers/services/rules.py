"""Price rules: validation shared by the editor, GraphQL and the import, and the import itself.

Every rule is checked by ``check_rule``: its own fields, no overlap with a rule of the same
scope, target and quantity, and the price floor (services.floors): a rule on one product may not
price it below the supplier's cost plus the rule's margin (or the platform's default margin when
it names none), and no rule may price anything at ¥0.00, unless it carries a floor override with a
reason (stamped and audited). Rules on a category or on everything are held at each product's
floor when prices are computed (pricing.rule_price), so buyers never see a price below it.

The import (客户价格规则导入) of a CSV/XLSX file: ``submit_import`` reads the file (a bad file,
missing columns or more lines than ``MEMBER_RULE_IMPORT_MAX_ROWS`` are refused at once), keeps
its lines as a ``RuleImport`` and queues ``tasks.import_price_rules``; the task (``run_import``)
checks every line and saves them all in one transaction, or none: a failed import lists each bad
line with its number and reasons. A bad cell (not a number, NaN, Infinity, out of the column's
range, a NUL character, a 31-digit quantity) is an error of its line, never a server error.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import partial

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from companies.selectors import find_company
from core.digits import whole_number
from core.money import fen
from core.tabular import as_text, read_table
from plugins.member_tiers import conf, rule_index
from plugins.member_tiers.models import PriceRule, RuleImport, Tier
from plugins.member_tiers.pricing import HUNDRED, cost_of
from plugins.member_tiers.services import floors

logger = logging.getLogger(__name__)

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
#: columns a file may add: a floor override's reason (the importing operator is stamped as its giver)
OPTIONAL_COLUMNS = ["floor_override_reason"]
MAX_BYTES = 5 * 1024 * 1024
#: the largest whole number a minimum quantity may be (PositiveIntegerField)
MAX_QUANTITY = 2_147_483_647
#: a value and a floor margin stay below these (their columns' digits before the point)
MAX_VALUE, MAX_MARGIN = Decimal(10) ** 10, Decimal(10) ** 4


def _slot(rule: PriceRule) -> tuple:
    return (rule.tier_id, rule.company_id, rule.product_id, rule.category_id, rule.min_quantity)


def _windows_overlap(a: PriceRule, b: PriceRule) -> bool:
    a_from, a_until = a.valid_from or date.min, a.valid_until or date.max
    b_from, b_until = b.valid_from or date.min, b.valid_until or date.max
    return a_from <= b_until and b_from <= a_until


@dataclass
class Checks:
    """What checking many rules at once reads once: the default floor margin, the products'
    offers (list price, cost) and, for an import, the existing rules of the scopes it touches and
    its own pending lines by slot (instead of one query per line)."""

    default_margin: Decimal | None = None
    offers: dict = field(default_factory=dict)  # product id -> (list price, cost)
    existing: dict | None = None  # slot -> [PriceRule]; None: ask the database per rule
    pending: dict = field(default_factory=dict)  # slot -> [PriceRule] about to be saved

    def margin(self) -> Decimal:
        if self.default_margin is None:
            self.default_margin = floors.default_floor_margin()
        return self.default_margin

    def offer(self, product) -> tuple:
        if product.pk not in self.offers:
            record = product.stockrecords.order_by("id").first()
            self.offers[product.pk] = (record.price, cost_of(record)) if record else (None, None)
        return self.offers[product.pk]

    def clashes(self, rule: PriceRule) -> list[PriceRule]:
        slot = _slot(rule)
        if self.existing is not None:
            others = [o for o in self.existing.get(slot, ()) if o.pk != rule.pk]
        else:
            others = list(
                PriceRule.objects.filter(
                    tier_id=rule.tier_id,
                    company_id=rule.company_id,
                    product_id=rule.product_id,
                    category_id=rule.category_id,
                    min_quantity=rule.min_quantity,
                ).exclude(pk=rule.pk)
            )
        return others + list(self.pending.get(slot, ()))


def _floor_errors(rule: PriceRule, checks: Checks, errors: dict[str, str]) -> None:
    """The floor's part of check_rule (see the module docstring); nothing when overridden."""
    if (rule.floor_override_reason or "").strip():
        return
    fixed = rule.kind == PriceRule.FIXED
    if (fixed and rule.value == 0) or (not fixed and rule.value == HUNDRED):
        errors["value"] = _(
            "This rule prices the goods at ¥0.00. Raise the price, or override the floor and give a reason."
        )
        return
    if not rule.product_id:
        return  # a category or everything: each product is held at its floor when priced
    list_price, cost = checks.offer(rule.product)
    if cost is None:
        return
    if fixed:
        price = rule.value
    elif list_price is None:
        return
    else:
        price = fen(list_price * (HUNDRED - rule.value) / HUNDRED)
    own = rule.floor_margin_percent is not None
    margin = rule.floor_margin_percent if own else checks.margin()
    floor = fen(cost * (HUNDRED + margin) / HUNDRED)
    if price >= floor:
        return
    if own:
        errors["floor_margin_percent"] = _(
            "The floor (¥%(floor)s = cost ¥%(cost)s + %(margin)s%%) is above the rule's price ¥%(price)s."
        ) % {"floor": floor, "cost": cost, "margin": margin, "price": price}
    else:
        errors["value"] = _(
            "The price ¥%(price)s is below the price floor ¥%(floor)s (cost ¥%(cost)s + the platform's default "
            "margin %(margin)s%%). Raise the price, or override the floor and give a reason."
        ) % {"price": price, "floor": floor, "cost": cost, "margin": margin}


def check_rule(rule: PriceRule, pending: list[PriceRule] = (), *, checks: Checks | None = None) -> None:
    """Raise a ValidationError naming each bad field; `pending` are rules about to be saved alongside."""
    checks = checks or Checks()
    for other in pending:
        checks.pending.setdefault(_slot(other), []).append(other)
    errors: dict[str, str] = {}
    if (rule.tier_id is None) == (rule.company_id is None):
        errors["tier"] = _("Choose either a tier or one company.")
    if rule.product_id and rule.category_id:
        errors["category"] = _("Apply the rule to a product or a category, not both.")
    if rule.value is not None and (not rule.value.is_finite() or abs(rule.value) >= MAX_VALUE):
        errors["value"] = _("Enter a number below %(max)s.") % {"max": MAX_VALUE}
    elif rule.value is None or rule.value < 0:
        errors["value"] = _("The value cannot be negative.")
    elif rule.kind == PriceRule.PERCENT and not (0 <= rule.value <= 100):
        errors["value"] = _("A percentage must be between 0 and 100.")
    if rule.kind not in (PriceRule.FIXED, PriceRule.PERCENT):
        errors["kind"] = _("Choose a fixed price or a percentage off.")
    if rule.min_quantity is None or rule.min_quantity < 1:
        errors["min_quantity"] = _("The minimum quantity must be at least 1.")
    elif rule.min_quantity > MAX_QUANTITY:
        errors["min_quantity"] = _("The minimum quantity must be at most %(max)s.") % {"max": MAX_QUANTITY}
    if rule.valid_from and rule.valid_until and rule.valid_until < rule.valid_from:
        errors["valid_until"] = _("The end of the validity window is before its start.")
    margin = rule.floor_margin_percent
    if margin is not None and (not margin.is_finite() or margin >= MAX_MARGIN):
        errors["floor_margin_percent"] = _("Enter a number below %(max)s.") % {"max": MAX_MARGIN}
    elif margin is not None and margin < 0:
        errors["floor_margin_percent"] = _("The floor margin cannot be negative.")
    if len(rule.floor_override_reason or "") > 255:
        errors["floor_override_reason"] = _("At most 255 characters.")
    elif "\x00" in (rule.floor_override_reason or ""):  # GraphQL passes text unchecked; PostgreSQL refuses NUL
        errors["floor_override_reason"] = str(ProhibitNullCharactersValidator.message)
    if not errors:
        _floor_errors(rule, checks, errors)
    if not errors:
        clash = next((o for o in checks.clashes(rule) if _windows_overlap(o, rule)), None)
        if clash is not None:
            label = f"#{clash.pk}" if clash.pk else _("another line of this import")
            errors["min_quantity"] = _(
                "A rule for the same scope, target and quantity overlaps this period (%(other)s)."
            ) % {"other": label}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_rule(rule: PriceRule, *, by=None) -> PriceRule:
    """Check and save one rule; a floor override given or withdrawn is stamped and audited."""
    previous = ""
    if rule.pk:
        previous = PriceRule.objects.filter(pk=rule.pk).values_list("floor_override_reason", flat=True).first() or ""
    audit = floors.stamp_override(rule, by=by, previous_reason=previous)
    check_rule(rule)
    rule.save()
    floors.record_overrides([(rule, audit)])
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

    @property
    def bad_lines(self) -> list[tuple[int, dict, list[str]]]:
        return [line for line in self.lines if line[2]]


def read_rows(filename: str, content: bytes) -> list[tuple[int, dict]]:
    """The file's rows by column with their line numbers (core.tabular: CSV or XLSX)."""
    # "customer" is the company column's name in files made before rules belonged to companies
    return read_table(filename, content, columns=IMPORT_COLUMNS, aliases={"customer": "company"})


def snapshot(rows: list[tuple[int, dict]]) -> list[dict]:
    """The lines as text, safe to keep (no NUL: PostgreSQL refuses it, the line is marked bad)."""
    out = []
    for number, values in rows:
        cells, errors = {}, []
        for column in IMPORT_COLUMNS + OPTIONAL_COLUMNS:
            text = as_text(values.get(column, ""))
            if "\x00" in text:
                errors.append(_("%(col)s: contains a NUL character.") % {"col": column})
                text = text.replace("\x00", "\ufffd")
            cells[column] = text
        out.append({"line": number, "values": cells, "errors": errors})
    return out


def _date(text: str, errors: list[str], name: str) -> date | None:
    if not text:
        return None
    # a date cell of an XLSX comes as "2026-01-01 00:00:00"
    candidate = text[:10] if len(text) == 19 and text.endswith("00:00:00") else text
    try:
        return date.fromisoformat(candidate)
    except ValueError:
        errors.append(_("%(col)s: “%(v)s” is not a date (YYYY-MM-DD).") % {"col": name, "v": text[:40]})
        return None


def _decimal(text: str, errors: list[str], name: str, *, digits: int) -> Decimal | None:
    """A finite number with at most ``digits`` digits before the point, rounded to the fen."""
    try:
        value = Decimal(text.replace(",", "").replace("，", ""))
    except (InvalidOperation, ValueError):
        errors.append(_("%(col)s: “%(v)s” is not a number.") % {"col": name, "v": text[:40]})
        return None
    if not value.is_finite() or abs(value) >= Decimal(10) ** digits:
        errors.append(
            _("%(col)s: “%(v)s” is not a number below %(max)s.") % {"col": name, "v": text[:40], "max": 10**digits}
        )
        return None
    return fen(value)


class _Lookups:
    """The tiers, products, categories and companies a file names, each read once."""

    def __init__(self, lines: list[dict]):
        self.tiers = {t.code: t for t in Tier.objects.all()}
        skus = {line["values"]["sku"].upper() for line in lines if line["values"]["sku"] and not line["errors"]}
        self.products: dict[str, object] = {}
        for sku_chunk in _chunks(sorted(skus), 1000):
            for product in Product.objects.annotate(sku_upper=Upper("upc")).filter(sku_upper__in=sku_chunk):
                self.products.setdefault(product.sku_upper, product)
        self.categories: dict[str, list] = {}
        self.companies: dict[str, object] = {}

    def category(self, name: str) -> list:
        if name not in self.categories:
            self.categories[name] = list(Category.objects.filter(name=name)[:2])
        return self.categories[name]

    def company(self, key: str):
        if key not in self.companies:
            self.companies[key] = find_company(key)
        return self.companies[key]


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _rule_from_line(values: dict, lookups: _Lookups, errors: list[str]) -> PriceRule:
    rule = PriceRule()
    tier_code, company_key = values["tier"], values["company"]
    if tier_code:
        rule.tier = lookups.tiers.get(tier_code)
        if rule.tier is None:
            errors.append(_("tier: no tier with code “%(v)s”.") % {"v": tier_code[:40]})
    if company_key:
        rule.company = lookups.company(company_key)
        if rule.company is None:
            errors.append(
                _("company: no company with the USCC, customer code or person's e-mail “%(v)s”.")
                % {"v": company_key[:80]}
            )
    sku, category = values["sku"], values["category"]
    if sku:
        rule.product = lookups.products.get(sku.upper())
        if rule.product is None:
            errors.append(_("sku: unknown SKU “%(v)s”.") % {"v": sku[:40]})
    if category:
        matches = lookups.category(category)
        if len(matches) != 1:
            errors.append(_("category: no single category named “%(v)s”.") % {"v": category[:40]})
        else:
            rule.category = matches[0]
    rule.kind = values["kind"].lower()
    if values["value"]:
        rule.value = _decimal(values["value"], errors, "value", digits=10)  # max_digits 12, 2 decimals
    else:
        errors.append(_("%(col)s: required.") % {"col": "value"})
    if values["floor_margin"]:
        rule.floor_margin_percent = _decimal(values["floor_margin"], errors, "floor_margin", digits=4)
    qty_text = values["min_quantity"] or "1"
    qty = whole_number(qty_text)
    if qty is None or qty > MAX_QUANTITY:
        errors.append(
            _("min_quantity: “%(v)s” is not a whole number from 1 to %(max)s.")
            % {"v": qty_text[:40], "max": MAX_QUANTITY}
        )
    else:
        rule.min_quantity = qty
    rule.valid_from = _date(values["valid_from"], errors, "valid_from")
    rule.valid_until = _date(values["valid_until"], errors, "valid_until")
    reason = values.get("floor_override_reason", "")
    if len(reason) > 255:
        errors.append(_("floor_override_reason: at most 255 characters."))
    else:
        rule.floor_override_reason = reason
    return rule


def _existing_rules(rules: list[PriceRule]) -> dict:
    """The saved rules of the tiers and companies these rules belong to, by slot (one query)."""
    tiers = {r.tier_id for r in rules if r.tier_id}
    companies = {r.company_id for r in rules if r.company_id}
    out: dict[tuple, list[PriceRule]] = {}
    if tiers or companies:
        for rule in PriceRule.objects.filter(Q(tier_id__in=tiers) | Q(company_id__in=companies)):
            out.setdefault(_slot(rule), []).append(rule)
    return out


def _prime_offers(checks: Checks, rules: list[PriceRule]) -> None:
    """Each targeted product's first offer (list price, cost), in one query per 1,000 products."""
    StockRecord = get_model("partner", "StockRecord")
    ids = sorted({r.product_id for r in rules if r.product_id})
    for chunk in _chunks(ids, 1000):
        for record in StockRecord.objects.filter(product_id__in=chunk).order_by("-id"):
            checks.offers[record.product_id] = (record.price, cost_of(record))  # the lowest id wins
        for product_id in chunk:
            checks.offers.setdefault(product_id, (None, None))


@transaction.atomic
def import_lines(lines: list[dict], *, by=None, progress: Callable[[int], None] | None = None) -> ImportReport:
    """Check every line; save all of them (in this one transaction) only when every line is right."""
    lookups = _Lookups(lines)
    report = ImportReport()
    parsed: list[tuple[int, dict, list[str], PriceRule]] = []
    for line in lines:
        errors = list(line["errors"])
        rule = _rule_from_line(line["values"], lookups, errors) if not errors else None
        parsed.append((line["line"], line["values"], errors, rule))
    candidates = [rule for _n, _v, errors, rule in parsed if rule is not None and not errors]
    checks = Checks(existing=_existing_rules(candidates))
    _prime_offers(checks, candidates)
    every = conf.rule_import_progress_every()
    now = timezone.now()
    good: list[tuple[PriceRule, object]] = []
    for index, (number, values, errors, rule) in enumerate(parsed, start=1):
        if not errors:
            audit = floors.stamp_override(rule, by=by, now=now)
            try:
                check_rule(rule, checks=checks)
            except ValidationError as exc:
                errors.extend(f"{k}: {m}" for k, msgs in exc.message_dict.items() for m in msgs)
            else:
                checks.pending.setdefault(_slot(rule), []).append(rule)
                good.append((rule, audit))
        report.lines.append((number, values, errors))
        if progress is not None and index % every == 0:
            progress(index)
    if not report.ok:
        return report
    with rule_index.batched_rule_writes():
        PriceRule.objects.bulk_create([rule for rule, _audit in good], batch_size=500)
    floors.record_overrides(good)
    report.imported = len(good)
    return report


def import_rules(filename: str, content: bytes, *, by=None) -> ImportReport:
    """Import a file at once, in the caller's process (small files, scripts); the back office
    queues ``submit_import`` instead."""
    return import_lines(snapshot(_read_capped(filename, content)), by=by)


def _read_capped(filename: str, content: bytes) -> list[tuple[int, dict]]:
    if len(content) > MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)}})
    rows = read_rows(filename, content)
    if not rows:
        raise ValidationError({"file": _("The file has no lines below its header.")})
    cap = conf.rule_import_max_rows()
    if len(rows) > cap:
        raise ValidationError(
            {
                "file": _("The file has %(n)s lines; at most %(max)s lines per file. Split it and import each part.")
                % {"n": len(rows), "max": cap}
            }
        )
    return rows


def submit_import(*, filename: str, content: bytes, by) -> RuleImport:
    """Keep the file's lines as an import and queue its task (after this transaction commits, so
    the worker finds it). ValidationError on ``file`` for a file that cannot be imported at all."""
    from plugins.member_tiers.tasks import import_price_rules

    lines = snapshot(_read_capped(filename, content))
    job = RuleImport.objects.create(
        filename=(filename or "")[-255:],
        rows=lines,
        total=len(lines),
        uploaded_by=by,
        uploaded_at=timezone.now(),
    )
    transaction.on_commit(partial(import_price_rules.delay, job.pk, translation.get_language()))
    return job


def _progress_key(job_id: int) -> str:
    return f"member_tiers:rule-import:{job_id}:checked"


def checked_lines(job: RuleImport) -> int:
    """How many lines the task has checked so far (kept in the cache: the task's transaction is
    not visible until it ends)."""
    if job.finished:
        return job.total
    return min(int(cache.get(_progress_key(job.pk)) or 0), job.total)


def run_import(job_id: int) -> RuleImport | None:
    """The task's work: check and apply one queued import (idempotent: a finished import is left
    alone; one interrupted while running rolled back and runs again)."""
    job = RuleImport.objects.filter(pk=job_id).select_related("uploaded_by").first()
    if job is None or job.finished:
        return job
    RuleImport.objects.filter(pk=job.pk).update(status=RuleImport.RUNNING, started_at=timezone.now())
    key = _progress_key(job.pk)
    try:
        report = import_lines(job.rows, by=job.uploaded_by, progress=lambda n: cache.set(key, n, 3600))
    except Exception:  # e.g. a rule saved by someone else a moment ago: nothing applied, the import says so
        logger.exception("price rule import #%s failed", job.pk)
        job.status = RuleImport.FAILED
        job.message = _("Nothing was imported: the database refused the lines. Try again, or tell the platform team.")
    else:
        if report.ok:
            job.status, job.imported = RuleImport.DONE, report.imported
        else:
            job.status = RuleImport.FAILED
            job.errors = [[number, errors] for number, _values, errors in report.bad_lines]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "imported", "errors", "message", "finished_at"])
    cache.delete(key)
    return job


def rules_for(*, tier: Tier | None = None, company=None):
    q = Q()
    if tier is not None:
        q |= Q(tier=tier)
    if company is not None:
        q |= Q(company=company)
    return PriceRule.objects.filter(q).select_related("tier", "company", "product", "category").order_by("id")
