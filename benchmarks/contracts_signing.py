"""Contract PDFs: rendering against signing and verification, in one process, fonts warm.

Per contract size (a 3-page contract of 60 goods lines and a 200-line one), each round times:

- ``render``: render_contract (WeasyPrint, CJK font subset) — the baseline;
- ``B-B``: one signature as the buyer signs it: a fresh event certificate (EC P-256) from the
  dev CA and a PAdES signature with the visible stamp (seal, text, QR) on the prepared PDF;
- ``B-T``: the same with an RFC 3161 timestamp from the in-process TSA (no HTTP, so the figure
  is our cost, not a network's);
- ``B-LT``: B-T plus the CRL/OCSP our CA issues, embedded in the document security store;
- ``verify``: verify_pdf of the document with both signatures (B-B), per signature.

The rounds rotate the order of the cases so drift on the shared machine hits all alike. CPU time
is this process's (``time.process_time``, the steady figure on a shared machine); wall time is
printed as information. p50/p95 of each case, the ratios of the signing cases to rendering
(p50), and the peak Python memory (tracemalloc) of one render + B-B. The targets of issue 10:
render + B-B of a 3-page contract ≤ 1.0 s CPU, B-B ≤ 30 % of rendering, B-T ≤ 60 %,
verification ≤ 100 ms per signature.

    .venv/bin/python benchmarks/contracts_signing.py
    BENCH_RUNS=30 .venv/bin/python benchmarks/contracts_signing.py
"""

import os
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from bench_env import start_django

start_django()

from django.test import override_settings  # noqa: E402

from plugins.contracts.pdf import pki, signing  # noqa: E402
from plugins.contracts.pdf.render import render_contract  # noqa: E402
from plugins.contracts.pdf.verify import verify_pdf  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "15"))
QR_URL = "https://example.com/contracts/verify/HT-20261129-000123"


def body(lines: int) -> str:
    rows = "".join(
        f"<tr><td>{i}</td><td>外六角螺栓 M{i}×30 镀锌</td><td>JG-HB-{i:03d}</td><td>个</td>"
        f"<td class='num'>{i * 10}</td><td class='num'>¥{i}.50</td><td class='num'>13%</td></tr>"
        for i in range(1, lines + 1)
    )
    clauses = "".join(
        f"<h2>第{n}条 {title}</h2><p>{title}：双方应按本合同约定履行义务，任何一方违反约定的，应承担相应的违约责任。</p>"
        for n, title in enumerate(("质量标准", "交货", "包装", "检验", "结算", "违约责任", "争议解决", "其他"), 1)
    )
    return (
        "<h1>购销合同</h1><p>买方：华为技术有限公司，统一社会信用代码：914403001922038216</p>"
        "<p>卖方：链采通供应链管理有限公司，统一社会信用代码：913101150000XGN437</p>"
        # column widths as the standard texts set them (tables lay out by fixed widths)
        "<table><thead><tr><th style='width:5%'>序号</th><th style='width:26%'>品名</th>"
        "<th style='width:17%'>型号</th><th style='width:6%'>单位</th><th style='width:8%'>数量</th>"
        "<th style='width:10%'>单价</th><th style='width:8%'>税率</th>"
        f"</tr></thead><tbody>{rows}</tbody></table>{clauses}"
        '<div class="signatures"><div class="signature"><p>买方（盖章）</p><div id="sig-buyer"></div></div>'
        '<div class="signature"><p>卖方（盖章）</p><div id="sig-platform"></div></div></div>'
    )


def timed(action) -> tuple[float, float, object]:
    start, cpu = time.perf_counter(), time.process_time()
    result = action()
    return time.process_time() - cpu, time.perf_counter() - start, result


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def main() -> None:
    pki_dir = Path(tempfile.mkdtemp(prefix="contracts-bench-pki-"))
    pki.ensure_dev_pki(pki_dir)
    seal = signing.generated_seal_png("华为技术有限公司")
    stamp = signing.Stamp(seal, ("签署人：张三", "华为技术有限公司", "2026-11-29 16:00（北京时间）"), QR_URL)
    settings = {"CONTRACTS_PKI_DIR": str(pki_dir), "CONTRACTS_CA_P12": "", "CONTRACTS_PLATFORM_P12": ""}

    def buyer_sign(prepared: bytes, tsa: str, lt: bool = True) -> bytes:
        with override_settings(CONTRACTS_TSA_URL=tsa, CONTRACTS_LT=lt):
            identity = pki.issue_event_certificate(
                person="张三", email="zs@example.com", company="华为技术有限公司", uscc="914403001922038216"
            )
            signed, _level = signing.sign(
                prepared, field="buyer", identity=identity, stamp=stamp, reason="买方签署", location="上海"
            )
            return signed

    print(f"contracts signing benchmark: {RUNS} rounds per size, CPU ms (process time), fonts warm\n")
    with override_settings(**settings):
        for lines in (60, 200):
            html = body(lines)
            rendered = render_contract(html, number="HT-20261129-000123", title="购销合同")  # warm
            prepared = signing.prepare(rendered)
            two = signing.sign(
                buyer_sign(prepared, ""),
                field="platform",
                identity=pki.platform_identity(),
                stamp=stamp,
                reason="平台盖章",
                location="上海",
            )[0]
            for tsa in ("", "internal"):
                buyer_sign(prepared, tsa)  # warm the stamp font and the TSA key
            cases = {
                "render": lambda html=html: render_contract(html, number="HT-20261129-000123", title="购销合同"),
                "B-B": lambda prepared=prepared: buyer_sign(prepared, ""),
                "B-T": lambda prepared=prepared: buyer_sign(prepared, "internal", lt=False),
                "B-LT": lambda prepared=prepared: buyer_sign(prepared, "internal"),
                "verify (2 sigs)": lambda two=two: verify_pdf(two),
            }
            cpu = {name: [] for name in cases}
            wall = {name: [] for name in cases}
            names = list(cases)
            for n in range(RUNS):
                for name in names[n % len(names) :] + names[: n % len(names)]:
                    c, w, _ = timed(cases[name])
                    cpu[name].append(c)
                    wall[name].append(w)
            assert verify_pdf(two).ok
            tracemalloc.start()
            signing.prepare(render_contract(html, number="HT-20261129-000123", title="购销合同"))
            buyer_sign(prepared, "")
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()

            base = statistics.median(cpu["render"])
            print(f"{lines} goods lines, {rendered.pages} pages, {len(two) // 1024} KiB signed")
            print(f"  {'case':<16}{'CPU p50':>9}{'CPU p95':>9}{'wall p50':>10}{'/render':>9}")
            for name in names:
                per = 2 if name.startswith("verify") else 1
                ratio = statistics.median(cpu[name]) / per / base
                print(
                    f"  {name:<16}{pct(cpu[name], 0.5) / per:>9.0f}{pct(cpu[name], 0.95) / per:>9.0f}"
                    f"{pct(wall[name], 0.5) / per:>10.0f}{ratio:>9.2f}" + ("  (per signature)" if per == 2 else "")
                )
            render_bb = [r + b for r, b in zip(cpu["render"], cpu["B-B"], strict=True)]
            print(
                f"  render + B-B: CPU p50 {pct(render_bb, 0.5):.0f} ms, p95 {pct(render_bb, 0.95):.0f} ms; "
                f"peak Python memory of one render + prepare + B-B {peak:.1f} MiB\n"
            )


if __name__ == "__main__":
    main()
