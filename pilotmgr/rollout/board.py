"""What the rollout board, the pilot page and the programme-wide page show: flat query counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from pilotmgr.core.charts import step_chart
from pilotmgr.core.clock import local_today
from pilotmgr.core.pagination import Page, paginate
from pilotmgr.core.permissions import (
    can_plan_rollout,
    can_update_target,
    has_authority,
    visible_pilots_clause,
)
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Pilot
from pilotmgr.rollout import service
from pilotmgr.rollout.coverage import Coverage, coverage_by_pilot, coverage_of, progress
from pilotmgr.rollout.models import RolloutTarget
from pilotmgr.units.models import Unit

ROLLOUT_STAGES = ("selected", "rolling_out", "scaled")


def is_overdue(target: RolloutTarget, pilot: Pilot, today: date) -> bool:
    return (
        target.status != "done"
        and target.wave <= pilot.rollout_open_wave
        and target.due_date is not None
        and target.due_date < today
    )


@dataclass
class Row:
    target: RolloutTarget
    overdue: bool
    can_update: bool


def _attention_first(rows: list[Row]) -> list[Row]:
    """Overdue and blocked targets first (in tree order), then the rest in tree order."""
    return sorted(rows, key=lambda r: not (r.overdue or r.target.status == "blocked"))


def board(user, pilot: Pilot, parent: Unit | None = None) -> dict:
    today = local_today()
    targets = service.targets_of(pilot, parent)
    rows = _attention_first(
        [Row(t, is_overdue(t, pilot, today), can_update_target(user, t)) for t in targets]
    )
    coverage = coverage_of(pilot.id, today, parent)
    return {
        "rows": rows,
        "coverage": coverage,
        "people": service.people(t.responsible_id for t in targets),
        "parents": target_parents(pilot),
        "parent": parent,
        "chart": step_chart(progress(pilot.id, parent), coverage.total, until=today),
        "today": today,
        "waves": sorted({t.wave for t in targets}),
        "can_plan": can_plan_rollout(user, pilot),
        "is_head": has_authority(user, pilot.unit),
    }


def target_parents(pilot: Pilot) -> list[Unit]:
    """The units directly above the pilot's targets, to filter the board by."""
    parent_ids = (
        select(Unit.parent_id)
        .join(RolloutTarget, RolloutTarget.unit_id == Unit.id)
        .where(RolloutTarget.pilot_id == pilot.id)
    )
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(parent_ids)).order_by(Unit.path)))


def pilot_summary(user, pilot: Pilot) -> dict | None:
    """The rollout block of the pilot page (None before the pilot is selected)."""
    from pilotmgr.units.service import all_units, tree_order

    if pilot.stage not in ROLLOUT_STAGES:
        return None
    can_plan = can_plan_rollout(user, pilot)
    return {
        "coverage": coverage_of(pilot.id, local_today()),
        "can_plan": can_plan,
        "units": tree_order(all_units()) if can_plan else [],
        "is_head": has_authority(user, pilot.unit),
        "regulation_file": service.regulation_file(pilot),
        "has_later_wave": db.session.scalar(
            select(RolloutTarget.id)
            .where(RolloutTarget.pilot_id == pilot.id, RolloutTarget.wave > pilot.rollout_open_wave)
            .limit(1)
        )
        is not None,
    }


def rolling_out(user, page: int, per_page: int) -> tuple[Page, dict[int, Coverage]]:
    """Every rolling-out pilot the user may see, with its coverage."""
    query = select(Pilot).where(Pilot.stage == "rolling_out").order_by(Pilot.title, Pilot.id)
    clause = visible_pilots_clause(user)
    if clause is not None:
        query = query.where(clause)
    found = paginate(query, page, per_page)
    return found, coverage_by_pilot([p.id for p in found.items], local_today())
