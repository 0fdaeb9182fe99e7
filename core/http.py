"""Facts about the request every part of the platform reads the same way."""


def client_ip(request) -> str | None:
    """The client's address: behind the platform's proxy, the right-most X-Forwarded-For entry
    (the one the proxy appended; the left-most is whatever the client chose to send), else the
    connection's address."""
    if request is None:
        return None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return (forwarded.split(",")[-1].strip() if forwarded else "") or request.META.get("REMOTE_ADDR") or None


def login_username(request, credentials) -> str | None:
    """The account a sign-in attempt names, whatever the form calls the field (Oscar's login form
    posts ``login-username``, Django's admin ``username``), folded as the e-mail back end folds it."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("login-username") or request.POST.get("username")
    return value.strip().lower() if isinstance(value, str) and value.strip() else None


def lockout_response(request, original_response=None, credentials=None):
    """The page for a sign-in refused by the lockout (HTTP 429), saying for how long; logged for
    the operators by django-axes itself (the ``axes`` logger and the 登录锁定 page)."""
    from math import ceil

    from axes.helpers import get_client_username, get_failure_limit
    from django.conf import settings
    from django.shortcuts import render

    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "username": get_client_username(request, credentials) or "",
        "minutes": ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
    }
    return render(request, "core/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
