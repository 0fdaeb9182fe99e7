"""Contract HTML → A4 PDF with WeasyPrint, and where the signature fields go.

The body is a template version rendered against a snapshot; this module wraps it in the base
document (``templates/contracts/pdf/base.html`` + ``contract.css``): one CJK family on ``@page``
*and* ``html`` because margin boxes do not inherit the body's font (they would fall back to the
Japanese face) — the common cut of the SC face (``fonts.text_font_path``), then the whole face
for a character outside it — the contract number in the header and "第 N 页 / 共 M 页" in the footer.

The signature fields are not placed by guesswork: the elements ``#sig-buyer`` and
``#sig-platform`` are laid out by WeasyPrint like everything else and their boxes are read back
from the pages' anchors (CSS px from the page's top-left), converted to PDF points with the origin
at the bottom-left, so pyHanko's fields land exactly on the blocks the template drew.

Resources are fetched through a fetcher that only serves the extracted font and ``data:`` URLs:
a template can never make the renderer read local files or reach the network.
"""

from __future__ import annotations

import gc
import io
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from .fonts import cjk_font_path, text_font_path

PX_TO_PT = 0.75  # WeasyPrint's CSS px are 1/96 in, PDF points 1/72 in
SIGNATURE_IDS = {"sig-buyer": "buyer", "sig-platform": "platform"}
_CSS = Path(__file__).resolve().parents[1] / "templates" / "contracts" / "pdf" / "contract.css"


@dataclass(frozen=True)
class FieldBox:
    """A signature field: 0-based page, box (x1, y1, x2, y2) in PDF pt, origin bottom-left."""

    name: str
    page: int
    box: tuple[float, float, float, float]


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    fields: tuple[FieldBox, ...]


def _css_string(text: str) -> str:
    """``text`` as the inside of a double-quoted CSS string (quotes, backslashes, newlines)."""
    return "".join(f"\\{ord(c):x} " if c in '"\\\n\r<>' else c for c in text)


def _fetcher(allowed: set[str]):
    from weasyprint.urls import URLFetcher

    class _Fetcher(URLFetcher):
        """Only the font files and inline data: nothing else leaves the process."""

        def fetch(self, url, headers=None):
            if url.startswith("data:") or url in allowed:
                return super().fetch(url, headers)
            raise ValueError(f"resource not allowed in contract PDFs: {url[:80]}")

    return _Fetcher()


_local = threading.local()


def _font_config(fonts: tuple[Path, ...]):
    """A WeasyPrint FontConfiguration kept per thread and per font files.

    Why: a fresh configuration per document re-reads the system fonts into fontconfig and
    copies each 16 MB ``@font-face`` file into a temporary folder before registering it — about
    half of the CPU of rendering a 3-page contract. WeasyPrint keys the faces it registered by
    their descriptors, so a kept configuration serves them without further work. Per thread
    because fontconfig configurations are not meant to be shared between threads.
    """
    from weasyprint.text.fonts import FontConfiguration

    cached = getattr(_local, "font_config", None)
    if cached is None or cached[0] != fonts:
        cached = (fonts, FontConfiguration())
        _local.font_config = cached
    return cached[1]


def _document(body_html: str, *, number: str, title: str):
    from weasyprint import HTML

    fonts = (text_font_path("Regular"), text_font_path("Bold"), cjk_font_path("Regular"), cjk_font_path("Bold"))
    html = render_to_string(
        "contracts/pdf/base.html",
        {
            "title": title,
            "title_css": mark_safe(_css_string(title)),  # noqa: S308 - escaped for a CSS string
            "number_css": mark_safe(_css_string(number)),  # noqa: S308 - escaped for a CSS string
            "regular_url": fonts[0].as_uri(),
            "bold_url": fonts[1].as_uri(),
            "full_regular_url": fonts[2].as_uri(),
            "full_bold_url": fonts[3].as_uri(),
            "css": mark_safe(_CSS.read_text(encoding="utf-8")),  # noqa: S308 - our own file
            "body": mark_safe(body_html),  # noqa: S308 - rendered and autoescaped by the caller
        },
    )
    fetcher = _fetcher({font.as_uri() for font in fonts})
    return HTML(string=html, url_fetcher=fetcher).render(font_config=_font_config(fonts))


@contextmanager
def _without_cyclic_gc():
    """Hold the cyclic garbage collector off while a document is laid out and written.

    Why: rendering allocates hundreds of thousands of objects (boxes, styles, text fragments)
    that live until the PDF is written, which sets off full collections walking them and every
    long-lived object of the process (Django's apps, URLs, templates): measured, 40–350 ms of a
    3-page contract's 0.8–1.2 s of CPU, a quarter on average, by how many fell into the render.
    Reference counting still frees almost everything as it goes; the few cycles (cssselect2's
    element tree) wait for the next collection after the render. The switch is process-wide, so
    it is only turned back on if it was on before.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _write(document) -> bytes:
    out = io.BytesIO()
    document.write_pdf(out)
    return out.getvalue()


def render_contract(body_html: str, *, number: str, title: str) -> Rendered:
    """The contract PDF and its two signature fields ("buyer", "platform") where the blocks are.

    A block missing from the template simply yields no field (the caller decides whether that
    is an error); raises FontMissing when the CJK font is not installed.
    """
    with _without_cyclic_gc():
        document = _document(body_html, number=number, title=title)
        pdf = _write(document)
    fields = []
    for index, page in enumerate(document.pages):
        height_pt = page.height * PX_TO_PT
        for anchor, name in SIGNATURE_IDS.items():
            if anchor in page.anchors and all(f.name != name for f in fields):
                x1, y1, x2, y2 = page.anchors[anchor]
                box = (
                    round(x1 * PX_TO_PT, 2),
                    round(height_pt - y2 * PX_TO_PT, 2),
                    round(x2 * PX_TO_PT, 2),
                    round(height_pt - y1 * PX_TO_PT, 2),
                )
                fields.append(FieldBox(name=name, page=index, box=box))
    fields.sort(key=lambda f: list(SIGNATURE_IDS.values()).index(f.name))
    return Rendered(pdf=pdf, pages=len(document.pages), fields=tuple(fields))


def render_document(body_html: str, *, number: str, title: str) -> bytes:
    """Same page styles, no fields: the evidence report (签署报告) and verification print-outs."""
    with _without_cyclic_gc():
        return _write(_document(body_html, number=number, title=title))
