"""Red-line (plugins.contracts.redline): text-level, by character runs for Chinese, escaped."""

from plugins.contracts.redline import redline, text_of, tokens


def test_chinese_changes_by_character():
    out = redline("<p>买方应在三十日内付款。</p>", "<p>买方应在十五日内付款。</p>")
    assert out == "买方应在<del>三</del>十<ins>五</ins>日内付款。"


def test_numbers_and_latin_runs_are_one_token():
    assert tokens("税率13%，型号M8×30") == ["税率"[0], "税率"[1], "13%", "，", "型", "号", "M8", "×", "30"]
    out = redline("税率13%", "税率9%")
    assert out == "税率<del>13%</del><ins>9%</ins>"


def test_markup_is_not_compared_and_text_is_escaped():
    old = '<p class="a">甲方 &amp; 乙方</p>'
    new = '<div class="b"><p>甲方 &amp; 乙方 &lt;script&gt;</p></div>'
    out = redline(old, new)
    assert out == "甲方 &amp; 乙方<ins> &lt;script&gt;</ins>"
    assert "<script>" not in redline("<p>a</p>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")


def test_blocks_become_lines():
    assert text_of("<h2>第一条</h2><p>内容</p><style>p{}</style>") == "第一条\n内容"
    assert redline("<p>一</p><p>二</p>", "<p>一</p><p>三</p>") == "一<br>\n<del>二</del><ins>三</ins>"


def test_same_text_has_no_marks():
    body = "<p>本合同以中文书就。</p>"
    assert "<del>" not in redline(body, body) and "<ins>" not in redline(body, body)


def test_deleted_and_inserted_clauses():
    out = redline("<p>第一条</p><p>第二条 包装</p>", "<p>第一条</p>")
    assert "<del>" in out and "包装" in out and "<ins>" not in out
