"""System checks: the platform's access rules are enforced only if their middleware runs, and
private files are private only if no URL serves their directory."""

from pathlib import Path

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


@checks.register(checks.Tags.security)
def private_files_not_served(app_configs, **kwargs):
    """Private files (core.files) must not sit where MEDIA_URL or STATIC_URL would serve them."""
    private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        served = Path(getattr(settings, name)).resolve()
        if private.is_relative_to(served):
            return [
                checks.Error(
                    f"PRIVATE_MEDIA_ROOT ({private}) is inside {name} ({served}): private files would be served "
                    "to anyone who guesses their path.",
                    id="core.E003",
                )
            ]
    return []
