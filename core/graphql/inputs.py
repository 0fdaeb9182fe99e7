"""Input values checked at the API's edge, before a resolver or a service sees them.

GraphQL's scalars let through what a database or ``decimal`` cannot take: ``"NaN"``, ``"Infinity"``
and ``"1e30"`` are valid ``Decimal`` literals, a ``String`` may hold a NUL character (PostgreSQL
refuses it), an ``Int`` may be beyond a small-integer column. Every argument of every field —
nested in input objects and lists — is checked here once:

* a string must not contain NUL;
* a decimal must be finite and within ``ENVELOPE`` (the widest column the platform has);
* a value a mutation declares as stored in a model field (``PlatformMutation.input_fields``) must
  also fit that field: its digits and decimal places, its integer range, its length — with the
  messages Django gives for a form on that field.

Mutations answer with payload errors on the input (``core.graphql.mutations``); queries with a
top-level ``input_error`` naming the argument (``EdgeMiddleware``).
"""

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator, MaxLengthValidator, MaxValueValidator
from django.db import connection, models
from django.db.models import Field
from django.utils.translation import gettext as _

from core.graphql.errors import input_error

#: every decimal input: at most 14 digits before the point and 6 after (the platform's widest
#: column is numeric(14, 2); a value within this is safe to compute with before it is quantised)
ENVELOPE = DecimalValidator(max_digits=20, decimal_places=6)


def problems(inputs: Mapping, fields: Mapping[str, Field] | None = None) -> dict[str, list[ValidationError]]:
    """What is wrong with ``inputs`` (a resolver's keyword arguments), by dotted input path
    (``input.region_rules.1.first_price``); ``fields`` maps such paths, without list indexes,
    to the model fields the values are stored in."""
    found: dict[str, list[ValidationError]] = {}
    for name, value in inputs.items():
        _check(value, name, name, fields or {}, found)
    return found


def _check(value, path: str, declared: str, fields: Mapping[str, Field], found: dict) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            _check(item, f"{path}.{key}", f"{declared}.{key}", fields, found)
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check(item, f"{path}.{index}", declared, fields, found)
        return
    errors = _value_errors(value, fields.get(declared))
    if errors:
        found[path] = errors


def _value_errors(value, field: Field | None) -> list[ValidationError]:
    if isinstance(value, str) and "\x00" in value:
        return [ValidationError(_("This value cannot contain the NUL character."), code="invalid")]
    if isinstance(value, Decimal):
        if not value.is_finite():
            return [ValidationError(_("Enter a finite number."), code="invalid")]
        if field is None:
            try:
                ENVELOPE(value)
            except ValidationError as exc:
                return exc.error_list
    if field is not None and isinstance(field, models.DecimalField):
        # a default such as ``Decimal(default_value=0)`` arrives as an int
        if isinstance(value, int) and not isinstance(value, bool):
            value = Decimal(value)
        elif not isinstance(value, Decimal):
            return []
    if field is not None and value is not None:
        for validator in storage_validators(field):
            try:
                validator(value)
            except ValidationError as exc:
                return exc.error_list
    return []


def storage_validators(field: Field) -> list:
    """What a value must meet to be stored in ``field`` at all: a decimal's digits and decimal
    places, an integer's upper bound, a string's length. (Lower bounds of positive columns are the
    services' to explain: "cannot be negative".)"""
    if isinstance(field, models.DecimalField):
        return [DecimalValidator(field.max_digits, field.decimal_places)]
    if isinstance(field, models.IntegerField):
        _low, high = connection.ops.integer_field_range(field.get_internal_type())
        return [MaxValueValidator(high)] if high is not None else []
    if isinstance(field, models.CharField) and field.max_length:
        return [MaxLengthValidator(field.max_length)]
    return []


def message_of(error: ValidationError) -> str:
    return str(error.message % error.params if error.params else error.message)


class EdgeMiddleware:
    """Graphene middleware: a query field's arguments checked before its resolver runs. A
    mutation's are checked by its base, which answers with payload errors instead."""

    def resolve(self, next, root, info, **args):
        if args and info.parent_type is not info.schema.mutation_type:
            for path, errors in problems(args).items():
                error = errors[0]
                raise input_error(path, message_of(error), error.code or "invalid")
        return next(root, info, **args)
