"""Bulk import of pilots with their KPIs and tasks: a dry run, then all or nothing.

Rows are matched to pilots by `reference`: a reference already in the database is left as it is
(with its KPI and task rows), so importing the same file twice creates nothing the second time.
The checks are the services' own (create_pilot, add_kpi, add_task), run again at commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, parse_decimal
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from pilotmgr.auth.models import Role
from pilotmgr.core import validate as v
from pilotmgr.core.authority import require
from pilotmgr.core.errors import ServiceError, ValidationFailed
from pilotmgr.core.forms import parse_day
from pilotmgr.core.text import fold, one_line
from pilotmgr.exports import labels
from pilotmgr.exports.sheets import read_rows
from pilotmgr.extensions import db
from pilotmgr.pilots import service as pilots
from pilotmgr.pilots import tasks
from pilotmgr.pilots.models import Pilot
from pilotmgr.pilots.permissions import can_create_pilot

#: Other ways people write a row's kind, besides its code and its label in either language.
KIND_WORDS = {"thi diem": "pilot", "chi so": "kpi", "chi tieu": "kpi", "nhiem vu": "task"}
#: A service's field → the template column it comes from, where the two names differ.
COLUMN_OF = {"kpi": {"name": "title", "unit": "kpi_unit"}}


def _coded(labels_: dict, text: str, default: str = "") -> str:
    """The code of a value written as its code or its label (any language, any accents)."""
    if not text:
        return default
    return labels.in_every_language(labels_).get(fold(text), text)


def _kind(text: str) -> str:
    folded = fold(text)
    return KIND_WORDS.get(folded) or labels.in_every_language(labels.ROW_KINDS).get(folded, "")


def _number(text: str) -> str:
    """A number as the reader writes it ("12,5", "1.200.000" in Vietnamese) or plain ("12.5")."""
    raw = text.replace(" ", "").replace("\u00a0", "")
    if not raw:
        return ""
    try:
        return str(parse_decimal(raw, locale=get_locale() or "vi", strict=True))
    except (NumberFormatError, ValueError):
        pass
    try:
        return str(Decimal(raw))
    except InvalidOperation:
        return raw  # left for the service to refuse as not a number


@dataclass
class Row:
    number: int
    kind: str
    reference: str
    title: str
    errors: list[str] = field(default_factory=list)
    #: "new" (will be created), "exists" (reference already imported: left alone) or "error".
    status: str = "new"
    data: dict = field(default_factory=dict)

    @property
    def kind_label(self) -> str:
        return labels.cap(labels.ROW_KINDS[self.kind]) if self.kind else ""


@dataclass
class Plan:
    rows: list[Row]

    @property
    def errors(self) -> int:
        return sum(1 for r in self.rows if r.errors)

    @property
    def new_pilots(self) -> int:
        return sum(1 for r in self.rows if r.kind == "pilot" and r.status == "new")

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors


def may_import(user) -> bool:
    return user.role in (Role.lead, Role.head, Role.admin)


class _NotADay(str):
    """A date cell that holds no date: reported beside its row with how to write one."""


def _day(text: str) -> str:
    """31/01/2027 (or 31-01-2027, 2027-01-31) as ISO; anything else marked as no date."""
    if not text:
        return ""
    day = parse_day(text)
    return day.isoformat() if day else _NotADay(text)


def _check_days(row: Row, kind: str) -> None:
    for name, value in row.data.items():
        if isinstance(value, _NotADay):
            header = labels.IMPORT_HEADERS[COLUMN_OF.get(kind, {}).get(name, name)]
            row.errors.append(f"{labels.cap(header)}: {_l('Write a date like 31/12/2026.')}")
            row.data[name] = ""


def _messages(exc: ValidationFailed, kind: str = "pilot") -> list[str]:
    """Each message after the header of the column it is about, as the template names it."""
    found = []
    for name, messages in exc.errors.items():
        column = COLUMN_OF.get(kind, {}).get(name, name)
        header = labels.IMPORT_HEADERS.get(column)
        text = " ".join(str(m) for m in messages)
        found.append(f"{labels.cap(header)}: {text}" if header else text)
    return found


def _pilot_data(cells: dict) -> dict:
    return {
        "title": cells.get("title", ""),
        "unit": cells.get("unit", ""),
        "owner": cells.get("owner", "").lower(),
        "start_date": _day(cells.get("start_date", "")),
        "end_date": _day(cells.get("end_date", "")),
        "summary": cells.get("summary", ""),
        "partner": cells.get("partner", ""),
        "budget": _number(cells.get("budget", "")),
    }


def _check_pilot(user, row: Row, data: dict) -> None:
    try:
        values = v.parse(data, pilots.PilotInput)
    except ValidationFailed as exc:
        row.errors += _messages(exc)
        return
    if not can_create_pilot(user, values["unit"]):
        row.errors.append(str(_l("You may not register pilots in unit “%(u)s”.", u=data["unit"])))
    if values["owner"].role not in (Role.lead, Role.head, Role.admin):
        row.errors.append(str(_l("The owner must be a project lead or a head.")))
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end <= start:
        row.errors.append(str(_l("The end date must be after the start date.")))


def _kpi_data(cells: dict) -> dict:
    return {
        "name": cells.get("title", ""),
        "unit": cells.get("kpi_unit", ""),
        "baseline": _number(cells.get("baseline", "")),
        "target": _number(cells.get("target", "")),
        "direction": _coded(labels.DIRECTION, cells.get("direction", ""), "increase"),
    }


def _task_data(cells: dict) -> dict:
    return {
        "title": cells.get("title", ""),
        "assignee": cells.get("assignee", "").lower(),
        "due_date": _day(cells.get("due_date", "")),
        "deliverable": cells.get("deliverable", ""),
        "priority": _coded(labels.PRIORITY, cells.get("priority", ""), "normal"),
    }


def plan(user, filename: str, data: bytes) -> Plan:
    """Check every row without writing anything."""
    require(may_import(user), str(_l("You may not import pilots.")))
    cells_by_row = read_rows(filename, data)
    references = {c.get("reference", "") for _n, c in cells_by_row}
    existing = set(
        db.session.scalars(select(Pilot.reference).where(Pilot.reference.in_(references)))
    )
    rows, pilot_refs = [], {}
    for number, cells in cells_by_row:
        kind = _kind(cells.get("kind", ""))
        # A cell may hold line breaks (Alt+Enter in Excel); no service checks the reference.
        reference = one_line(cells.get("reference", ""))[:80]
        row = Row(number, kind, reference, one_line(cells.get("title", "")))
        rows.append(row)
        if not reference:
            row.errors.append(str(_l("The reference is missing.")))
        if not kind:
            row.errors.append(str(_l("The row kind must be pilot, KPI or task.")))
            continue
        if kind == "pilot":
            row.data = _pilot_data(cells)
            _check_days(row, kind)
            if reference in pilot_refs:
                row.errors.append(
                    str(_l("Reference “%(r)s” appears twice in the file.", r=reference))
                )
            pilot_refs[reference] = row
            if reference in existing:
                row.status = "exists"
                continue
            _check_pilot(user, row, row.data)
        else:
            row.data = _kpi_data(cells) if kind == "kpi" else _task_data(cells)
            _check_days(row, kind)
            schema = pilots.KpiInput if kind == "kpi" else tasks.TaskInput
            try:
                values = v.parse(row.data, schema)
                if kind == "kpi":
                    pilots._check_kpi_range(values)  # the same check add_kpi makes at commit
            except ValidationFailed as exc:
                row.errors += _messages(exc, kind)
    for row in rows:
        if row.kind in ("kpi", "task"):
            parent = pilot_refs.get(row.reference)
            if parent is None:
                row.errors.append(
                    str(_l("No pilot row with reference “%(r)s” in the file.", r=row.reference))
                )
            elif parent.status == "exists":
                row.status = "exists"
        if row.errors:
            row.status = "error"
    return Plan(rows)


def commit(user, filename: str, data: bytes) -> Plan:
    """Check again and create everything, or nothing (the caller commits or rolls back)."""
    result = plan(user, filename, data)
    if not result.ok:
        raise ValidationFailed(
            {"file": [str(_l("%(n)s rows have errors; nothing was imported.", n=result.errors))]}
        )
    created: dict[str, Pilot] = {}
    for row in result.rows:
        if row.status != "new":
            continue
        try:
            if row.kind == "pilot":
                pilot = pilots.create_pilot(user, row.data)
                pilot.reference = row.reference
                created[row.reference] = pilot
            elif row.kind == "kpi":
                pilots.add_kpi(user, created[row.reference], row.data)
            else:
                tasks.add_task(user, created[row.reference], row.data)
        except ServiceError as exc:
            detail = (
                _messages(exc, row.kind) if isinstance(exc, ValidationFailed) else [str(exc.detail)]
            )
            raise ValidationFailed(
                {"file": [str(_l("Row %(n)s:", n=row.number)), *detail]}
            ) from exc
    db.session.flush()
    return result
