"""System checks: the platform's access rules are enforced only if their middleware runs."""

from django.conf import settings
from django.core import checks

ACCESS_MIDDLEWARE = "core.middleware.AccessMiddleware"


@checks.register(checks.Tags.security)
def access_middleware_installed(app_configs, **kwargs):
    middleware = list(settings.MIDDLEWARE)
    if ACCESS_MIDDLEWARE not in middleware:
        return [
            checks.Error(
                f"{ACCESS_MIDDLEWARE} is not in MIDDLEWARE: no route would check who is asking "
                "(Oscar's own dashboard checks are switched off in favour of the platform's rules).",
                id="core.E001",
            )
        ]
    auth = "django.contrib.auth.middleware.AuthenticationMiddleware"
    if auth in middleware and middleware.index(ACCESS_MIDDLEWARE) < middleware.index(auth):
        return [checks.Error(f"{ACCESS_MIDDLEWARE} must come after {auth}.", id="core.E002")]
    return []
