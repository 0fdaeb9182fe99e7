"""The contract's text for the storefront's reading pane: the HTML the PDF was rendered from,
reduced to an allowlist of text and table elements (pure; no ORM).

A template version is written by operators and rendered with autoescaping, so the buyer's data
in it is already escaped; still, the page the buyer signs from must not run anything a template
brings along. Only structural elements survive, with ``class``, ``colspan``, ``rowspan`` and
``data-*`` attributes; ``script``, ``style``, embedded content and every other element or
attribute (``on*`` handlers, ``style``, ``href``, ``src``, ``id``) are dropped — the elements
with their content where it could run or load something, just the tags otherwise.
"""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser

ALLOWED = frozenset(
    {
        *("h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span", "section", "article", "header", "footer"),
        *("table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col"),
        *("ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "code", "br", "hr"),
        *("strong", "b", "em", "i", "u", "s", "small", "sup", "sub", "del", "ins"),
    }
)
VOID = frozenset({"br", "hr", "col"})
#: dropped together with everything inside them
DROPPED = frozenset({"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math", "head"})
ATTRIBUTES = frozenset({"class", "colspan", "rowspan"})


class _Cleaner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping = 0  # depth inside a dropped element

    def handle_starttag(self, tag, attrs):
        if tag in DROPPED:
            if tag not in VOID:
                self.skipping += 1
            return
        if self.skipping or tag not in ALLOWED:
            return
        kept = "".join(
            f' {name}="{escape(value or "", quote=True)}"'
            for name, value in attrs
            if name in ATTRIBUTES or (name.startswith("data-") and name[5:].replace("-", "").isalnum())
        )
        self.out.append(f"<{tag}{kept}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in DROPPED and tag not in VOID:
            self.skipping -= 1

    def handle_endtag(self, tag):
        if tag in DROPPED:
            self.skipping = max(0, self.skipping - 1)
            return
        if self.skipping or tag not in ALLOWED or tag in VOID:
            return
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if not self.skipping:
            self.out.append(escape(data, quote=False))


def reading_html(html: str) -> str:
    """``html`` with only the allowed elements and attributes (safe to mark safe)."""
    cleaner = _Cleaner()
    cleaner.feed(html or "")
    cleaner.close()
    return "".join(cleaner.out)
