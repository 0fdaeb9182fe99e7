from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class PlatformLocaleMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the user picked another language with the language switcher.

    The browser's Accept-Language is ignored on purpose: the platform serves the Chinese
    market, and an English-configured office PC should still see the Chinese shop.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else settings.LANGUAGE_CODE
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class AccessMiddleware:
    """Checks every request against the access rules (core.urlaccess) before its view runs:
    the one place where the site decides whether the asker may open a route."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from core import urlaccess

        match = request.resolver_match
        if match is None or urlaccess.allows(request.user, match, request.path_info):
            return None
        return urlaccess.deny(request)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's header (settings.CONTENT_SECURITY_POLICY), with framing decided in one place:
    a view that lets the platform's own pages frame it (``xframe_options_sameorigin``: a contract
    PDF, a licence) gets ``frame-ancestors 'self'``; every other page keeps ``'none'``. Browsers
    that know CSP ignore X-Frame-Options, so the two must say the same."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        return parts
