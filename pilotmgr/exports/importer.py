"""Bulk import of pilots with their KPIs and tasks: a dry run, then all or nothing.

Rows are matched to pilots by `reference`: a reference already in the database is left as it is
(with its KPI and task rows), so importing the same file twice creates nothing the second time.
The checks are the services' own (create_pilot, add_kpi, add_task), run again at commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from pilotmgr.auth.models import Role
from pilotmgr.core import validate as v
from pilotmgr.core.errors import ServiceError, ValidationFailed
from pilotmgr.core.permissions import can_create_pilot, require
from pilotmgr.core.text import fold
from pilotmgr.exports.sheets import read_rows
from pilotmgr.extensions import db
from pilotmgr.pilots import service as pilots
from pilotmgr.pilots import tasks
from pilotmgr.pilots.models import Pilot

KINDS = {
    "pilot": "pilot",
    "thi diem": "pilot",
    "kpi": "kpi",
    "chi so": "kpi",
    "task": "task",
    "nhiem vu": "task",
}
DIRECTIONS = {
    "increase": "increase",
    "tang": "increase",
    "decrease": "decrease",
    "giam": "decrease",
}
FIELD_LABELS = {
    "title": _l("title"),
    "unit": _l("unit"),
    "owner": _l("owner"),
    "start_date": _l("start date"),
    "end_date": _l("end date"),
    "budget": _l("budget"),
    "partner": _l("partner"),
    "summary": _l("summary"),
    "name": _l("title"),
    "baseline": _l("baseline"),
    "target": _l("target"),
    "direction": _l("direction"),
    "assignee": _l("assignee"),
    "due_date": _l("due date"),
    "deliverable": _l("deliverable"),
    "priority": _l("priority"),
}


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


def _day(text: str) -> str:
    """ISO or the Vietnamese dd/mm/yyyy; anything else is handed on to fail the date check."""
    if "/" in text:
        parts = text.split("/")
        if len(parts) == 3 and all(p.strip().isdigit() for p in parts):
            d, m, y = (int(p) for p in parts)
            try:
                return date(y, m, d).isoformat()
            except ValueError:
                return text
    return text


def _messages(exc: ValidationFailed) -> list[str]:
    return [
        f"{FIELD_LABELS.get(name, name)}: {' '.join(str(m) for m in messages)}"
        for name, messages in exc.errors.items()
    ]


def _pilot_data(cells: dict) -> dict:
    return {
        "title": cells.get("title", ""),
        "unit": cells.get("unit", ""),
        "owner": cells.get("owner", "").lower(),
        "start_date": _day(cells.get("start_date", "")),
        "end_date": _day(cells.get("end_date", "")),
        "summary": cells.get("summary", ""),
        "partner": cells.get("partner", ""),
        "budget": cells.get("budget", "").replace(" ", ""),
    }


def _check_pilot(user, row: Row, data: dict) -> None:
    try:
        values = v.parse(data, pilots.pilot_fields())
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
    direction = DIRECTIONS.get(fold(cells.get("direction", "")), cells.get("direction", ""))
    return {
        "name": cells.get("title", ""),
        "unit": cells.get("kpi_unit", ""),
        "baseline": cells.get("baseline", "").replace(" ", ""),
        "target": cells.get("target", "").replace(" ", ""),
        "direction": direction or "increase",
    }


def _task_data(cells: dict) -> dict:
    return {
        "title": cells.get("title", ""),
        "assignee": cells.get("assignee", "").lower(),
        "due_date": _day(cells.get("due_date", "")),
        "deliverable": cells.get("deliverable", ""),
        "priority": cells.get("priority", "") or "normal",
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
        kind = KINDS.get(fold(cells.get("kind", "")), "")
        reference = cells.get("reference", "")[:80]
        row = Row(number, kind, reference, cells.get("title", ""))
        rows.append(row)
        if not reference:
            row.errors.append(str(_l("The reference is missing.")))
        if not kind:
            row.errors.append(str(_l("The kind must be pilot, kpi or task.")))
            continue
        if kind == "pilot":
            row.data = _pilot_data(cells)
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
            fields = pilots.kpi_fields() if kind == "kpi" else tasks.task_fields()
            try:
                values = v.parse(row.data, fields)
                if kind == "kpi":
                    pilots._check_kpi_range(values)  # the same check add_kpi makes at commit
            except ValidationFailed as exc:
                row.errors += _messages(exc)
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
            detail = _messages(exc) if isinstance(exc, ValidationFailed) else [str(exc.detail)]
            raise ValidationFailed(
                {"file": [str(_l("Row %(n)s:", n=row.number)), *detail]}
            ) from exc
    db.session.flush()
    return result
