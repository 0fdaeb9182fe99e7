"""The standard contract texts lay their two signature blocks out as a table
(``<table class="signatures">``, one column per party). The base stylesheet's flex layout is for
the evidence report's ``div.signatures`` only: applied to the table too it shrank the table to
its content, and the two parties' signature fields, drawn at a fixed 78 mm, overlapped on the
left half of the page. Rendered from the shipped framework agreement's own markup and styles."""

import re
from pathlib import Path

from plugins.contracts.pdf.render import render_contract

A4_WIDTH_PT = 595.28
FRAMEWORK = Path(__file__).resolve().parents[2] / "plugins" / "contracts" / "default_templates" / "framework.html"


def _signature_part() -> str:
    text = FRAMEWORK.read_text(encoding="utf-8")
    styles = "\n".join(line for line in text.splitlines() if "signatures" in line and "{" in line)
    table = re.search(r'<table class="signatures">.*?</table>', text, re.S).group(0)
    table = table.replace("{{ buyer.legal_name }}", "华为技术有限公司").replace(
        "{{ seller.legal_name }}", "链采通供应链管理有限公司"
    )
    return f'<style>{styles}</style><div class="contract"><p>（以下无正文）</p>{table}</div>'


def test_the_standard_texts_signature_table_puts_the_parties_side_by_side_without_overlap():
    rendered = render_contract(_signature_part(), number="HT-20261129-000124", title="框架协议")
    fields = {f.name: f.box for f in rendered.fields}
    buyer, platform = fields["buyer"], fields["platform"]
    assert buyer[2] < platform[0]  # the buyer's field ends before the platform's begins
    assert platform[0] > A4_WIDTH_PT / 2  # the platform's column is the right half of the page
    assert buyer[1] == platform[1]  # on one line
