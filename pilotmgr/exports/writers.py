"""CSV (UTF-8 with BOM, so Excel shows Vietnamese) and XLSX writers, safe against formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

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


#: Days and times as Vietnamese offices write them (31/12/2026), whatever the spreadsheet's own
#: locale; numbers stay numbers and show with the reader's own decimal sign.
DAY_FORMAT = "DD/MM/YYYY"
TIME_FORMAT = "DD/MM/YYYY HH:MM"
#: Characters a sheet's name may not hold.
_SHEET_NAME = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def to_xlsx(header: list[str], rows: Iterable[Iterable], title: str = "Data") -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(title).translate(_SHEET_NAME)[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    cells = []
    for h in header:
        cell = WriteOnlyCell(sheet, neutralise(str(h)))
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet, value):
    value = neutralise(value)
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = TIME_FORMAT
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = DAY_FORMAT
        return cell
    return value
