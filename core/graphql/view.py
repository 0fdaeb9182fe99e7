"""The /graphql/ endpoint: session auth (with CSRF) for the browser, bearer tokens for machines."""

from django.http import JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView
from oscar.core.loading import get_class

from core.services.api_tokens import authenticate_token

Selector = get_class("partner.strategy", "Selector")


def _bearer_token(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    return None


@method_decorator(csrf_exempt, name="dispatch")
class PlatformGraphQLView(GraphQLView):
    def dispatch(self, request, *args, **kwargs):
        raw = _bearer_token(request)
        if raw is not None:
            user = authenticate_token(raw)
            if user is None:
                return JsonResponse(
                    {
                        "errors": [
                            {"message": _("Invalid or revoked API token."), "extensions": {"code": "unauthenticated"}}
                        ]
                    },
                    status=401,
                )
            # A token request carries no cookies' authority, so CSRF does not apply.
            request.user = user
            # Oscar's basket middleware priced the request for the anonymous user: redo it.
            request.strategy = Selector().strategy(request=request, user=user)
            request._dont_enforce_csrf_checks = True
        elif request.user.is_authenticated:
            # A session cookie is ambient authority: only then can a cross-site request do harm.
            rejected = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
            if rejected is not None:
                return JsonResponse(
                    {
                        "errors": [
                            {
                                "message": _("CSRF check failed: send the X-CSRFToken header."),
                                "extensions": {"code": "csrf_failed"},
                            }
                        ]
                    },
                    status=403,
                )
        return super().dispatch(request, *args, **kwargs)
