"""Red-line: what changed between two texts, as HTML with <del> and <ins>.

Text-level, not markup-level: both sides are reduced to their text (tags dropped, entities
decoded, block ends as line breaks, whitespace runs as one space), then compared. Chinese has no
spaces between words, so the unit of comparison is a run of characters of one class — a run of
CJK characters is split into single characters (so 三十日 → 十五日 marks 三 and 五, not the
clause), a run of Latin letters or digits stays one token (so 13% → 9% marks the number), and
every other character is its own token. Every piece of text is escaped: the result is safe to
put on a page as it is.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from html import escape
from html.parser import HTMLParser

_BLOCKS = frozenset(
    ["p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "br", "table", "section", "article", "ol", "ul"]
)
_SKIP = frozenset(("script", "style"))
_TOKEN = re.compile(r"[A-Za-z0-9.,%¥￥_\-/]+|\n|[ \t]+|.", re.S)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self._skip += 1
        elif tag in ("br", "td", "th"):
            self.parts.append("\n" if tag == "br" else " ")

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def text_of(html: str) -> str:
    """The text of an HTML fragment: tags dropped, one line per block, spaces collapsed."""
    parser = _Text()
    parser.feed(html or "")
    parser.close()
    lines = (re.sub(r"[ \t\r\f\v\u3000\xa0]+", " ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _wrap(tag: str, pieces: list[str]) -> str:
    text = "".join(pieces)
    return f"<{tag}>{escape(text)}</{tag}>" if text else ""


def redline(old: str, new: str) -> str:
    """The text of ``new`` with what ``old`` had and ``new`` has not in <del>, what ``new`` adds in
    <ins>; line breaks as <br>. Both are HTML fragments (plain text works too)."""
    a, b = tokens(text_of(old)), tokens(text_of(new))
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
        else:
            out.append(_wrap("del", a[i1:i2]))
            out.append(_wrap("ins", b[j1:j2]))
    return "".join(out).replace("\n", "<br>\n")


def changed(old: str, new: str) -> bool:
    return text_of(old) != text_of(new)


def escape_source(source: str) -> str:
    """Template source as text to compare (its markup shown, not interpreted)."""
    return escape(source or "").replace("\n", "<br>")
