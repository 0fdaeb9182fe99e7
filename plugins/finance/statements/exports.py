"""A statement as XLSX, CSV and a Chinese PDF.

The figures are the frozen ones of the statement; the lines are the party's journal entries
dated in the period, read from the ledger in one streamed query (``iterator``), so a year of a
busy company's entries is never held in memory at once (CSV streams to the client; XLSX is
written by openpyxl's write-only workbook).

Spreadsheet safety: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is prefixed with ``'`` so that no spreadsheet program runs it as a formula (amounts are
written as numbers, which never are).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.money import from_fen
from core.tabular import safe_cell as safe
from plugins.finance import chart
from plugins.finance.models import Statement
from plugins.finance.services.statements import party_entries

COMPANY_LABELS = {
    "opening": gettext_lazy("Opening balance"),
    "orders": gettext_lazy("Orders"),
    "points": gettext_lazy("Paid with points"),
    "cancellations": gettext_lazy("Cancellations"),
    "receipts": gettext_lazy("Receipts"),
    "refunds": gettext_lazy("Refunds"),
    "refunds_paid": gettext_lazy("Refunds paid out"),
    "write_offs": gettext_lazy("Write-offs"),
    "other": gettext_lazy("Other adjustments"),
    "closing": gettext_lazy("Closing balance"),
    "unapplied_closing": gettext_lazy("Unapplied receipts"),
    "credit_used": gettext_lazy("Credit used"),
    "credit_repaid": gettext_lazy("Credit repaid"),
    "credit_closing": gettext_lazy("Credit outstanding"),
    "invoiced": gettext_lazy("Invoiced in the period"),
    "uninvoiced": gettext_lazy("Not invoiced yet"),
}
SUPPLIER_LABELS = {
    "opening": gettext_lazy("Opening balance"),
    "payables": gettext_lazy("Payables"),
    "clawbacks": gettext_lazy("Clawbacks"),
    "payouts": gettext_lazy("Payouts"),
    "other": gettext_lazy("Other adjustments"),
    "closing": gettext_lazy("Closing balance"),
    "goods": gettext_lazy("Goods settled"),
    "commission": gettext_lazy("Commission"),
}


def labels_of(statement: Statement) -> dict:
    return COMPANY_LABELS if statement.company_id else SUPPLIER_LABELS


def summary(statement: Statement) -> list[tuple[str, str, Decimal]]:
    """(key, label, yuan) of the frozen figures, in the statement's order."""
    return [(key, str(label), from_fen(statement.figures.get(key, 0))) for key, label in labels_of(statement).items()]


def party_name(statement: Statement) -> str:
    return statement.company.legal_name if statement.company_id else statement.supplier.name


def rows(statement: Statement) -> Iterator[list]:
    """Every row of the export: the heading, the figures, then the period's entries."""
    kinds = {kind: str(label) for kind, label in chart.KINDS}  # translated once, not per line
    yield [_("Statement"), statement.number]
    yield [_("Counterparty"), party_name(statement)]
    yield [_("Period"), f"{statement.period_start:%Y-%m-%d} – {statement.period_end:%Y-%m-%d}"]
    yield [_("State"), str(statement.get_state_display())]
    yield []
    yield [_("Item"), _("Amount (yuan)")]
    for _key, label, yuan in summary(statement):
        yield [label, yuan]
    yield []
    yield [_("Date"), _("Kind"), _("Order"), _("Supplier order"), _("Memo"), _("Amount (yuan)"), _("Refund paid")]
    for line in party_entries(statement).iterator(chunk_size=2000):
        yield [
            f"{line['posted_on']:%Y-%m-%d}",
            kinds.get(line["kind"], line["kind"]),
            line["order_number"],
            line["supplier_order_number"],
            line["memo"],
            from_fen(line["effect"] or 0),
            from_fen(-(line["paid"] or 0)),
        ]


class _Echo:
    def write(self, value):
        return value


def csv_stream(statement: Statement) -> Iterator[str]:
    """The CSV, line by line (UTF-8 with a BOM so that spreadsheet programs read the Chinese)."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows(statement):
        yield writer.writerow([safe(v) for v in row])


def xlsx_bytes(statement: Statement) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=statement.number[:31])
    for row in rows(statement):
        sheet.append([float(v) if isinstance(v, Decimal) else safe(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf_bytes(statement: Statement) -> bytes:
    """The statement as an A4 PDF in Chinese (WeasyPrint; the CJK font of the contracts plugin
    when it is installed, else fontconfig's Noto Sans CJK SC)."""
    from django.apps import apps
    from django.template.loader import render_to_string
    from django.utils import translation
    from weasyprint import HTML

    font_url = ""
    if apps.is_installed("plugins.contracts"):
        try:
            from plugins.contracts.pdf.fonts import cjk_font_path

            font_url = cjk_font_path().as_uri()
        except Exception:  # no font file here: fontconfig's family below
            font_url = ""
    with translation.override("zh-hans"):
        lines = list(
            rows(statement)
        )[  # the heading and summary are above the blank line before the entries
            len(labels_of(statement)) + 8 :
        ]
        html = render_to_string(
            "finance/statements/pdf.html",
            {
                "s": statement,
                "party": party_name(statement),
                "summary": summary(statement),
                "lines": lines,
                "font_url": font_url,
                "now": timezone.localtime(),
            },
        )
        return HTML(string=html).write_pdf()
