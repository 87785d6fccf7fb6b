"""The scoreboard: per unit and per person, who finishes work on time over the period.

The rule (also written on the page):
- tasks counted: those due in the period (up to today), not cancelled, of pilots in scope,
  for the pilot's unit and owner;
- rollout targets counted: those of an approved rollout (opened waves) due in the period, for
  the target's unit and its responsible person; in scope where the work is as well as where
  the pilot is (a province head's board holds his province's targets of a ministry pilot);
- on time: done, with the completion day (local time) on or before the due date;
- on-time rate: on time / counted;
- overdue: counted tasks still open after their due date;
- average delay: working days between the due date and the completion day (or today, if
  still open), averaged over the late tasks;
- ranking: higher on-time rate first, then smaller average delay, then fewer overdue.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Date, Integer, and_, column, func, literal, or_, select, text

from pilotmgr.auth.models import User
from pilotmgr.core.clock import local_zone
from pilotmgr.extensions import db
from pilotmgr.notices.workdays import WorkCalendar
from pilotmgr.pilots.models import OPEN_TASK_STATUSES, Pilot, Task
from pilotmgr.pilots.stages import Stage
from pilotmgr.reminders.models import CalendarDay
from pilotmgr.rollout.models import RolloutTarget
from pilotmgr.units.models import Unit


@dataclass
class Score:
    key: int
    name: str
    #: What the pilot list is filtered by to show this row's pilots (unit code or owner e-mail).
    link_value: str
    due: int = 0
    on_time: int = 0
    overdue: int = 0
    late: int = 0
    delay_days: int = 0

    @property
    def rate(self) -> float | None:
        return round(self.on_time * 100 / self.due, 1) if self.due else None

    @property
    def average_delay(self) -> float | None:
        return round(self.delay_days / self.late, 1) if self.late else None

    def rank_key(self):
        return (-(self.rate or 0), self.average_delay or 0, self.overdue, self.name)


def _local_day(column):
    """The local calendar day of a UTC timestamp column, as SQL."""
    zone = local_zone()
    if db.engine.dialect.name == "postgresql":
        return func.date(func.timezone(zone.key, column))
    offset = datetime.now(zone).utcoffset() or timedelta()
    hours = int(offset.total_seconds() // 3600)
    return func.date(column, f"{hours:+d} hours")


def _working_day_index(first: date, last: date):
    """A table (day, n, ends) for first…last, and n(last): n = working days after `first` up
    to `day`; ends = the UTC instant the local day ends (a task done before it is done that day).

    The delay of a late task is then n(end) − n(due), and "done on or before the due date" is
    a plain comparison with `ends`, all in the one aggregate query. The days travel as one JSON
    parameter, so the statement's text does not depend on the period and SQLAlchemy compiles
    it once per process rather than on every request.
    """
    exceptions = dict(
        db.session.execute(
            select(CalendarDay.day, CalendarDay.working).where(
                CalendarDay.day >= first, CalendarDay.day <= last
            )
        ).all()
    )
    # Only the period's days (calendar_around would build five years of them).
    calendar = WorkCalendar(first, last, exceptions)
    postgresql = db.engine.dialect.name == "postgresql"
    zone = local_zone()
    rows, day = [], first
    while day <= last:
        ends = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone).astimezone(UTC)
        # As each database stores a UTC timestamp (SQLite: naive text, as UTCDateTime writes).
        ends_text = ends.isoformat() if postgresql else ends.strftime("%Y-%m-%d %H:%M:%S")
        rows.append((day.isoformat(), calendar.between(first, day), ends_text))
        day += timedelta(days=1)
    if postgresql:
        sql = (
            "SELECT CAST(e ->> 0 AS date) AS day, CAST(e ->> 1 AS integer) AS n,"
            " CAST(e ->> 2 AS timestamptz) AS ends"
            " FROM json_array_elements(CAST(:workdays AS json)) AS e"
        )
    else:
        sql = (
            "SELECT json_extract(value, '$[0]') AS day, json_extract(value, '$[1]') AS n,"
            " json_extract(value, '$[2]') AS ends FROM json_each(:workdays)"
        )
    table = (
        text(sql)
        .bindparams(workdays=json.dumps(rows))
        .columns(column("day", Date), column("n", Integer), column("ends"))
        .cte("workdays")
    )
    return table, rows[-1][1]


def scoreboard(scope) -> dict[str, list[Score]]:
    """Ranked scores per unit and per person: a task counts for its pilot's unit and owner, a
    rollout target for its own unit and the person responsible for it (where the work is)."""
    last = min(scope.end, scope.today)
    if scope.start > last:
        return {"units": [], "owners": []}
    index, n_today = _working_day_index(scope.start - timedelta(days=1), scope.today)
    units: dict[int, Score] = {}
    owners: dict[int, Score] = {}
    for row in (
        *_task_rows(scope, index, n_today, last),
        *_target_rows(scope, index, n_today, last),
    ):
        unit_id, unit_name, unit_code, owner_id, owner_name, owner_email = row[:6]
        figures = [int(n or 0) for n in row[6:]]
        _add(units, unit_id, unit_name, unit_code, figures)
        if owner_id is not None:  # a target nobody answers for yet counts for its unit only
            _add(owners, owner_id, owner_name, owner_email, figures)
    return {
        "units": sorted(units.values(), key=Score.rank_key),
        "owners": sorted(owners.values(), key=Score.rank_key),
    }


def _add(board: dict, key: int, name: str, link: str, figures: list[int]) -> None:
    score = board.get(key)
    if score is None:
        score = board[key] = Score(key, name, link)
    due, good, over, late_n, delay = figures
    score.due += due
    score.on_time += good
    score.overdue += over
    score.late += late_n
    score.delay_days += delay


def _task_rows(scope, index, n_today: int, last: date) -> list:
    """(unit, owner, due, on time, overdue, late, delay) per pilot unit and owner, from tasks."""
    due_n, end_n = index.alias("due_n"), index.alias("end_n")
    is_done = Task.status == "done"
    # Done on or before the due date (local days): done before the due date's local day ends.
    on_time = and_(is_done, Task.completed_at < due_n.c.ends)
    done_late = and_(is_done, Task.completed_at >= due_n.c.ends)
    overdue = and_(Task.status.in_(OPEN_TASK_STATUSES), Task.due_date < scope.today)
    # Late = overdue or done late (added up per pilot). An open task's delay runs to today,
    # whose n is known here; a task done late finds its completion day's n in end_n, which is
    # joined for those tasks alone (NULL elsewhere, so the sum skips the rest).
    delay = func.coalesce(
        func.sum(literal(n_today, Integer) - due_n.c.n).filter(overdue), 0
    ) + func.coalesce(func.sum(end_n.c.n - due_n.c.n), 0)
    # Sum per pilot first (the due-date index alone), then per unit and owner over the pilots.
    where = [Task.due_date >= scope.start, Task.due_date <= last, Task.status != "cancelled"]
    clauses = scope.pilot_clauses()
    if clauses:
        where.append(Task.pilot_id.in_(select(Pilot.id).where(*clauses)))
    per_pilot = (
        select(
            Task.pilot_id.label("pilot_id"),
            func.count().label("due"),
            # FILTER (WHERE …) rather than SUM(CASE …): less work per task in either database.
            func.count().filter(on_time).label("on_time"),
            func.count().filter(overdue).label("overdue"),
            func.count().filter(done_late).label("done_late"),
            delay.label("delay"),
        )
        .join(due_n, due_n.c.day == Task.due_date)
        .outerjoin(end_n, and_(done_late, end_n.c.day == _local_day(Task.completed_at)))
        .where(*where)
        .group_by(Task.pilot_id)
        .subquery()
    )
    # Then per (unit, owner) pair, with the names: a few hundred rows to fold into two boards.
    query = (
        select(
            Pilot.unit_id,
            Unit.name,
            Unit.code,
            Pilot.owner_id,
            User.name,
            User.email,
            func.sum(per_pilot.c.due),
            func.sum(per_pilot.c.on_time),
            func.sum(per_pilot.c.overdue),
            func.sum(per_pilot.c.overdue + per_pilot.c.done_late),
            func.sum(per_pilot.c.delay),
        )
        .join(Pilot, Pilot.id == per_pilot.c.pilot_id)
        .join(Unit, Unit.id == Pilot.unit_id)
        .join(User, User.id == Pilot.owner_id)
        .group_by(Pilot.unit_id, Unit.name, Unit.code, Pilot.owner_id, User.name, User.email)
    )
    return db.session.execute(query).all()


def _target_rows(scope, index, n_today: int, last: date) -> list:
    """The same figures per target unit and responsible person, from rollout targets of an
    approved rollout (opened waves) due in the period; one grouped query."""
    due_n, end_n = index.alias("due_n"), index.alias("end_n")
    target = RolloutTarget
    is_done = target.status == "done"
    # done_on is already a local day: on time when it is not after the due date.
    on_time = and_(is_done, target.done_on <= target.due_date)
    done_late = and_(is_done, target.done_on > target.due_date)
    overdue = and_(~is_done, target.due_date < scope.today)
    delay = func.coalesce(
        func.sum(literal(n_today, Integer) - due_n.c.n).filter(overdue), 0
    ) + func.coalesce(func.sum(end_n.c.n - due_n.c.n), 0)
    query = (
        select(
            target.unit_id,
            Unit.name,
            Unit.code,
            target.responsible_id,
            User.name,
            User.email,
            func.count(),
            func.count().filter(on_time),
            func.count().filter(overdue),
            func.count().filter(or_(overdue, done_late)),
            delay,
        )
        .join(Pilot, Pilot.id == target.pilot_id)
        .join(Unit, Unit.id == target.unit_id)
        .outerjoin(User, User.id == target.responsible_id)
        .join(due_n, due_n.c.day == target.due_date)
        .outerjoin(end_n, and_(done_late, end_n.c.day == target.done_on))
        .where(
            target.due_date >= scope.start,
            target.due_date <= last,
            target.wave <= Pilot.rollout_open_wave,
            Pilot.stage.in_((Stage.rolling_out, Stage.scaled)),
            *scope.target_clauses(),
        )
        .group_by(
            target.unit_id, Unit.name, Unit.code, target.responsible_id, User.name, User.email
        )
    )
    return db.session.execute(query).all()
