"""Reading an uploaded spreadsheet (XLSX or CSV) into plain rows of text, defensively."""

from __future__ import annotations

import contextlib
import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from babel.numbers import format_decimal
from defusedxml import DefusedXmlException, ElementTree
from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from pilotmgr.core.errors import ServiceError
from pilotmgr.core.formats import format_number
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
#: An XLSX is a zip: refuse one that would unpack to more than this (a "zip bomb").
MAX_UNPACKED = 50 * 1024 * 1024


class BadFile(ServiceError):
    status = 422
    title = "Unprocessable file"


@dataclass(frozen=True)
class Limits:
    """How much one upload may hold (PILOTMGR_IMPORT_MAX_ROWS, _MAX_COLUMNS, _MAX_CELL; their
    defaults are config.py's)."""

    rows: int
    columns: int
    cell: int

    @classmethod
    def configured(cls) -> Limits:
        config = current_app.config
        return cls(
            rows=config["PILOTMGR_IMPORT_MAX_ROWS"],
            columns=config["PILOTMGR_IMPORT_MAX_COLUMNS"],
            cell=config["PILOTMGR_IMPORT_MAX_CELL"],
        )


def _text(value) -> str:
    """A cell as clean text: dates as ISO, no NUL or control characters.

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
    return text.strip()


def _refuse_dtd(archive: zipfile.ZipFile) -> None:
    """Refuse any XML part that declares a DTD (entity expansion, external entities).

    A DTD can only stand before the root element, so each part is parsed only up to its
    root's start tag: the check costs nothing on a large sheet.
    """
    for info in archive.infolist():
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(info) as part:
            try:
                for _event, _element in ElementTree.iterparse(
                    part, events=("start",), forbid_dtd=True
                ):
                    break
            except DefusedXmlException as exc:
                raise BadFile(str(_l("The file contains a DTD, which is not allowed."))) from exc
            except ElementTree.ParseError as exc:
                raise BadFile(str(_l("This is not a readable Excel (.xlsx) file."))) from exc


def _read_xlsx(data: bytes, limits: Limits) -> Iterator[tuple[int, Sequence]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise BadFile(str(_l("The file unpacks to too much data.")))
            _refuse_dtd(archive)
        # data_only: a formula cell gives its last computed value, never the formula.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError) as exc:
        raise BadFile(str(_l("This is not a readable Excel (.xlsx) file."))) from exc
    try:
        # A sheet's recorded size may claim thousands of columns (one cell in column XFD);
        # read mode would pad every row to it. One column past the limit shows a header
        # that is too wide; cells further right are never built.
        yield from enumerate(sheet.iter_rows(max_col=limits.columns + 1, values_only=True), 1)
    except (KeyError, ValueError, TypeError, ElementTree.ParseError) as exc:
        raise BadFile(str(_l("This is not a readable Excel (.xlsx) file."))) from exc
    finally:
        book.close()


def _read_csv(data: bytes) -> Iterator[tuple[int, Sequence]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadFile(str(_l("The CSV file must be saved as UTF-8."))) from exc
    dialect = csv.excel
    with contextlib.suppress(csv.Error):
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    number = 0
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text), dialect), 1):
            yield number, row
    except csv.Error as exc:  # a field longer than the csv module allows, a stray quote
        raise BadFile(str(_l("Row %(n)s of the CSV file cannot be read.", n=number + 1))) from exc


def _width(values: Sequence) -> int:
    """How many columns a row uses, without the empty cells at its end."""
    width = len(values)
    while width and (values[width - 1] is None or str(values[width - 1]).strip() == ""):
        width -= 1
    return width


def read_rows(filename: str, data: bytes) -> list[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, {column: text}) for every non-empty data row.

    Linear in the size of the file: the header is read once into column positions, and each
    row is looked at only in those positions.
    """
    limits = Limits.configured()
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        raw = _read_xlsx(data, limits)
    elif name.endswith(".csv"):
        raw = _read_csv(data)
    else:
        raise BadFile(str(_l("Upload an .xlsx or .csv file made from the template.")))
    first = next(raw, None)
    if first is None:
        raise BadFile(str(_l("The file is empty.")))
    header_row = first[1]
    if _width(header_row) > limits.columns:
        raise BadFile(
            str(_l("The header row has more than %(n)s columns.", n=format_number(limits.columns)))
        )
    names = header_names()
    positions: dict[str, int] = {}
    for i, cell in enumerate(header_row[: limits.columns]):
        key = names.get(_header_key(_text(cell)), "")
        if key and key not in positions:
            positions[key] = i
    missing = [str(IMPORT_HEADERS[c]) for c in ("reference", "kind", "title") if c not in positions]
    if missing:
        raise BadFile(
            str(_l("The header row lacks the columns: %(cols)s.", cols=", ".join(missing)))
        )
    rows = []
    for number, values in raw:
        cells = {key: _text(values[i]) if i < len(values) else "" for key, i in positions.items()}
        if not any(cells.values()):
            continue
        if len(rows) == limits.rows:
            raise BadFile(
                str(_l("At most %(n)s rows can be imported at once.", n=format_number(limits.rows)))
            )
        for key, value in cells.items():
            if len(value) > limits.cell:
                raise BadFile(
                    str(
                        _l(
                            "Row %(row)s, column “%(col)s”: a cell may hold at most %(n)s"
                            " characters.",
                            row=number,
                            col=cap(IMPORT_HEADERS[key]),
                            n=format_number(limits.cell),
                        )
                    )
                )
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
