"""A template version rendered against a contract's snapshot: the contract's HTML body.

The version's text is Django template language compiled from a string by the project's Django
engine (its filters and tags, e.g. ``{% load i18n %}``), autoescaped: a company name such as
``<b>某某</b>`` is printed as text, never as markup. A syntax error, an unknown tag or filter, or
an error while rendering is a ValidationError saying what and where, in the user's language.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.template import Context, TemplateSyntaxError, engines
from django.template.base import Lexer, TokenType
from django.utils.translation import gettext as _

#: tags a contract text may not use: its text is the version's own (nothing pulled in from files
#: that may change later), and it prints nothing of the server (``debug``)
FORBIDDEN_TAGS = frozenset({"include", "extends", "debug", "ssi", "templatetag_file"})
#: the tag libraries a contract text may load
ALLOWED_LIBRARIES = frozenset({"i18n", "l10n", "humanize", "tz"})


def _engine():
    return engines["django"].engine


def check_tags(text: str) -> None:
    """Refuse the tags and libraries a contract text may not use, naming the line."""
    for token in Lexer(text or "").tokenize():
        if token.token_type != TokenType.BLOCK:
            continue
        bits = token.split_contents()
        if not bits:
            continue
        name = bits[0]
        bad = None
        if name in FORBIDDEN_TAGS:
            bad = name
        elif name == "load":
            libraries = [b for b in bits[1:] if b != "from"]
            if "from" in bits:
                libraries = [bits[-1]]
            bad = next((lib for lib in libraries if lib not in ALLOWED_LIBRARIES), None)
            if bad:
                bad = f"load {bad}"
        if bad:
            raise ValidationError(
                _("The template text may not use {%% %(tag)s %%} (line %(line)s).") % {"tag": bad, "line": token.lineno}
            )


def compile_body(text: str):
    """The compiled template of ``text``, or a ValidationError naming the error and its line."""
    check_tags(text)
    try:
        return _engine().from_string(text or "")
    except TemplateSyntaxError as exc:
        raise ValidationError(_("The template text has an error: %(error)s") % {"error": _describe(exc)}) from exc


def render_text(text: str, snapshot: dict) -> str:
    template = compile_body(text)
    try:
        return template.render(Context(dict(snapshot), autoescape=True))
    except ValidationError:
        raise
    except Exception as exc:  # a filter or tag failing on the snapshot's data
        raise ValidationError(_("The template could not be rendered: %(error)s") % {"error": _describe(exc)}) from exc


def render_body(version, snapshot: dict) -> str:
    """The HTML body of a contract: ``version``'s text rendered against ``snapshot``."""
    return render_text(version.body, snapshot)


def _describe(exc: Exception) -> str:
    info = getattr(exc, "template_debug", None)
    message = str(exc) or exc.__class__.__name__
    if info and info.get("line"):
        return _("%(message)s (line %(line)s)") % {"message": message, "line": info["line"]}
    return message
