"""Reading an uploaded table (CSV in UTF-8 or XLSX) into rows keyed by column, for every import
of the back office (price rules, customers): one reader, one set of messages for a bad file.

``read_table`` raises a ValidationError on ``file`` for a file that is not CSV/XLSX, unreadable,
empty or missing a required column; header names are folded (stripped, lower case) and mapped
through ``aliases`` (e.g. Chinese headers to the column names); blank lines are skipped. Each row
comes back with its line number in the file (the header is line 1).
"""

import csv
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _cells(filename: str, content: bytes) -> list[list]:
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
            return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise ValidationError({"file": _("This is not a readable XLSX file.")}) from exc
    if name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError({"file": _("A CSV file must be UTF-8 encoded.")}) from exc
        try:
            return list(csv.reader(io.StringIO(text)))
        except csv.Error as exc:
            raise ValidationError({"file": _("This is not a readable CSV file.")}) from exc
    raise ValidationError({"file": _("Upload a .csv or .xlsx file.")})


def read_table(filename: str, content: bytes, *, columns, aliases=None) -> list[tuple[int, dict]]:
    """``(line number, {column: cell})`` for each non-blank line below the header."""
    rows = _cells(filename, content)
    if not rows or not any(str(v).strip() for v in rows[0]):
        raise ValidationError({"file": _("The file is empty.")})
    aliases = {k.lower(): v for k, v in (aliases or {}).items()}
    header = [str(h).strip().lower() for h in rows[0]]
    header = [aliases.get(h, h) for h in header]
    missing = [c for c in columns if c not in header]
    if missing:
        raise ValidationError({"file": _("Missing columns: %(cols)s") % {"cols": ", ".join(missing)}})
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(str(v).strip() for v in row):
            continue
        out.append((number, {h: row[i] if i < len(row) else "" for i, h in enumerate(header)}))
    return out


def as_text(value) -> str:
    """A cell as text: XLSX gives whole numbers as floats (1.0 → "1")."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if value is not None else ""


# --- writing: every CSV/XLSX the platform hands out ---------------------------------------------

#: a text cell starting with one of these is a formula to Excel/WPS/LibreOffice (or, for tab and
#: CR, hides one after them): written with a leading apostrophe, it stays text
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` as a spreadsheet may show it without running it: text that would start a formula
    gets a leading ``'``; numbers, dates and None pass unchanged (None → "")."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(header, rows) -> bytes:
    """A CSV file (UTF-8 with a BOM, so Excel opens Chinese text correctly) of ``header`` and
    ``rows``, every cell passed through ``safe_cell``."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(str(cell)) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(header, rows, *, title: str = "Sheet1") -> bytes:
    """An XLSX workbook of one sheet (written in streaming mode: memory stays flat for long
    exports), every cell passed through ``safe_cell``."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Sheet1")
    sheet.append([safe_cell(str(cell)) for cell in header])
    for row in rows:
        sheet.append([safe_cell(cell) for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
