"""The scoreboard: per unit and per owner, who finishes tasks on time over the period.

The rule (also written on the page):
- tasks counted: those due in the period (up to today), not cancelled, of pilots in scope;
- on time: done, with the completion day (local time) on or before the due date;
- on-time rate: on time / counted;
- overdue: counted tasks still open after their due date;
- average delay: working days between the due date and the completion day (or today, if
  still open), averaged over the late tasks;
- ranking: higher on-time rate first, then smaller average delay, then fewer overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, select

from pilotmgr.auth.models import User
from pilotmgr.core.clock import local_zone
from pilotmgr.extensions import db
from pilotmgr.pilots.models import OPEN_TASK_STATUSES, Pilot, Task
from pilotmgr.reminders.workdays import calendar_around
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


def _as_date(value):
    if value is None or hasattr(value, "year"):
        return value
    return datetime.strptime(str(value)[:10], "%Y-%m-%d").date()


def scoreboard(scope) -> dict[str, list[Score]]:
    """Ranked scores per unit (the pilot's unit) and per owner (the pilot's owner)."""
    last = min(scope.end, scope.today)
    counted = and_(Task.due_date >= scope.start, Task.due_date <= last, Task.status != "cancelled")
    done_day = _local_day(Task.completed_at)
    on_time = and_(Task.status == "done", done_day <= Task.due_date)
    overdue = and_(Task.status.in_(OPEN_TASK_STATUSES), Task.due_date < scope.today)
    base = (
        select(Pilot.unit_id, Pilot.owner_id)
        .join(Pilot, Pilot.id == Task.pilot_id)
        .where(counted, *scope.pilot_clauses())
    )
    totals = db.session.execute(
        base.add_columns(
            func.count(),
            func.coalesce(func.sum(case((on_time, 1), else_=0)), 0),
            func.coalesce(func.sum(case((overdue, 1), else_=0)), 0),
        ).group_by(Pilot.unit_id, Pilot.owner_id)
    ).all()
    late = and_(
        Task.status.in_((*OPEN_TASK_STATUSES, "done")),
        ~on_time,
        Task.due_date < scope.today,
    )
    late_rows = db.session.execute(
        base.add_columns(Task.due_date, case((Task.status == "done", done_day), else_=None))
        .where(late)
        .group_by(Pilot.unit_id, Pilot.owner_id, Task.due_date, done_day, Task.status)
        .add_columns(func.count())
    ).all()
    units: dict[int, Score] = {}
    owners: dict[int, Score] = {}
    for unit_id, owner_id, due, good, over in totals:
        for board, key in ((units, unit_id), (owners, owner_id)):
            score = board.setdefault(key, Score(key, "", ""))
            score.due += int(due)
            score.on_time += int(good)
            score.overdue += int(over)
    calendar = calendar_around(scope.today)
    for unit_id, owner_id, due_date, finished, count in late_rows:
        end = _as_date(finished) or scope.today
        delay = calendar.between(due_date, end) if calendar.first <= due_date else 0
        for board, key in ((units, unit_id), (owners, owner_id)):
            board[key].late += int(count)
            board[key].delay_days += delay * int(count)
    _name(units, Unit, Unit.name, Unit.code)
    _name(owners, User, User.name, User.email)
    return {
        "units": sorted(units.values(), key=Score.rank_key),
        "owners": sorted(owners.values(), key=Score.rank_key),
    }


def _name(board: dict[int, Score], model, name_col, link_col) -> None:
    if not board:
        return
    rows = db.session.execute(
        select(model.id, name_col, link_col).where(model.id.in_(list(board)))
    ).all()
    for key, name, link in rows:
        board[key].name, board[key].link_value = name, link
