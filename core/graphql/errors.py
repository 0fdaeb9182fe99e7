"""One error style for the whole GraphQL API.

Two kinds of error, and nothing else:

* **Top-level errors** (the response's ``errors`` list, ``data.<field>`` is null) when the request
  as a whole may not run or cannot be read, each with a stable ``extensions.code``:

  ================  =================================================================================
  code              when
  ================  =================================================================================
  unauthenticated   nobody is signed in (no session, no API token)
  forbidden         signed in, but the asker's party may not use this field (one message for all)
  (input codes)     a query's argument is unusable; ``extensions.field`` names it (``input_error``)
  ================  =================================================================================

* **Payload errors** (a mutation's ``errors { field message code }``) for bad input: ``field`` is
  the input's name as the client spells it (camelCase, dotted into input objects and lists:
  ``paymentTermsDays``, ``regionRules.1.provinces``) or null when the error is about the whole
  request; ``message`` is a sentence in the user's language; ``code`` is stable
  (``not_found``, ``required``, ``invalid``, ``invalid_transition`` …).
"""

import re
from collections.abc import Mapping

import graphene
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from graphql import GraphQLError

UNAUTHENTICATED = "unauthenticated"
FORBIDDEN = "forbidden"
NOT_FOUND = "not_found"


class FieldError(graphene.ObjectType):
    field = graphene.String(description="The input field the error is about; null for the whole input.")
    message = graphene.String(required=True)
    code = graphene.String(required=True)


def camel_case(name: str) -> str:
    """``payment_terms_days`` → ``paymentTermsDays``; dotted paths part by part
    (``region_rules.1.first_unit`` → ``regionRules.1.firstUnit``); camelCase stays as it is."""

    def part(piece: str) -> str:
        head, *rest = piece.split("_")
        return head + "".join(word[:1].upper() + word[1:] for word in rest)

    return ".".join(part(piece) for piece in name.split("."))


_CLIENT_NAME = re.compile(r"^[a-z][A-Za-z0-9]*(\.([0-9]+|[a-z][A-Za-z0-9]*))*$")


def is_client_field_name(name: str | None) -> bool:
    """True for null and for camelCase (dotted) names, the only field names the API returns."""
    return name is None or bool(_CLIENT_NAME.match(name))


def field_error(field: str | None, message: str, code: str = "invalid") -> FieldError:
    return FieldError(field=camel_case(field) if field else None, message=str(message), code=code)


def errors_from_validation(
    exc: ValidationError, field_map: Mapping[str, str | None] | None = None, known=None
) -> list[FieldError]:
    """A ValidationError as payload errors.

    ``field_map`` renames a service's keys to the mutation's input names (``{"tier": "tier_code"}``;
    ``None`` makes an error non-field); keys are then camelCased. ``known`` (a predicate on the
    camelCased name) turns keys that name no input of the mutation (``state`` of a wrong
    transition) into non-field errors. ``__all__`` is always non-field."""
    field_map = field_map or {}
    if not hasattr(exc, "error_dict"):
        return [field_error(None, _message(error), error.code or "invalid") for error in exc.error_list]
    errors = []
    for key, field_errors in exc.error_dict.items():
        name = None if key == NON_FIELD_ERRORS else field_map.get(key, key)
        if name is not None:
            name = camel_case(name)
            if known is not None and not known(name):
                name = None
        for error in field_errors:
            errors.append(FieldError(field=name, message=_message(error), code=error.code or "invalid"))
    return errors


def _message(error: ValidationError) -> str:
    message = error.message % error.params if error.params else error.message
    return str(message)


def input_error(field: str, message: str, code: str = "invalid") -> GraphQLError:
    """A query argument that cannot be used: a top-level error naming the (camelCase) field."""
    return GraphQLError(str(message), extensions={"field": camel_case(field), "code": code})


def unauthenticated_error() -> GraphQLError:
    return GraphQLError(_("Sign in or send an API token to do this."), extensions={"code": UNAUTHENTICATED})


def forbidden_error() -> GraphQLError:
    return GraphQLError(_("You are not allowed to do this."), extensions={"code": FORBIDDEN})
