"""The one base of every GraphQL mutation: who may run it, scoped lookups, one error style.

::

    class AcceptSupplierOrder(PlatformMutation):
        allowed = (SUPPLIER,)                     # parties of core.access, or a predicate user -> bool

        class Arguments:
            number = graphene.String(required=True)

        Output = SupplierOrderPayload             # or fields on the class itself; an ``errors`` list either way

        @classmethod
        def perform(cls, info, user, *, number):
            so = lookup(own_supplier_orders(user), "number", number=number)   # not_found on "number"
            lifecycle.accept(so, actor=user)      # a ValidationError becomes payload errors
            return cls.success(supplier_order=so)

What the base does, in this order, for every call:

1. **Who**: ``require(info, cls.allowed)`` — nobody signed in → top-level ``unauthenticated``;
   a party not in ``allowed`` → top-level ``forbidden`` (one message for the whole API). A rule that
   depends on the input (``permits(user, inputs)``, e.g. "platform templates are operators' only")
   answers the same ``forbidden``.
2. **Edge**: every input value is checked before anything reads it (``core.graphql.inputs``): no
   NUL in a string, finite decimals within the platform's widest column, and whatever
   ``input_fields`` declares as stored in a model field fits that field (digits, decimal places,
   integer range, length). A problem is a payload error on that input; nothing runs.
3. **Run** ``perform(info, user, **inputs)`` in a savepoint: whatever it wrote is rolled back when
   it fails, so bad input changes nothing.
4. **Errors**: ``lookup(queryset, field, **filters)`` raises ``NotFound`` when the object is not in
   the asker's scoped queryset — another party's object and a missing one look the same
   (``not_found`` on that input field). A ``ValidationError`` becomes payload ``errors`` whose
   ``field`` is the input's camelCase name (``error_fields`` renames a service's keys first:
   ``{"tier": "tier_code"}``); keys that name no input of the mutation and ``__all__`` become
   null.

A subclass implements ``perform``, never ``mutate`` (checked when the class is made).
"""

from collections.abc import Mapping
from functools import cache
from inspect import isclass
from typing import Any, ClassVar

import graphene
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import Field, QuerySet
from django.utils.translation import gettext as _
from graphene.types.structures import Structure
from graphene.types.unmountedtype import UnmountedType

from core.graphql.access import Allowed, require
from core.graphql.errors import (
    NOT_FOUND,
    FieldError,
    camel_case,
    errors_from_validation,
    forbidden_error,
)
from core.graphql.inputs import problems as edge_problems


class NotFound(Exception):
    """The object named by an input is not among those the asker may reach."""

    def __init__(self, field: str, message: str | None = None):
        self.field = field
        self.message = message
        super().__init__(field)


def lookup(queryset: QuerySet, field: str, message: str | None = None, **filters):
    """The one object of ``queryset`` (already scoped to the asker) matching ``filters``, or
    ``NotFound`` on the input ``field``. A malformed value (``id: "abc"``) is not found either."""
    try:
        obj = queryset.filter(**filters).first()
    except (ValueError, TypeError, ValidationError):
        obj = None
    if obj is None:
        raise NotFound(field, message)
    return obj


def invalid(field: str | None, message: str, code: str = "invalid") -> ValidationError:
    """A ValidationError on one input (``raise invalid("quantity", …, "out_of_range")``)."""
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


def _unwrap(graphene_type):
    while isinstance(graphene_type, Structure):
        graphene_type = graphene_type.of_type
    return graphene_type


def _type_of(argument):
    if isinstance(argument, UnmountedType):
        return _unwrap(argument.get_type())
    return _unwrap(getattr(argument, "type", argument))


def input_names(arguments: Mapping[str, Any]) -> frozenset[str]:
    """The camelCase names of a mutation's arguments and of every field of its input objects."""
    names: set[str] = set()
    seen: set[type] = set()

    def visit(graphene_type):
        if isclass(graphene_type) and issubclass(graphene_type, graphene.InputObjectType):
            if graphene_type in seen:
                return
            seen.add(graphene_type)
            for name, field in graphene_type._meta.fields.items():
                names.add(camel_case(name))
                visit(_unwrap(field.type))

    for name, argument in arguments.items():
        names.add(camel_case(name))
        visit(_type_of(argument))
    return frozenset(names)


