"""CSV (UTF-8 with BOM, so Excel shows Vietnamese) and XLSX writers, safe against formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from openpyxl import Workbook

from pilotmgr.core.clock import local_zone

#: A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MIME = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def neutralise(value):
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(value, str):
        value = value.replace("\x00", "")
        if value.startswith(FORMULA_STARTS):
            return "'" + value
        return value
    if isinstance(value, datetime):
        # Spreadsheets have no time zones: write the local wall-clock time.
        return value.astimezone(local_zone()).replace(tzinfo=None, microsecond=0)
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral() else int(value)
    return value


def _csv_cell(value) -> str:
    value = neutralise(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def to_csv(header: list[str], rows: Iterable[Iterable]) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def to_xlsx(header: list[str], rows: Iterable[Iterable], title: str = "Data") -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append([neutralise(h) for h in header])
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
