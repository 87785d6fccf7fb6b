"""What each export holds: the rows the caller may see, under the same filters as the lists.

Headers are in the reader's language; a coded value (stage, status, priority, direction) is
written as its label, followed by the code in a column of its own for machines.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import aliased

from pilotmgr.auth.models import User
from pilotmgr.core import validate as v
from pilotmgr.core.errors import NotFound
from pilotmgr.core.query import Query
from pilotmgr.exports import labels as L
from pilotmgr.extensions import db
from pilotmgr.pilots.lifecycle import STAGES
from pilotmgr.pilots.models import Challenge, Kpi, Pilot, Task
from pilotmgr.pilots.programmes import _find_programme
from pilotmgr.pilots.service import find_challenge, find_unit, find_user, pilot_list_query
from pilotmgr.results.models import Measurement
from pilotmgr.rollout.models import RolloutTarget
from pilotmgr.units.models import Unit

WHATS = ("pilots", "tasks", "kpis", "rollout-targets", "scoreboard")
FORMATS = ("csv", "xlsx")
#: The dashboard's links switch a filter on with "1".
_FLAG = ("1", "0")


class ExportQuery(Query):
    """The filters an export takes through the API: the pilot list's, the dashboard's (stuck,
    overdue, waiting for review) and the scoreboard's period. Each names something that exists:
    a misspelt one would otherwise export everything."""

    stage = v.choice(STAGES)
    unit = v.lookup(find_unit, _l("No such unit."))
    owner = v.lookup(find_user, _l("No such user."))
    challenge = v.id_lookup(find_challenge, _l("No such challenge."))
    programme = v.id_lookup(_find_programme, _l("No such programme."))
    q = v.text(200)
    stuck = v.choice(_FLAG)
    stuck_days = v.integer(1, 3650)
    overdue = v.choice(_FLAG)
    pending = v.choice(_FLAG)
    start = v.iso_date()
    end = v.iso_date()


def labelled(header: list, rows: Iterable[Iterable]):
    """(header, rows) with each labelled column as two: its label, then its code.

    `header` holds a column's title, or (title, labels) for a coded column.
    """
    # Each label translated once per file, not once per row.
    spec = [
        {code: L.cap(text) for code, text in h[1].items()} if isinstance(h, tuple) else None
        for h in header
    ]
    titles = []
    for h in header:
        if isinstance(h, tuple):
            titles += [L.cap(h[0]), L.code_header(h[1])]
        else:
            titles.append(L.cap(h))

    def expand(row):
        out = []
        for value, labels in zip(row, spec, strict=True):
            if labels is None:
                out.append(value)
            else:
                out += [labels.get(value, value or ""), value]
        return out

    return titles, (expand(row) for row in rows)


def _pilot_ids(user, filters: dict):
    return pilot_list_query(user, **filters).with_only_columns(Pilot.id).scalar_subquery()


def pilots(user, filters: dict):
    header = [
        _("Reference"),
        _("ID"),
        _("Title"),
        (_("Stage"), L.STAGE),
        (_("Outcome"), L.OUTCOME),
        _("Unit code"),
        _("Unit"),
        _("Owner e-mail"),
        _("Owner"),
        _("Challenge"),
        _("Start date"),
        _("End date"),
        _("Budget"),
        _("Partner"),
        _("Stage changed at"),
    ]
    query = (
        pilot_list_query(user, **filters)
        .with_only_columns(
            Pilot.reference,
            Pilot.id,
            Pilot.title,
            Pilot.stage,
            Pilot.outcome,
            Unit.code,
            Unit.name,
            User.email,
            User.name,
            Challenge.title,
            Pilot.start_date,
            Pilot.end_date,
            Pilot.budget,
            Pilot.partner,
            Pilot.stage_changed_at,
        )
        .join(Unit, Unit.id == Pilot.unit_id)
        .join(User, User.id == Pilot.owner_id)
        .outerjoin(Challenge, Challenge.id == Pilot.challenge_id)
        .order_by(Pilot.id)
    )
    return labelled(header, db.session.execute(query))


def tasks(user, filters: dict):
    header = [
        _("Pilot ID"),
        _("Pilot"),
        _("Task ID"),
        _("Task"),
        _("Assignee e-mail"),
        _("Assignee"),
        (_("Priority"), L.PRIORITY),
        _("Due date"),
        (_("Status"), L.TASK_STATUS),
        _("Completed at"),
        _("Deliverable"),
    ]
    overdue_on = filters.get("overdue_on")
    query = (
        select(
            Pilot.id,
            Pilot.title,
            Task.id,
            Task.title,
            User.email,
            User.name,
            Task.priority,
            Task.due_date,
            Task.status,
            Task.completed_at,
            Task.deliverable,
        )
        .join(Pilot, Pilot.id == Task.pilot_id)
        .outerjoin(User, User.id == Task.assignee_id)
        .where(Task.pilot_id.in_(_pilot_ids(user, filters)))
        .order_by(Pilot.id, Task.due_date, Task.id)
    )
    if overdue_on is not None:
        # The "overdue" filter on tasks means the late tasks themselves, not all their siblings.
        query = query.where(Task.status.in_(("todo", "in_progress")), Task.due_date < overdue_on)
    return labelled(header, db.session.execute(query))


def kpis(user, filters: dict):
    header = [
        _("Pilot ID"),
        _("Pilot"),
        _("KPI ID"),
        _("KPI"),
        _("Unit of measure"),
        _("Baseline"),
        _("Target"),
        (_("Direction"), L.DIRECTION),
        _("Measured on"),
        _("Value"),
        (_("Measurement status"), L.MEASUREMENT_STATUS),
    ]
    query = (
        select(
            Pilot.id,
            Pilot.title,
            Kpi.id,
            Kpi.name,
            Kpi.unit,
            Kpi.baseline,
            Kpi.target,
            Kpi.direction,
            Measurement.measured_on,
            Measurement.value,
            Measurement.status,
        )
        .join(Pilot, Pilot.id == Kpi.pilot_id)
        .outerjoin(Measurement, Measurement.kpi_id == Kpi.id)
        .where(Kpi.pilot_id.in_(_pilot_ids(user, filters)))
        .order_by(Pilot.id, Kpi.id, Measurement.measured_on, Measurement.id)
    )
    return labelled(header, db.session.execute(query))


def rollout_targets(user, filters: dict):
    header = [
        _("Pilot ID"),
        _("Pilot"),
        _("Unit code"),
        _("Unit"),
        _("Responsible e-mail"),
        _("Wave"),
        _("Due date"),
        (_("Status"), L.TARGET_STATUS),
        _("Done on"),
        _("Blocked because"),
    ]
    target_unit = aliased(Unit)
    query = (
        select(
            Pilot.id,
            Pilot.title,
            target_unit.code,
            target_unit.name,
            User.email,
            RolloutTarget.wave,
            RolloutTarget.due_date,
            RolloutTarget.status,
            RolloutTarget.done_on,
            RolloutTarget.blocked_reason,
        )
        .join(Pilot, Pilot.id == RolloutTarget.pilot_id)
        .join(target_unit, target_unit.id == RolloutTarget.unit_id)
        .outerjoin(User, User.id == RolloutTarget.responsible_id)
        .where(RolloutTarget.pilot_id.in_(_pilot_ids(user, filters)))
        .order_by(Pilot.id, RolloutTarget.wave, target_unit.code)
    )
    return labelled(header, db.session.execute(query))


def scoreboard(user, args):
    from pilotmgr.dashboard.scope import build_scope
    from pilotmgr.dashboard.scoreboard import scoreboard as scores

    board = scores(build_scope(user, args))
    header = [
        (_("Ranked by"), L.RANKED_BY),
        _("Rank"),
        _("Name"),
        _("Due (tasks and rollout targets)"),
        _("On time"),
        _("On-time rate (percent)"),
        _("Overdue"),
        _("Average delay (working days)"),
    ]
    rows = [
        (kind, rank, s.name, s.due, s.on_time, s.rate, s.overdue, s.average_delay)
        for kind, board_rows in (("unit", board["units"]), ("owner", board["owners"]))
        for rank, s in enumerate(board_rows, start=1)
    ]
    return labelled(header, rows)


def dataset(user, what: str, filters: dict, args):
    """(header, rows) of one export; an unknown name is a 404."""
    if what == "scoreboard":
        return scoreboard(user, args)
    makers = {
        "pilots": pilots,
        "tasks": tasks,
        "kpis": kpis,
        "rollout-targets": rollout_targets,
    }
    if what not in makers:
        raise NotFound(str(_l("No such export.")))
    return makers[what](user, filters)