class PlatformMutation(graphene.Mutation):
    class Meta:
        abstract = True

    #: who may run it: parties of core.access (``(OPERATOR,)``, ``SIGNED_IN``) or a predicate on the user
    allowed: ClassVar[Allowed | None] = None
    #: a service's ValidationError keys → this mutation's input names (before camelCase); None: non-field
    error_fields: ClassVar[dict[str, str | None]] = {}
    #: inputs stored in a model field, checked against it before ``perform`` runs: the input's
    #: dotted Python name (no list indexes: ``"input.region_rules.first_price"``) → (model, field name)
    input_fields: ClassVar[dict[str, tuple[type, str]]] = {}

    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    @classmethod
    def __init_subclass_with_meta__(cls, **options):
        super().__init_subclass_with_meta__(**options)
        if cls.allowed is None:
            raise ImproperlyConfigured(f"{cls.__name__} must declare who may run it (`allowed`).")
        if getattr(cls.mutate, "__func__", None) is not PlatformMutation.mutate.__func__:
            raise ImproperlyConfigured(f"{cls.__name__} implements `perform`, not `mutate`.")
        fields = cls._meta.output._meta.fields
        if "errors" not in fields:
            raise ImproperlyConfigured(f"{cls.__name__}'s payload has no `errors` field.")
        if cls._meta.output is cls:  # fields on the class itself: the result first, then errors
            fields["errors"] = fields.pop("errors")

    # --- the one entry point ------------------------------------------------------------------

    @classmethod
    def mutate(cls, root, info, **inputs):
        user = require(info, cls.allowed)
        problems = edge_problems(inputs, _model_fields_of(cls))
        if problems:
            return cls.failure(info, errors_from_validation(ValidationError(problems)))
        if not cls.permits(user, inputs):
            raise forbidden_error()
        try:
            with transaction.atomic():
                return cls.perform(info, user, **inputs)
        except NotFound as exc:
            message = exc.message or _("Nothing was found for this value.")
            return cls.failure(info, [FieldError(field=camel_case(exc.field), message=str(message), code=NOT_FOUND)])
        except ValidationError as exc:
            return cls.failure(info, cls.field_errors(exc))

    # --- what a subclass writes ---------------------------------------------------------------

    @classmethod
    def perform(cls, info, user, **inputs):
        raise NotImplementedError

    @classmethod
    def permits(cls, user, inputs: dict) -> bool:
        """A rule beyond the party that depends on the input; False answers ``forbidden``."""
        return True

    # --- payloads -----------------------------------------------------------------------------

    @classmethod
    def success(cls, **fields):
        return cls._meta.output(errors=[], **fields)

    @classmethod
    def failure(cls, info, errors: list[FieldError]):
        return cls._meta.output(errors=errors)

    @classmethod
    def field_errors(cls, exc: ValidationError) -> list[FieldError]:
        known = cls.input_names()
        return errors_from_validation(exc, cls.error_fields, known=lambda name: _names_input(name, known))

    @classmethod
    def input_names(cls) -> frozenset[str]:
        return _input_names_of(cls)

    # lookups, for subclasses: ``cls.lookup(...)`` reads as well as the module function
    lookup = staticmethod(lookup)


@cache
def _input_names_of(cls) -> frozenset[str]:
    return input_names(cls._meta.arguments)


@cache
def _model_fields_of(cls) -> dict[str, Field]:
    return {path: model._meta.get_field(name) for path, (model, name) in cls.input_fields.items()}


def _names_input(name: str, known: frozenset[str]) -> bool:
    return all(part.isdigit() or part in known for part in name.split("."))


def mutation_classes(schema) -> dict[str, type]:
    """Every mutation of a graphene schema by its GraphQL name, as the class that resolves it
    (a function resolver, i.e. a mutation not on the base, maps to None)."""
    mutation_type = schema.graphql_schema.mutation_type
    if mutation_type is None:
        return {}
    found = {}
    for name, field in mutation_type.fields.items():
        resolver = field.resolve
        owner = getattr(resolver, "__self__", None)
        found[name] = owner if isclass(owner) else None
    return found
