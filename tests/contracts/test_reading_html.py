"""The reading pane shows the contract's text and tables and nothing that could run or load."""

from plugins.contracts.reading_html import reading_html


def test_text_and_tables_survive():
    html = (
        '<h1>购销合同</h1><p class="lead" data-clause="parties">买方：<strong>甲公司</strong> &amp; 乙</p>'
        '<table><thead><tr><th colspan="2">品名</th></tr></thead><tbody><tr><td rowspan="1">螺栓</td>'
        "<td>¥1.50</td></tr></tbody></table><br><hr/>"
    )
    assert reading_html(html) == (
        '<h1>购销合同</h1><p class="lead" data-clause="parties">买方：<strong>甲公司</strong> &amp; 乙</p>'
        '<table><thead><tr><th colspan="2">品名</th></tr></thead><tbody><tr><td rowspan="1">螺栓</td>'
        "<td>¥1.50</td></tr></tbody></table><br><hr>"
    )


def test_scripts_handlers_links_and_embeds_are_dropped():
    html = (
        '<p onclick="steal()" style="background:url(//x)" id="sign-form">正文<script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">链接</a><img src=x onerror=alert(1)><iframe src="//evil">x</iframe>'
        "<style>p{}</style><svg><script>alert(2)</script></svg>&lt;script&gt;"
    )
    cleaned = reading_html(html)
    assert cleaned == "<p>正文</p>链接&lt;script&gt;"
    for bad in ("script>", "onclick", "onerror", "style", "href", "iframe", "svg", "sign-form"):
        assert bad not in cleaned
