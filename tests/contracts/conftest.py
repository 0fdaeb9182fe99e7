"""Shared fixtures of the contracts tests: a development PKI in a temporary directory (created
once per session, pointed at by CONTRACTS_PKI_DIR per test), a loopback RFC 3161 TSA, and one
rendered sample contract (rendering is the slow part, so the PDF tests share it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings

from tests.contracts.tsa import loopback_tsa

SIGNATURES = """
<div class="signatures">
  <div class="signature"><p>买方（盖章）：{buyer}</p><div id="sig-buyer"></div></div>
  <div class="signature"><p>卖方（盖章）：{platform}</p><div id="sig-platform"></div></div>
</div>"""


def contract_body(
    lines: int = 60, *, buyer: str = "华为技术有限公司", platform: str = "链采通供应链管理有限公司"
) -> str:
    """A contract-like fragment: parties, a table of ``lines`` goods lines, clauses, the two
    signature blocks (60 lines make three A4 pages)."""
    rows = "".join(
        f"<tr><td>{i}</td><td>外六角螺栓 M{i}×30</td><td>JG-HB-{i:03d}</td><td>个</td>"
        f"<td class='num'>{i * 10}</td><td class='num'>¥{i}.50</td></tr>"
        for i in range(1, lines + 1)
    )
    return (
        "<h1>购销合同</h1>"
        f"<p>买方：{buyer}，统一社会信用代码：914403001922038216</p>"
        f"<p>卖方：{platform}，统一社会信用代码：913101150000XGN437</p>"
        # column widths as the standard texts set them (tables lay out by fixed widths)
        "<table><thead><tr><th style='width:5%'>序号</th><th style='width:28%'>品名</th>"
        "<th style='width:18%'>型号</th><th style='width:7%'>单位</th><th style='width:10%'>数量</th>"
        "<th style='width:12%'>单价</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        "<h2>争议解决</h2><p>因本合同引起的争议，提交卖方所在地有管辖权的人民法院诉讼解决。</p>"
        "<p>签订地点：上海市浦东新区</p>" + SIGNATURES.format(buyer=buyer, platform=platform)
    )


@pytest.fixture(scope="session")
def pki_dir(tmp_path_factory) -> Path:
    from plugins.contracts.pdf import pki

    directory = tmp_path_factory.mktemp("pki")
    pki.ensure_dev_pki(directory)
    return directory


@pytest.fixture
def dev_pki(pki_dir, settings) -> Path:
    """The session's dev PKI as CONTRACTS_PKI_DIR, no PKCS#12, no timestamper (B-B)."""
    settings.CONTRACTS_PKI_DIR = str(pki_dir)
    settings.CONTRACTS_CA_P12 = settings.CONTRACTS_PLATFORM_P12 = ""
    settings.CONTRACTS_TSA_URL = ""
    return pki_dir


@pytest.fixture(scope="session")
def _tsa_server(pki_dir):
    from plugins.contracts.pdf import pki

    with override_settings(CONTRACTS_PKI_DIR=str(pki_dir), CONTRACTS_CA_P12="", CONTRACTS_PLATFORM_P12=""):
        tsa = pki.tsa_identity()
    with loopback_tsa(tsa.cert, tsa.key, tsa.chain) as (url, server):
        yield url, server


@pytest.fixture
def tsa_url(dev_pki, _tsa_server, settings) -> str:
    """A loopback RFC 3161 TSA configured as CONTRACTS_TSA_URL (B-T and above)."""
    url, server = _tsa_server
    settings.CONTRACTS_TSA_URL = url
    server.requests.clear()
    return url


@pytest.fixture(scope="session")
def rendered():
    """One 3-page sample contract, rendered once per session."""
    from plugins.contracts.pdf.render import render_contract

    return render_contract(contract_body(), number="HT-20261129-000123", title="购销合同")


@pytest.fixture(scope="session")
def seal_png() -> bytes:
    from plugins.contracts.pdf.signing import generated_seal_png

    return generated_seal_png("华为技术有限公司")


@pytest.fixture(autouse=True)
def contracts_for_new_orders(settings):
    """Here every new order of a company on the per-order policy gets its contract, as in
    production (the tests of other features leave it off to stay fast)."""
    settings.CONTRACTS_FOR_NEW_ORDERS = True


@pytest.fixture(autouse=True)
def english_messages():
    """Services' refusals are read in English here (requests still speak the visitor's language)."""
    from django.utils import translation

    with translation.override("en"):
        yield
