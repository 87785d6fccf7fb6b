"""Reading an uploaded spreadsheet (XLSX or CSV) into plain rows of text, defensively."""

from __future__ import annotations

import contextlib
import csv
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from pilotmgr.core.errors import ServiceError
from pilotmgr.core.text import fold
from pilotmgr.exports.labels import IMPORT_HEADERS, LANGUAGES, cap

#: The import template's columns, in order; the header row must name them.
COLUMNS = (
    "reference",
    "kind",
    "title",
    "unit",
    "owner",
    "start_date",
    "end_date",
    "summary",
    "partner",
    "budget",
    "kpi_unit",
    "baseline",
    "target",
    "direction",
    "assignee",
    "due_date",
    "deliverable",
    "priority",
)
MAX_ROWS = 2000
#: An XLSX is a zip: refuse one that would unpack to more than this (a "zip bomb").
MAX_UNPACKED = 50 * 1024 * 1024
MAX_CELL = 10_000


class BadFile(ServiceError):
    status = 422
    title = "Unprocessable file"


def _text(value) -> str:
    """A cell as clean text: dates as ISO, no NUL or control characters, bounded length.

    A number cell is written as the reader writes numbers (12,5 in Vietnamese), so that it
    reads back as the same number as text typed into a CSV file.
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        value = str(value)
    elif isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
        return format_decimal(number, format="0.##########", locale=get_locale() or "vi")
    text = str(value)
    text = "".join(ch for ch in text if ch in "\n\t" or ch >= " ")
    return text.strip()[:MAX_CELL]


def _read_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise BadFile(str(_l("The file unpacks to too much data.")))
        # data_only: a formula cell gives its last computed value, never the formula.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise BadFile(str(_l("This is not a readable Excel (.xlsx) file."))) from exc
    try:
        sheet = book.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        book.close()


def _read_csv(data: bytes) -> list[list]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadFile(str(_l("The CSV file must be saved as UTF-8."))) from exc
    dialect = csv.excel
    with contextlib.suppress(csv.Error):
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    rows = []
    for row in csv.reader(io.StringIO(text), dialect):
        rows.append(row)
        if len(rows) > MAX_ROWS + 1:
            break
    return rows


def read_rows(filename: str, data: bytes) -> list[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, {column: text}) for every non-empty data row."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        raw = _read_xlsx(data)
    elif name.endswith(".csv"):
        raw = _read_csv(data)
    else:
        raise BadFile(str(_l("Upload an .xlsx or .csv file made from the template.")))
    if not raw:
        raise BadFile(str(_l("The file is empty.")))
    names = header_names()
    header = [names.get(_header_key(_text(h)), "") for h in raw[0]]
    missing = [str(IMPORT_HEADERS[c]) for c in ("reference", "kind", "title") if c not in header]
    if missing:
        raise BadFile(
            str(_l("The header row lacks the columns: %(cols)s.", cols=", ".join(missing)))
        )
    if len(raw) > MAX_ROWS + 1:
        raise BadFile(str(_l("At most %(n)s rows can be imported at once.", n=MAX_ROWS)))
    rows = []
    for number, values in enumerate(raw[1:], start=2):
        cells = {
            key: _text(values[i]) if i < len(values) else ""
            for i, key in enumerate(header)
            if key in COLUMNS
        }
        if any(cells.values()):
            rows.append((number, cells))
    return rows


def _header_key(text: str) -> str:
    return fold(text.replace("*", ""))


def header_names() -> dict[str, str]:
    """How a header cell may name each column: its header in any language, or its code."""
    from flask_babel import force_locale

    names = {column: column for column in COLUMNS}
    for lang in LANGUAGES:
        with force_locale(lang):
            names.update({_header_key(str(IMPORT_HEADERS[c])): c for c in COLUMNS})
    return names


def template_header() -> list[str]:
    """The template's header row in the reader's language."""
    return [cap(IMPORT_HEADERS[c]) for c in COLUMNS]


def template_rows(user=None) -> list[list[str]]:
    """The template's example, in the reader's language: one pilot with a KPI and a task.

    With `user`, the example names their own unit and e-mail, so it imports as it is.
    """
    from pilotmgr.exports.labels import DIRECTION, PRIORITY, ROW_KINDS

    vi = str(get_locale() or "vi") == "vi"
    budget = "150.000.000" if vi else "150,000,000"
    example = {
        "pilot": {
            "reference": "TD-2026-001",
            "kind": str(ROW_KINDS["pilot"]),
            "title": "Thanh toán học phí bằng mã QR",
            "unit": user.unit.code if user else "BO",
            "owner": user.email if user else "lead@example.vn",
            "start_date": "15/01/2026",
            "end_date": "15/07/2026",
            "summary": "Thu học phí không dùng tiền mặt tại 10 trường.",
            "partner": "VNPT",
            "budget": budget,
        },
        "kpi": {
            "reference": "TD-2026-001",
            "kind": str(ROW_KINDS["kpi"]),
            "title": "Tỷ lệ học phí thu qua mã QR",
            "kpi_unit": "%",
            "baseline": "12,5" if vi else "12.5",
            "target": "80",
            "direction": str(DIRECTION["increase"]),
        },
        "task": {
            "reference": "TD-2026-001",
            "kind": str(ROW_KINDS["task"]),
            "title": "Tập huấn kế toán các trường",
            "assignee": user.email if user else "lead@example.vn",
            "due_date": "01/02/2026",
            "deliverable": "Danh sách học viên",
            "priority": str(PRIORITY["normal"]),
        },
    }
    return [template_header()] + [[row.get(c, "") for c in COLUMNS] for row in example.values()]
