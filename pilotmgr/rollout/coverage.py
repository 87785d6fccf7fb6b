"""How far each rollout has come: one grouped query for any number of pilots."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, select

from pilotmgr.extensions import db
from pilotmgr.pilots.models import Pilot
from pilotmgr.rollout.models import RolloutTarget
from pilotmgr.units.models import Unit, subtree_ids


@dataclass(frozen=True)
class Coverage:
    """Counts over one pilot's rollout targets (every wave, opened or not)."""

    total: int = 0
    done: int = 0
    #: Done on or before the due date (a target without a due date is on time when done).
    on_time: int = 0
    #: Not done, in an opened wave, due before today.
    overdue: int = 0
    blocked: int = 0

    @property
    def percent(self) -> int:
        """Done as a whole percentage of all targets, rounded down (31/34 → 91)."""
        return self.done * 100 // self.total if self.total else 0

    @property
    def on_time_percent(self) -> int | None:
        """The share of done targets finished on time; None while nothing is done."""
        return self.on_time * 100 // self.done if self.done else None

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done == self.total


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def coverage_by_pilot(
    pilot_ids: Iterable[int], today: date, under: Unit | None = None
) -> dict[int, Coverage]:
    """Coverage of each given pilot; a pilot without targets gets an empty Coverage.

    With `under`, only the targets in that unit's subtree count (the board's filter).
    """
    # No shortcut for an empty list: a page then sends the same statements whatever the data.
    ids = list(pilot_ids)
    done = RolloutTarget.status == "done"
    opened = RolloutTarget.wave <= Pilot.rollout_open_wave
    query = (
        select(
            RolloutTarget.pilot_id,
            func.count(),
            _count(done),
            _count(
                and_(
                    done,
                    (RolloutTarget.due_date.is_(None))
                    | (RolloutTarget.done_on <= RolloutTarget.due_date),
                )
            ),
            _count(and_(~done, opened, RolloutTarget.due_date < today)),
            _count(RolloutTarget.status == "blocked"),
        )
        .join(Pilot, Pilot.id == RolloutTarget.pilot_id)
        .where(RolloutTarget.pilot_id.in_(ids))
        .group_by(RolloutTarget.pilot_id)
    )
    if under is not None:
        query = query.where(RolloutTarget.unit_id.in_(subtree_ids(under)))
    found = {
        pilot_id: Coverage(int(total), int(d), int(ot), int(od), int(b))
        for pilot_id, total, d, ot, od, b in db.session.execute(query)
    }
    return {pilot_id: found.get(pilot_id, Coverage()) for pilot_id in ids}


def coverage_of(pilot_id: int, today: date, under: Unit | None = None) -> Coverage:
    return coverage_by_pilot([pilot_id], today, under)[pilot_id]


def progress(pilot_id: int, under: Unit | None = None) -> list[tuple[date, int]]:
    """Targets done so far, day by day: (day, cumulative count) on each day something was done."""
    query = (
        select(RolloutTarget.done_on, func.count())
        .where(
            RolloutTarget.pilot_id == pilot_id,
            RolloutTarget.status == "done",
            RolloutTarget.done_on.is_not(None),
        )
        .group_by(RolloutTarget.done_on)
        .order_by(RolloutTarget.done_on)
    )
    if under is not None:
        query = query.where(RolloutTarget.unit_id.in_(subtree_ids(under)))
    total, series = 0, []
    for day, count in db.session.execute(query):
        total += int(count)
        series.append((day, total))
    return series
