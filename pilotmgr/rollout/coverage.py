"""How far each rollout has come: one grouped query for any number of pilots."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, select

from pilotmgr.extensions import db
from pilotmgr.pilots.models import Pilot
from pilotmgr.rollout.models import RolloutTarget


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


def coverage_by_pilot(pilot_ids: Iterable[int], today: date) -> dict[int, Coverage]:
    """Coverage of each given pilot; a pilot without targets gets an empty Coverage."""
    ids = list(pilot_ids)
    if not ids:
        return {}
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
    found = {
        pilot_id: Coverage(int(total), int(d), int(ot), int(od), int(b))
        for pilot_id, total, d, ot, od, b in db.session.execute(query)
    }
    return {pilot_id: found.get(pilot_id, Coverage()) for pilot_id in ids}


def coverage_of(pilot_id: int, today: date) -> Coverage:
    return coverage_by_pilot([pilot_id], today)[pilot_id]
