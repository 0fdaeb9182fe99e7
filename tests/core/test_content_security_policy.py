"""Every response carries a Content-Security-Policy: scripts, styles, fonts and images only from the
platform itself, no inline script except the one nonce'd onload block of the pinned oscar/base.html,
and Oscar's few constant inline handlers allowed by their exact hash ('unsafe-hashes').
The browser test (tests/browser/test_content_security_policy.py) proves no page breaks it."""

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories
from tests.core.test_settings import PRODUCTION, run

ROOT = Path(__file__).resolve().parents[2]
OUR_TEMPLATE_DIRS = [ROOT / "templates", ROOT / "storefront", ROOT / "companies", ROOT / "core", ROOT / "plugins"]
#: rendered to PDF by WeasyPrint (contracts, invoices, statements, packing slips), never served as pages
PDF_TEMPLATES = re.compile(r"/(pdf|report|default_templates)/|pdf\.html$")


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


def sha256(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


class InlineCode(HTMLParser):
    """The inline scripts (with their nonce) and the inline event handlers of a page."""

    def __init__(self):
        super().__init__()
        self.scripts: list[str | None] = []  # the nonce of each inline <script>
        self.handlers: list[str] = []
        self.styles = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if (
            tag == "script"
            and "src" not in attrs
            and attrs.get("type", "text/javascript")
            in (
                "text/javascript",
                "application/javascript",
                "module",
            )
        ):
            self.scripts.append(attrs.get("nonce"))
        if tag == "style":
            self.styles += 1
        self.handlers += [value or "" for name, value in attrs.items() if name.startswith("on")]


def inline_code(response) -> InlineCode:
    parser = InlineCode()
    parser.feed(response.content.decode())
    return parser


def test_the_header_names_the_expected_directives(client, db):
    response = client.get("/accounts/login/")
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"][0] == "'self'" and "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["style-src"] == ["'self'"]  # stylesheets and <style> only from the platform
    assert csp["style-src-attr"] == ["'unsafe-inline'"]  # Oscar's style="…" attributes
    assert csp["img-src"] == ["'self'", "data:"] and csp["font-src"] == ["'self'", "data:"]
    assert csp["connect-src"] == ["'self'"]
    assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    # no host of any kind: no CDN, nothing outside the platform
    assert not [source for sources in csp.values() for source in sources if "." in source or "//" in source]


def test_the_onload_script_carries_the_nonce_of_its_response_and_each_response_has_a_new_one(client, db):
    first, second = client.get("/accounts/login/"), client.get("/accounts/login/")
    nonces = []
    for response in (first, second):
        scripts = inline_code(response).scripts
        assert len(scripts) == 1 and scripts[0], "the onload block is the only inline script, and it has a nonce"
        assert f"'nonce-{scripts[0]}'" in policy(response)["script-src"]
        nonces.append(scripts[0])
    assert nonces[0] != nonces[1]


def test_oscars_constant_handlers_are_allowed_by_hash_and_nothing_else_inline(client, db):
    script_src = policy(client.get("/")).get("script-src")
    assert "'unsafe-hashes'" in script_src
    for handler in settings.OSCAR_INLINE_HANDLERS:
        assert sha256(handler) in script_src
    # the storefront's mini basket: Oscar's "View basket" button is one of them
    handlers = inline_code(client.get("/catalogue/")).handlers
    assert handlers and {sha256(h) for h in handlers} <= set(script_src)


def pages(catalogue) -> dict[str, list[str]]:
    product = catalogue["bolt"]
    return {
        "buyer": ["/catalogue/", product.get_absolute_url(), "/basket/", "/accounts/profile/", "/accounts/orders/",
                  reverse("storefront:quick-order"), "/accounts/addresses/add/", "/accounts/profile/edit/"],
        "operator": ["/dashboard/", "/dashboard/orders/", "/dashboard/catalogue/", f"/dashboard/catalogue/products/{product.pk}/",
                     reverse("logistics-dashboard:template-create"), reverse("logistics-dashboard:template-list"),
                     "/dashboard/partners/"],
        "supplier": [reverse("s2b2b-portal-orders"), reverse("s2b2b-portal-products"), reverse("s2b2b-portal-legal")],
    }  # fmt: skip


@pytest.mark.django_db
def test_no_main_page_has_an_inline_script_or_handler_the_policy_refuses(client, catalogue):
    people = {
        "buyer": factories.distributor("cspbuyer"),
        "operator": factories.operator("cspoperator"),
        "supplier": factories.supplier_staff(catalogue["suppliers"]["jg"], "cspsupplier"),
    }
    for who, paths in pages(catalogue).items():
        client.force_login(people[who])
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (who, path, response.status_code)
            allowed = policy(response)["script-src"]
            found = inline_code(response)
            assert all(f"'nonce-{nonce}'" in allowed for nonce in found.scripts), (who, path, found.scripts)
            refused = [h for h in found.handlers if sha256(h) not in allowed]
            assert refused == [], (who, path, refused)
            assert found.styles == 0, (who, path, "an inline <style> element")


def test_a_view_the_platform_may_frame_says_so_in_the_policy_too(client, db):
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.views.decorators.clickjacking import xframe_options_sameorigin

    from core.middleware import ContentSecurityPolicyMiddleware

    framed = ContentSecurityPolicyMiddleware(xframe_options_sameorigin(lambda request: HttpResponse("pdf")))
    plain = ContentSecurityPolicyMiddleware(lambda request: HttpResponse("page"))
    assert policy(framed(RequestFactory().get("/x")))["frame-ancestors"] == ["'self'"]
    assert policy(plain(RequestFactory().get("/x")))["frame-ancestors"] == ["'none'"]


def test_graphiql_is_served_under_the_policy(client, db):
    client.force_login(factories.operator("cspgraphiql"))
    response = client.get("/graphql/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and "graphiql-settings.js" in response.content.decode()
    found = inline_code(response)
    assert found.scripts == [] and found.handlers == [] and found.styles == 0
    assert "Content-Security-Policy" in response


def our_templates() -> list[Path]:
    return sorted(
        path
        for directory in OUR_TEMPLATE_DIRS
        for path in directory.rglob("*.html")
        if "templates" in path.parts and not PDF_TEMPLATES.search(path.as_posix())
    )


def test_none_of_our_templates_has_inline_script_handlers_or_style_elements():
    offenders = []
    for path in our_templates():
        source = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)[^>]*>", source):
            offenders.append(f"{path}: inline <script>")
        if re.search(r"\son[a-z]+\s*=\s*['\"]", source):
            offenders.append(f"{path}: inline on…= handler")
        if "<style" in source:
            offenders.append(f"{path}: inline <style>")
    assert offenders == []


def test_production_sends_the_policy():
    script = (
        "from django.conf import settings; from csp.utils import build_policy\n"
        "print('core.middleware.ContentSecurityPolicyMiddleware' in settings.MIDDLEWARE)\n"
        "print(build_policy())\n"
    )
    result = run(["manage.py", "shell", "--no-imports", "-c", script], **PRODUCTION)
    assert result.returncode == 0, result.stderr
    enabled, header = result.stdout.splitlines()[-2:]
    assert enabled == "True"
    assert "default-src 'self'" in header and "frame-ancestors 'none'" in header
