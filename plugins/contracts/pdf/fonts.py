"""The CJK font for contract PDFs and stamps.

Debian ships Noto Sans CJK as ``.ttc`` collections. WeasyPrint could pick the face through
fontconfig, but pyHanko's stamp text (``GlyphAccumulatorFactory``) cannot open a collection and
Pillow needs a face index, so one face — the Simplified Chinese one, whose glyph shapes are the
mainland standard (the JP face, first in the collection, is what fontconfig falls back to) — is
extracted once with fontTools into ``settings.CONTRACTS_FONT_CACHE`` and that single file is used
everywhere: the PDF body, the margin boxes, the stamps and the generated seal. The extracted file
is a cache, never committed; a missing source font is a :class:`FontMissing` whose message says
what to install.
"""

from __future__ import annotations

import functools
import os
import tempfile
import threading
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

# Debian's fonts-noto-cjk; a setting can point elsewhere (tests point it at nothing)
DEFAULT_COLLECTIONS = {
    "Regular": "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "Bold": "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
}
FAMILY = "Noto Sans CJK SC"
_lock = threading.Lock()


class FontMissing(Exception):
    """The CJK font cannot be found or extracted; the message is for people (gettext)."""


def _collection(style: str) -> Path:
    configured = getattr(settings, "CONTRACTS_CJK_COLLECTIONS", None) or {}
    return Path(configured.get(style) or DEFAULT_COLLECTIONS[style])


def cjk_font_path(style: str = "Regular") -> Path:
    """The extracted SC face (OTF) for ``style`` ("Regular" or "Bold"), extracting it at first use.

    The file name carries the source's size and mtime so an upgraded font package is
    re-extracted rather than served stale; the write goes through a temporary file and a rename
    so a concurrent worker never reads half a font.
    """
    if style not in DEFAULT_COLLECTIONS:
        raise ValueError(style)
    source = _collection(style)
    try:
        stat = source.stat()
    except OSError as exc:
        raise FontMissing(
            _(
                "The Chinese font %(path)s is missing: install the package fonts-noto-cjk "
                "(apt-get install fonts-noto-cjk) to create contract PDFs."
            )
            % {"path": source}
        ) from exc
    cache = Path(settings.CONTRACTS_FONT_CACHE)
    target = cache / f"NotoSansCJKsc-{style}-{stat.st_size}-{int(stat.st_mtime)}.otf"
    if target.exists():
        return target
    with _lock:
        if target.exists():
            return target
        _extract(source, target)
    return target


def _extract(source: Path, target: Path) -> None:
    from fontTools.ttLib import TTCollection

    try:
        collection = TTCollection(str(source), lazy=True)
        face = next(f for f in collection.fonts if f["name"].getDebugName(1) == FAMILY)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".otf.part")
        os.close(fd)
        try:
            face.save(tmp)
            os.chmod(tmp, 0o644)  # mkstemp makes it 0600; other workers' users read it too
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except Exception as exc:  # noqa: BLE001 - fontTools raises many kinds
        raise FontMissing(
            _(
                "The Chinese font could not be extracted from %(path)s: reinstall the package "
                "fonts-noto-cjk (apt-get install --reinstall fonts-noto-cjk)."
            )
            % {"path": source}
        ) from exc


@functools.cache
def _stamp_charset() -> frozenset[int]:
    """ASCII, CJK punctuation, full-width forms and the 7,445 characters of GB 2312: what
    names, company names and dates on a stamp almost always use."""
    chars = set(range(0x20, 0x7F)) | set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


def stamp_font_path(text: str = "") -> Path:
    """The font for a signature stamp's text: a GB 2312 subset of the SC face when it covers
    ``text``, else the whole face.

    Why: pyHanko subsets the stamp font at every signature, and subsetting the whole 65,000-glyph
    face costs over a second of CPU per signature; the 1.5 MB GB 2312 subset takes ~0.1 s. A rare
    character in a name (outside GB 2312) still prints, through the slow path.
    """
    full = cjk_font_path("Regular")
    if any(ord(c) not in _stamp_charset() for c in text if not c.isspace()):
        return full
    target = full.with_name(full.stem + "-gb2312.otf")
    if target.exists():
        return target
    with _lock:
        if not target.exists():
            _subset(full, target, _stamp_charset())
    return target


def stamp_font_cut(text: str) -> bytes:
    """The stamp font cut to exactly the characters of ``text`` (an OTF in memory).

    Why: pyHanko parses the stamp font and subsets it with fontTools at every signature, and
    that work follows the size of the face: ~0.1 s of CPU for the 7,445-glyph GB 2312 cut, a
    few ms for the few dozen glyphs a stamp prints. HarfBuzz cuts them out of the same face
    (``stamp_font_path``) in milliseconds, keeping the glyphs' outlines, CIDs and names.
    """
    return _cut(str(stamp_font_path(text)), frozenset(ord(c) for c in text))


@functools.lru_cache(maxsize=64)
def _cut(source: str, chars: frozenset[int]) -> bytes:
    import uharfbuzz as hb

    request = hb.SubsetInput()
    for char in chars:
        request.unicode_set.add(char)
    return hb.subset(_hb_face(source), request).blob.data


@functools.cache
def _hb_face(source: str):
    """A HarfBuzz face per font file (its path carries size and mtime, so never stale);
    read-only after creation, which HarfBuzz allows to share between threads."""
    import uharfbuzz as hb

    return hb.Face(hb.Blob.from_file_path(source))


@functools.cache
def _text_charset() -> frozenset[int]:
    """The stamp's characters plus Latin-1 (¥ ×), general punctuation, letterlike symbols and
    number forms, arrows, mathematical operators (≥ ≤), enclosed numerals, box drawing and
    geometric shapes, enclosed CJK (㈠): what the text of a contract uses."""
    extra = [(0xA0, 0x100), (0x2000, 0x2070), (0x2100, 0x2200), (0x2200, 0x2300), (0x2460, 0x2700), (0x3200, 0x3300)]
    return _stamp_charset() | frozenset(c for low, high in extra for c in range(low, high))


def text_font_path(style: str = "Regular") -> Path:
    """The contract body's font: the SC face of ``style`` cut to ``_text_charset`` (keeping its
    layout features), with the whole face as the CSS fallback for a rare character.

    Why: WeasyPrint subsets every embedded font at every PDF it writes, and the cost follows the
    size of the face, not of the document: with the whole 65,000-glyph faces, laying out and
    writing a 3-page contract took ~0.2 s more CPU than with these ~7,900-glyph cuts.
    """
    full = cjk_font_path(style)
    target = full.with_name(full.stem + "-text.otf")
    if target.exists():
        return target
    with _lock:
        if not target.exists():
            _harfbuzz_subset(full, target, _text_charset())
    return target


def _harfbuzz_subset(source: Path, target: Path, chars: frozenset[int]) -> None:
    """HarfBuzz's subsetter (a quarter of a second, where fontTools takes tens of seconds on
    this face), keeping the layout features text shaping uses."""
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(str(source)))
    request = hb.SubsetInput()
    for char in chars:
        request.unicode_set.add(char)
    _write_atomically(target, hb.subset(face, request).blob.data)


def _write_atomically(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".otf.part")
    os.close(fd)
    try:
        Path(tmp).write_bytes(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _subset(source: Path, target: Path, chars: frozenset[int]) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    font = TTFont(str(source))
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=chars)
    subsetter.subset(font)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".otf.part")
    os.close(fd)
    try:
        font.save(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
