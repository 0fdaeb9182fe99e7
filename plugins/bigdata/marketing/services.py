"""Writing marketing activities (operators): checked, then saved with what they cover in one
transaction — a refused activity changes nothing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from plugins.bigdata.marketing.models import Activity

MAX_BUDGET_FEN = 10**15  # ¥10 trillion: far beyond any activity, well inside a bigint


def check(*, name: str, start: date, end: date, budget: int) -> None:
    """The activity's rules, each error naming its field."""
    errors = {}
    if not name.strip():
        errors["name"] = _("Give the activity a name.")
    if budget < 0:
        errors["budget"] = _("The budget cannot be negative.")
    elif budget > MAX_BUDGET_FEN:
        errors["budget"] = _("The budget is too large.")
    if end < start:
        errors["end"] = _("The activity ends before it starts.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_activity(
    *,
    activity: Activity | None = None,
    name: str,
    start: date,
    end: date,
    budget: int,
    notes: str = "",
    offers: Iterable = (),
    voucher_sets: Iterable = (),
    companies: Iterable = (),
    products: Iterable = (),
    by=None,
) -> Activity:
    """Create (``activity`` None) or change an activity; ``budget`` in fen."""
    check(name=name, start=start, end=end, budget=budget)
    activity = Activity(created_by=by) if activity is None else Activity.objects.select_for_update().get(pk=activity.pk)
    activity.name, activity.start, activity.end = name.strip(), start, end
    activity.budget, activity.notes = budget, notes
    activity.save()
    activity.offers.set(offers)
    activity.voucher_sets.set(voucher_sets)
    activity.companies.set(companies)
    activity.products.set(products)
    return activity
