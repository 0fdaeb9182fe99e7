"""Structured GraphQL errors: every error names the field it is about and a stable code."""

import graphene
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from graphql import GraphQLError


class FieldError(graphene.ObjectType):
    field = graphene.String(description="The input field the error is about; null for the whole input.")
    message = graphene.String(required=True)
    code = graphene.String(required=True)


def field_error(field: str | None, message: str, code: str = "invalid") -> FieldError:
    return FieldError(field=field, message=str(message), code=code)


def errors_from_validation(exc: ValidationError) -> list[FieldError]:
    if not hasattr(exc, "error_dict"):
        return [field_error(None, m, exc.code or "invalid") for m in exc.messages]
    errors = []
    for field, field_errors in exc.error_dict.items():
        for error in field_errors:
            message = error.message % error.params if error.params else error.message
            errors.append(field_error(None if field == NON_FIELD_ERRORS else field, message, error.code or "invalid"))
    return errors


def input_error(field: str, message: str, code: str = "invalid") -> GraphQLError:
    return GraphQLError(str(message), extensions={"field": field, "code": code})


def require_authenticated(info) -> None:
    if not info.context.user.is_authenticated:
        raise GraphQLError(_("Sign in or send an API token to do this."), extensions={"code": "unauthenticated"})
