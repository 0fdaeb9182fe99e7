"""Who may open each route of the site: declared once per URL name, enforced in one place.

Each app declares the parties (``core.access``) of the URL names it adds on its AppConfig
(``PluginAppConfig.access``, Oscar's ``permissions_map`` idea); core declares Oscar's routes,
Django's and its own the same way (``CoreConfig.access`` in core/apps.py).
``core.middleware.AccessMiddleware`` checks every request against these rules before the view
runs; the dashboard menus are filtered with the same rules (``menu_access`` is
``OSCAR_DASHBOARD_DEFAULT_ACCESS_FUNCTION``), and a template asks
``{% may_open "url-name" as ok %}`` (core.templatetags.access) before linking to a page.

A request's rule is looked up by its resolved view name ("dashboard:order-detail",
"s2b2b-portal-orders"), then by its namespaces ("admin:*"). Under /dashboard/ a route with
no rule is for operators only (default deny); elsewhere the view's own checks apply, and
tests/test_isolation_site.py fails for any route of the site without a rule.

One denial response for every route (``deny``): an anonymous visitor is sent to the login
page, a signed-in user who may not open the page gets a 403 page in their language saying so.
A view that scopes rows to the asker (a supplier's own orders) still does so: the rule says
who may open a page, the selectors say what it shows them.
"""

from functools import lru_cache
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, Resolver404, ResolverMatch, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language

from core.access import EVERYONE, OPERATOR, OPERATORS, party_of
from core.plugins import access_rules, dashboard_homes

DASHBOARD_PREFIX = "/dashboard/"


@lru_cache(maxsize=1)
def rules() -> dict[str, tuple[str, ...]]:
    """url name (or "<namespace>:*") → parties, from every installed app (core's included)."""
    return access_rules()


def rule_for_name(view_name: str | None, namespaces=()) -> tuple[str, ...] | None:
    """The parties declared for a route: by its full view name, else by its namespaces
    ("admin:*"), innermost first; None when nothing is declared."""
    table = rules()
    if view_name and view_name in table:
        return table[view_name]
    namespaces = list(namespaces)
    while namespaces:
        key = ":".join(namespaces) + ":*"
        if key in table:
            return table[key]
        namespaces.pop()
    return None


def rule_for(match: ResolverMatch) -> tuple[str, ...] | None:
    """The parties declared for a resolved request (an unnamed route has only its namespaces)."""
    return rule_for_name(match.view_name if match.url_name else None, match.namespaces)


def parties_for(match: ResolverMatch, path: str) -> tuple[str, ...]:
    """Who may open the route: its rule, else operators under /dashboard/, else everyone
    (the view's own checks apply)."""
    rule = rule_for(match)
    if rule is not None:
        return rule
    return OPERATORS if path.startswith(DASHBOARD_PREFIX) else EVERYONE


def allows(user, match: ResolverMatch, path: str) -> bool:
    return party_of(user) in parties_for(match, path)


def may_open(user, url_name: str, args=None, kwargs=None) -> bool:
    """Whether ``user`` may open the page ``url_name`` names (as the request would resolve)."""
    try:
        path = unquote(reverse(url_name, args=args, kwargs=kwargs))
        match = resolve(path)
    except (NoReverseMatch, Resolver404):
        return False
    return allows(user, match, path)


def menu_access(user, url_name, url_args=None, url_kwargs=None) -> bool:
    """Oscar's dashboard menu asks this for each entry (OSCAR_DASHBOARD_DEFAULT_ACCESS_FUNCTION):
    an entry shows only when its page would open; a heading shows when a child does."""
    if url_name is None:
        return True
    return may_open(user, url_name, url_args, url_kwargs)


def home_url(user) -> str:
    """The page a signed-in user starts from: the dashboard for an operator, the home page a
    plugin declares for the user's party (``PluginAppConfig.dashboard_home``), else the storefront."""
    party = party_of(user)
    if party == OPERATOR:
        return reverse("dashboard:index")
    url_name = dashboard_homes().get(party)
    return reverse(url_name) if url_name else "/"


def landing_url(request: HttpRequest, requested: str | None = None) -> str:
    """Where a sign-in sends the user (every sign-in path: the storefront's form, the dashboard's):
    the ``next=`` page they asked for when it is on this site and they may open it, else their
    start page (``home_url``: operators the back office, supplier staff their portal, salespeople
    their members, distributors the storefront). A foreign or protocol-relative ``next=`` (an open
    redirect) and a page the user may not open are both ignored."""
    user = request.user
    if requested and url_has_allowed_host_and_scheme(
        requested, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        path = unquote(urlsplit(requested).path)
        try:
            match = resolve(path)
        except Resolver404:
            match = None
        if match is not None and allows(user, match, path):
            return requested
    return home_url(user)


def deny(request: HttpRequest) -> HttpResponse:
    """The one denial response: anonymous → the login page (back here afterwards); signed in
    but not allowed → 403, saying so in the user's language."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    context = {
        "home_url": home_url(request.user),
        "signed_in_as": request.user.email or request.user.get_username(),
        "shop_name": settings.OSCAR_SHOP_NAME,
        "LANGUAGE_CODE": get_language(),
    }
    # rendered without the context processors: the page reads nothing from the database
    return HttpResponseForbidden(render_to_string("core/access_denied.html", context))


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    """handler403: a view refusing with PermissionDenied gets the same response."""
    return deny(request)
