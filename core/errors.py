"""The platform's error pages: 404, 500 and the CSRF failure (handler404, handler500,
CSRF_FAILURE_VIEW); a refused route answers with core.urlaccess.deny (handler403).

Each renders a standalone template (core/error_page.html) without context processors, in the
language PlatformLocaleMiddleware chose from the cookie, with the platform's header and a way
back, and no technical detail. The 500 page reads nothing from the database (not even who is
signed in), so it still answers while the database is down.
"""

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseNotFound, HttpResponseServerError
from django.template.loader import render_to_string
from django.utils.translation import get_language

logger = logging.getLogger(__name__)


def _render(template: str, home_url: str, status_code: int) -> str:
    context = {"home_url": home_url, "status_code": status_code, "LANGUAGE_CODE": get_language()}
    return render_to_string(template, context)


def _start_page(request: HttpRequest) -> str:
    """The user's start page for the way back; "/" when who is asking cannot be read."""
    from core.urlaccess import home_url

    try:
        return home_url(request.user) if request.user.is_authenticated else "/"
    except Exception:  # the database may be what failed: the home page is always a way back
        logger.warning("could not read the user for the error page's way back", exc_info=True)
        return "/"


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return HttpResponseNotFound(_render("core/errors/404.html", _start_page(request), 404))


def server_error(request: HttpRequest) -> HttpResponse:
    # no request.user here: the failure may be the database's
    return HttpResponseServerError(_render("core/errors/500.html", "/", 500))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token: a 403 that says what to do (Django's reason, a
    technical detail, goes to the log only)."""
    logger.warning("CSRF failure on %s: %s", request.path, reason)
    return HttpResponseForbidden(_render("core/errors/csrf.html", _start_page(request), 403))
