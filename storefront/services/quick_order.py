"""Quick order: a distributor pastes or types lines of "SKU quantity" and gets them in the basket.

Every line is checked and every problem reported with its line number; nothing is added
until all lines are right. Separators may be spaces, tabs (a paste from a spreadsheet),
commas or Chinese commas; the same SKU on several lines is summed.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.digits import whole_number
from storefront.services.basket import Addition, add_to_basket, purchase_problem

Product = get_model("catalogue", "Product")

MAX_LINES = 200
MAX_QUANTITY = 99999
_SEPARATORS = re.compile(r"[\s,，;；:：]+")


@dataclass
class LineProblem:
    number: int
    text: str
    message: str


@dataclass
class QuickOrderResult:
    additions: list[Addition] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.additions)


def parse_lines(text: str) -> tuple[list[tuple[int, str, str, int]], list[LineProblem]]:
    """(line number, raw text, SKU, quantity) for each well-formed line, and the malformed ones."""
    parsed, problems = [], []
    lines = text.splitlines()
    if sum(1 for raw in lines if raw.strip()) > MAX_LINES:
        problems.append(LineProblem(0, "", _("Enter at most %(n)d lines at a time.") % {"n": MAX_LINES}))
        return parsed, problems
    for number, raw in enumerate(lines, start=1):
        stripped = raw.strip()
        if not stripped:
            continue
        parts = [p for p in _SEPARATORS.split(stripped) if p]
        if len(parts) != 2:
            problems.append(LineProblem(number, stripped, _("Write a SKU and a quantity, e.g. “JG-HB-M8-30 20”.")))
            continue
        sku, quantity_text = parts
        quantity = whole_number(quantity_text)
        if quantity is None:
            problems.append(
                LineProblem(number, stripped, _("“%(q)s” is not a whole number of units.") % {"q": quantity_text})
            )
            continue
        if quantity < 1 or quantity > MAX_QUANTITY:
            problems.append(
                LineProblem(number, stripped, _("The quantity must be between 1 and %(max)d.") % {"max": MAX_QUANTITY})
            )
            continue
        parsed.append((number, stripped, sku, quantity))
    return parsed, problems


def check_quick_order(basket, text: str) -> QuickOrderResult:
    result = QuickOrderResult()
    parsed, result.problems = parse_lines(text)
    if not parsed and not result.problems:
        result.problems.append(LineProblem(0, "", _("Enter at least one line: a SKU and a quantity.")))
        return result

    typed = {sku for _n, _t, sku, _q in parsed}
    candidates = typed | {s.upper() for s in typed} | {s.lower() for s in typed}
    products = {
        p.upc.upper(): p
        for p in Product.objects.filter(upc__in=candidates)
        .select_related("product_class", "parent")
        .prefetch_related("stockrecords")
    }
    totals: dict[str, int] = {}
    first_line: dict[str, tuple[int, str]] = {}
    for number, raw, sku, quantity in parsed:
        key = sku.upper()
        if key not in products:
            result.problems.append(LineProblem(number, raw, _("No product has the SKU “%(sku)s”.") % {"sku": sku}))
            continue
        totals[key] = totals.get(key, 0) + quantity
        first_line.setdefault(key, (number, raw))

    for key, quantity in totals.items():
        problem = purchase_problem(basket, products[key], quantity)
        if problem:
            number, raw = first_line[key]
            result.problems.append(LineProblem(number, raw, problem))
        else:
            result.additions.append(Addition(products[key], quantity))
    result.problems.sort(key=lambda p: p.number)
    return result


def place_quick_order(basket, text: str) -> QuickOrderResult:
    """Check all lines and, only when every line is right, add them all to the basket."""
    result = check_quick_order(basket, text)
    if result.ok:
        try:
            add_to_basket(basket, result.additions)
        except ValidationError as exc:  # stock changed between the check and the write
            result.problems = [LineProblem(0, "", m) for m in exc.messages]
    return result
