"""The mandatory regulation on the pilot, and the benefit review scheduled once it is scaled."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l

from pilotmgr.core import audit
from pilotmgr.core import validate as v
from pilotmgr.core.clock import local_today
from pilotmgr.core.permissions import has_authority, require
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Pilot, Task
from pilotmgr.pilots.transitions import REGULATION_FIELDS, pilot_transitioned

REGULATION_AUDITED = (
    "regulation_number",
    "regulation_date",
    "regulation_issuer",
    "regulation_title",
)


def record_regulation(actor, pilot: Pilot, data: Mapping, file=None) -> Pilot:
    """Record (or correct) the regulation that makes the model mandatory, with its file."""
    from pilotmgr.results.evidence import save_file

    require(
        pilot.stage in ("rolling_out", "scaled") and has_authority(actor, pilot.unit),
        str(_l("Only heads with authority record the regulation of a rollout.")),
    )
    values = v.parse(data, REGULATION_FIELDS)
    before = audit.snapshot(pilot, REGULATION_AUDITED)
    pilot.regulation_number = values["number"]
    pilot.regulation_date = values["date"]
    pilot.regulation_issuer = values["issuer"]
    pilot.regulation_title = values["title"] or ""
    db.session.flush()
    after = audit.snapshot(pilot, REGULATION_AUDITED)
    audit.record(
        actor=actor,
        obj=pilot,
        action="regulation",
        pilot_id=pilot.id,
        before=before,
        after=after,
        unit_code=pilot.unit.code,
    )
    if file is not None and getattr(file, "filename", ""):
        save_file(actor, pilot, file, values["number"], purpose="regulation")
    return pilot


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def schedule_benefit_review(actor, pilot: Pilot) -> Task:
    """A task for the owner: does the rolled-out model still deliver its KPIs?"""
    months = int(current_app.config.get("PILOTMGR_BENEFIT_REVIEW_MONTHS", 6))
    task = Task(
        pilot_id=pilot.id,
        title=str(_l("Benefit review: does the rolled-out model still deliver its KPIs?")),
        how=str(
            _l(
                "Measure every KPI again in the target units, compare with the targets and "
                "report whether the regulation is applied."
            )
        ),
        assignee_id=pilot.owner_id,
        priority="normal",
        due_date=add_months(local_today(), months),
        deliverable=str(_l("Benefit review report")),
        status="todo",
    )
    db.session.add(task)
    db.session.flush()
    audit.record(
        actor=actor,
        obj=task,
        action="create",
        pilot_id=pilot.id,
        after=audit.snapshot(task, ("title", "assignee_id", "due_date")),
        unit_code=pilot.unit.code,
    )
    return task


@pilot_transitioned.connect
def _on_scaled(pilot, actor=None, transition=None, request=None, **_extra):
    if transition is not None and transition.target == "scaled":
        schedule_benefit_review(actor, pilot)
