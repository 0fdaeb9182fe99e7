"""Rendering: real Chinese text, embedded subset fonts, header and page numbers on every page,
signature fields where the blocks are, FontMissing when the font package is absent."""

from __future__ import annotations

import gc
import re
import subprocess

import pytest
from fontTools.ttLib import TTFont

from plugins.contracts.pdf.fonts import FontMissing, cjk_font_path, stamp_font_path, text_font_path
from plugins.contracts.pdf.render import render_contract, render_document

A4_PT = (595.28, 841.89)


def _run(*args: str, data: bytes) -> str:
    return subprocess.run([*args], input=data, capture_output=True, check=True).stdout.decode()  # noqa: S603


def _text(pdf: bytes, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return _run("pdftotext", "-layout", *pages, "-", "-", data=pdf)


def test_chinese_is_real_text(rendered):
    text = _text(rendered.pdf)
    for phrase in ("购销合同", "华为技术有限公司", "外六角螺栓", "争议解决", "签订地点：上海市浦东新区"):
        assert phrase in text


def test_fonts_are_embedded_subsets(rendered, tmp_path):
    path = tmp_path / "c.pdf"
    path.write_bytes(rendered.pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout.decode()  # noqa: S607
    rows = out.splitlines()[2:]
    assert rows
    for row in rows:
        name, *_middle, emb, sub, _uni, _obj, _gen = row.split()
        assert re.fullmatch(r"[A-Z]{6}\+.+", name), row  # subset tag
        assert (emb, sub) == ("yes", "yes"), row


def test_header_and_page_numbers_on_every_page(rendered):
    assert rendered.pages == 3
    for page in range(1, rendered.pages + 1):
        text = _text(rendered.pdf, page)
        assert "合同编号：HT-20261129-000123" in text
        # pdftotext drops the thin spaces between CJK glyphs and digits: compare without spaces
        assert f"第{page}页/共{rendered.pages}页" in re.sub(r"\s", "", text)


def test_page_size_is_a4(rendered):
    out = subprocess.run(["pdfinfo", "-"], input=rendered.pdf, capture_output=True, check=True).stdout.decode()  # noqa: S607
    width, height = (float(v) for v in re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", out).groups())
    assert (round(width), round(height)) == (595, 842)


def test_field_boxes_sit_on_the_signature_blocks(rendered):
    fields = {f.name: f for f in rendered.fields}
    assert set(fields) == {"buyer", "platform"}
    buyer, platform = fields["buyer"], fields["platform"]
    assert buyer.page == platform.page == rendered.pages - 1
    for field in (buyer, platform):
        x1, y1, x2, y2 = field.box
        # the CSS size of #sig-buyer / #sig-platform: 78 mm × 36 mm (+ 0.5 pt borders)
        assert x2 - x1 == pytest.approx(78 / 25.4 * 72 + 1, abs=1.5)
        assert y2 - y1 == pytest.approx(36 / 25.4 * 72 + 1, abs=1.5)
        assert 0 < x1 < x2 < A4_PT[0] and 0 < y1 < y2 < A4_PT[1]
    assert buyer.box[2] < platform.box[0]  # side by side, buyer on the left
    # the labels printed right above each block (pdftotext's boxes: pt from the top-left)
    html = _run("pdftotext", "-bbox", "-f", str(buyer.page + 1), "-l", str(buyer.page + 1), "-", "-", data=rendered.pdf)
    for label, field in (("买方（盖章）", buyer), ("卖方（盖章）", platform)):
        match = re.search(rf'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="[\d.]+" yMax="([\d.]+)">{label}', html)
        assert match, label
        x_min, y_max = float(match[1]), float(match[2])
        top_from_top = A4_PT[1] - field.box[3]
        assert x_min == pytest.approx(field.box[0], abs=2)
        assert 0 <= top_from_top - y_max < 15


def test_render_document_has_the_page_styles_and_no_fields():
    pdf = render_document('<h1>签署报告</h1><p>存证 "引号" \\ 反斜杠</p>', number='HT-"1"', title="签署报告")
    text = _text(pdf)
    assert "签署报告" in text and '合同编号：HT-"1"' in text and "第1页/共1页" in re.sub(r"\s", "", text)


def test_body_cannot_fetch_local_files(tmp_path):
    secret = tmp_path / "secret.css"
    secret.write_text("body { background: red }")
    pdf = render_document(f'<link rel="stylesheet" href="{secret.as_uri()}"><p>正文</p>', number="X", title="T")
    assert "正文" in _text(pdf)


def test_font_is_the_sc_face_and_cached():
    path = cjk_font_path()
    assert path == cjk_font_path() and path.suffix == ".otf"
    assert TTFont(str(path), lazy=True)["name"].getDebugName(1) == "Noto Sans CJK SC"
    assert stamp_font_path("张三 2026-11-29") != path  # the GB 2312 subset
    assert stamp_font_path("签署人：李堃") == path  # 堃 is outside GB 2312: the whole face


def _font_names(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout.decode()  # noqa: S607
    return [row.split()[0].split("+", 1)[1] for row in out.splitlines()[2:]]


def test_body_uses_the_common_cut_and_the_whole_face_only_for_a_rare_character(tmp_path):
    cut = TTFont(str(text_font_path()), lazy=True)
    assert cut["name"].getDebugName(1) == "Noto Sans CJK SC"
    cmap = cut.getBestCmap()
    assert all(ord(c) in cmap for c in "购销合同¥≥×（）：〇㈠①")
    assert ord("堃") not in cmap and len(cmap) < len(TTFont(str(cjk_font_path()), lazy=True).getBestCmap()) / 4
    common = render_document("<p>买方：李明 ¥1,409.50 ≥10</p>", number="HT-1", title="购销合同")
    assert _font_names(common, tmp_path) == ["ContractCJK"]
    rare = render_document("<p>买方：李堃</p>", number="HT-1", title="购销合同")
    assert "李堃" in _text(rare)
    assert sorted(_font_names(rare, tmp_path)) == ["ContractCJK", "ContractCJKFull"]


def test_rendering_leaves_the_garbage_collector_as_it_found_it(settings, tmp_path):
    render_document("<p>合同</p>", number="HT-1", title="购销合同")
    assert gc.isenabled()
    gc.disable()
    try:
        render_document("<p>合同</p>", number="HT-1", title="购销合同")
        assert not gc.isenabled()  # someone else's choice, left alone
    finally:
        gc.enable()
    settings.CONTRACTS_FONT_CACHE = str(tmp_path / "fonts")
    settings.CONTRACTS_CJK_COLLECTIONS = {"Regular": str(tmp_path / "absent.ttc"), "Bold": str(tmp_path / "absent.ttc")}
    with pytest.raises(FontMissing):
        render_contract("<p>合同</p>", number="HT-1", title="购销合同")
    assert gc.isenabled()


def test_missing_font_is_a_clear_error(settings, tmp_path):
    settings.CONTRACTS_FONT_CACHE = str(tmp_path / "fonts")
    settings.CONTRACTS_CJK_COLLECTIONS = {"Regular": str(tmp_path / "absent.ttc"), "Bold": str(tmp_path / "absent.ttc")}
    with pytest.raises(FontMissing, match="fonts-noto-cjk"):
        render_contract("<p>合同</p>", number="HT-1", title="购销合同")


def test_broken_font_is_a_clear_error(settings, tmp_path):
    broken = tmp_path / "broken.ttc"
    broken.write_bytes(b"not a font")
    settings.CONTRACTS_FONT_CACHE = str(tmp_path / "fonts")
    settings.CONTRACTS_CJK_COLLECTIONS = {"Regular": str(broken), "Bold": str(broken)}
    with pytest.raises(FontMissing, match="fonts-noto-cjk"):
        cjk_font_path()
