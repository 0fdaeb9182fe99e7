"""The analytics filters as a GraphQL input, validated by the screens' own form (same rules, same
messages) and scoped the same way: the API returns the numbers the screens show."""

from __future__ import annotations

import graphene
from django.http import QueryDict

from core.access import BACK_OFFICE
from core.graphql.access import require
from core.graphql.errors import input_error
from plugins.bigdata.backends.base import Filters
from plugins.bigdata.screens.filters import FilterForm
from plugins.bigdata.screens.scope import salesperson_scope, scoped


class AnalyticsFiltersInput(graphene.InputObjectType):
    start = graphene.Date(description="First day (Asia/Shanghai); default: the first day eleven months back")
    end = graphene.Date(description="Last day, included; default: today")
    province_code = graphene.String(description="GB/T 2260 code of a province")
    city = graphene.String(description="A city of that province (its name)")
    supplier_id = graphene.ID()
    category_id = graphene.ID(description="The category and everything under it")
    salesperson_id = graphene.ID(description="Ignored for a salesperson: their own numbers only")
    tier_code = graphene.String()


_FIELDS = {
    "start": "start",
    "end": "end",
    "province_code": "province",
    "city": "city",
    "supplier_id": "supplier",
    "category_id": "category",
    "salesperson_id": "salesperson",
    "tier_code": "tier",
}


def analytics_filters(info, value: dict | None) -> Filters:
    """The request's filters, checked and scoped to who asks (operators and salespeople only)."""
    user = require(info, BACK_OFFICE)
    own = salesperson_scope(user)
    data = QueryDict(mutable=True)
    for name, field in _FIELDS.items():
        given = (value or {}).get(name)
        if given not in (None, "") and not (field == "salesperson" and own is not None):
            data[field] = given.isoformat() if hasattr(given, "isoformat") else str(given)
    form = FilterForm(data, salesperson_scope=own)
    if not form.is_valid():
        reverse = {field: name for name, field in _FIELDS.items()}
        field, errors = next(iter(form.errors.items()))
        raise input_error(f"filters.{reverse.get(field, field)}", errors[0])
    return scoped(user, form.filters())
