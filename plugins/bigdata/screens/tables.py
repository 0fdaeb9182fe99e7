"""A report table as the screens show it and export it (CSV and XLSX through ``core.tabular``:
formula-safe cells, UTF-8 with a BOM for Excel). Money columns hold integer fen and are shown and
exported in yuan."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone

from core import tabular

EXPORT_FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Column:
    label: str
    #: "text", "int", "fen" (integer fen shown as ¥ yuan), "percent" (a Decimal or None)
    kind: str = "text"


@dataclass
class Table:
    #: the name in the export link (?export=csv&table=<name>), unique on its page
    name: str
    title: str
    columns: Sequence[Column]
    rows: list[Sequence] = field(default_factory=list)
    #: format → link to the export with the page's filters (set by the view)
    export_urls: dict = field(default_factory=dict)
    #: a link per row ("" for none), shown on the cell of ``link_column`` (e.g. a drill-down)
    links: list[str] = field(default_factory=list)
    link_column: int = 0

    def display_rows(self) -> list[list[tuple[str, bool]]]:
        """Each cell as (text, right-aligned)."""
        return [
            [
                (display(cell, column.kind), column.kind != "text")
                for cell, column in zip(row, self.columns, strict=True)
            ]
            for row in self.rows
        ]

    def linked_rows(self) -> list[tuple[list[tuple[str, bool]], str]]:
        """Each row's cells with its link ("" when the table has none)."""
        links = self.links or [""] * len(self.rows)
        return list(zip(self.display_rows(), links, strict=True))

    def export_rows(self) -> list[list]:
        return [
            [exported(cell, column.kind) for cell, column in zip(row, self.columns, strict=True)] for row in self.rows
        ]


def yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def display(value, kind: str) -> str:
    if value is None or value == "":
        return "—"
    if kind == "fen":
        return f"¥{yuan(value):,}"
    if kind == "int":
        return f"{value:,}"
    if kind == "percent":
        return f"{Decimal(value):.1f}%"
    return str(value)


def exported(value, kind: str):
    """Numbers stay numbers in the file (yuan with two decimals for money); None is empty."""
    if value is None:
        return ""
    if kind == "fen":
        return yuan(value)
    if kind == "percent":
        return Decimal(value).quantize(Decimal("0.1"))
    return value


def export_response(table: Table, fmt: str) -> HttpResponse:
    header = [column.label for column in table.columns]
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "xlsx":
        body = tabular.xlsx_bytes(header, table.export_rows(), title=str(table.title))
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = tabular.csv_bytes(header, table.export_rows())
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{table.name}-{stamp}.{fmt}"'
    return response
