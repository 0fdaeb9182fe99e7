"""The /graphql/ endpoint: session auth (with CSRF) for the browser, bearer tokens for machines.

Before anything runs, a request is counted against its rate limit (per API token, else per client
address: ``core.ratelimit``; over it: HTTP 429 with ``Retry-After``) and its document against the
limits of ``core.graphql.limits`` (size, fields, aliases, depth, cost, mutations, introspection).
An exception nobody expected is answered with one generic message carrying a request id, and
logged with that id and its traceback — its text never reaches the client.
"""

import hashlib
import logging
import uuid

from django.conf import settings
from django.http import JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView, HttpError
from graphql import ExecutionResult, GraphQLError, parse, validate
from oscar.core.loading import get_class

from core import ratelimit
from core.graphql.limits import Limits, limits_rule, query_too_large, schema_tools_allowed
from core.http import client_ip
from core.services.api_tokens import authenticate_token

Selector = get_class("partner.strategy", "Selector")

logger = logging.getLogger("core.graphql")

INTERNAL_ERROR = "internal_error"


def _bearer_token(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    return None


def _error_response(message: str, code: str, status: int, **extensions) -> JsonResponse:
    return JsonResponse(
        {"errors": [{"message": str(message), "extensions": {"code": code, **extensions}}]}, status=status
    )


def _rate_limited(key: str, limit: int) -> JsonResponse | None:
    retry_after = ratelimit.hit(f"graphql:{key}", limit=limit, window=settings.GRAPHQL_RATE_LIMIT_WINDOW_SECONDS)
    if retry_after is None:
        return None
    response = _error_response(
        _("Too many requests: try again in %(seconds)d seconds.") % {"seconds": retry_after},
        "rate_limited",
        429,
        retryAfter=retry_after,
    )
    response["Retry-After"] = str(retry_after)
    return response


@method_decorator(csrf_exempt, name="dispatch")
class PlatformGraphQLView(GraphQLView):
    def dispatch(self, request, *args, **kwargs):
        request.graphql_request_id = uuid.uuid4().hex[:16]
        raw = _bearer_token(request)
        if raw is not None:
            user = authenticate_token(raw)
            if user is None:
                # a wrong token counts against the address it came from
                refused = _rate_limited(f"ip:{client_ip(request)}", settings.GRAPHQL_RATE_LIMIT_PER_IP)
                return refused or _error_response(_("Invalid or revoked API token."), "unauthenticated", 401)
            refused = _rate_limited(
                f"token:{hashlib.sha256(raw.encode()).hexdigest()[:32]}", settings.GRAPHQL_RATE_LIMIT_PER_TOKEN
            )
            if refused is not None:
                return refused
            # A token request carries no cookies' authority, so CSRF does not apply.
            request.user = user
            # Oscar's basket middleware priced the request for the anonymous user: redo it.
            request.strategy = Selector().strategy(request=request, user=user)
            request._dont_enforce_csrf_checks = True
        else:
            refused = _rate_limited(f"ip:{client_ip(request)}", settings.GRAPHQL_RATE_LIMIT_PER_IP)
            if refused is not None:
                return refused
            if request.user.is_authenticated:
                # A session cookie is ambient authority: only then can a cross-site request do harm.
                rejected = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
                if rejected is not None:
                    return _error_response(
                        _("CSRF check failed: send the X-CSRFToken header."), "csrf_failed", status=403
                    )
        if self.graphiql and not schema_tools_allowed(request.user):
            self.graphiql = False
            if request.method == "GET" and "query" not in request.GET and self.request_wants_html(request):
                return _error_response(_("GraphiQL is only available to signed-in staff."), "forbidden", 403)
        return super().dispatch(request, *args, **kwargs)

    def execute_graphql_request(self, request, data, query, variables, operation_name, show_graphiql=False):
        if query and isinstance(query, str):
            refused = self.refusal(request, query, variables)
            if refused:
                return ExecutionResult(data=None, errors=refused)
        return super().execute_graphql_request(request, data, query, variables, operation_name, show_graphiql)

    def refusal(self, request, query: str, variables) -> list[GraphQLError]:
        """The limits a document passes, checked before the standard validation (which is
        quadratic in repeated fields) and before anything executes."""
        too_large = query_too_large(query)
        if too_large is not None:
            return [too_large]
        try:
            document = parse(query)
        except GraphQLError:
            return []  # the standard path reports the syntax error
        rule = limits_rule(variables if isinstance(variables, dict) else {}, Limits.for_user(request.user))
        return validate(self.schema.graphql_schema, document, [rule])

    def format_error(self, error):
        """The API's errors as they are, except an exception nobody expected: its text (SQL,
        ``decimal`` internals …) stays in the log, the client gets a request id to quote."""
        original = getattr(error, "original_error", None)
        unexpected = not isinstance(error, GraphQLError | HttpError) or (
            isinstance(error, GraphQLError)  # an HttpError (wrong method, no query) has no path
            and error.path is not None
            and original is not None
            and not isinstance(original, GraphQLError)
        )
        if not unexpected:
            return super().format_error(error)
        failure = original if isinstance(error, GraphQLError) else error
        request_id = getattr(self.request, "graphql_request_id", None) or uuid.uuid4().hex[:16]
        logger.error(
            "GraphQL request %s failed at %s: %r",
            request_id,
            ".".join(str(p) for p in (getattr(error, "path", None) or [])) or "-",
            failure,
            exc_info=(type(failure), failure, failure.__traceback__),
        )
        formatted = {
            "message": _("Something went wrong on our side. Quote request id %(id)s if you contact us.")
            % {"id": request_id},
            "extensions": {"code": INTERNAL_ERROR, "requestId": request_id},
        }
        if isinstance(error, GraphQLError):  # where it happened may be shown, not what
            if error.locations:
                formatted["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
            if error.path is not None:
                formatted["path"] = error.path
        return formatted
