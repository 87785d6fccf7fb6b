"""Merging unit A into unit B (as the provinces merged in 2025): nothing lost, nothing doubled.

Users, pilots, rollout targets and child units move to B (tasks go with their pilots). A stays
as an inactive unit that points at B, and every history entry written before keeps A's code,
so the record still shows the work was done under A. Each move is itself written to history.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from pilotmgr.auth.models import User
from pilotmgr.core import audit
from pilotmgr.core import validate as v
from pilotmgr.core.authority import in_subtree, is_admin, require
from pilotmgr.core.errors import ValidationFailed
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Pilot
from pilotmgr.pilots.service import find_unit
from pilotmgr.results.models import Evidence
from pilotmgr.rollout.models import RolloutTarget
from pilotmgr.units.models import Unit

#: When both units are targets of one pilot, the one further along is kept.
PROGRESS = {"done": 3, "in_progress": 2, "blocked": 1, "planned": 0}


def _merge_pair(actor, data: Mapping) -> tuple[Unit, Unit]:
    """The two units a merge names (`source`, `target` codes), once checked it can be done."""
    require(is_admin(actor), str(_l("Only administrators manage units.")))
    values = v.parse(
        data,
        {
            "source": v.lookup(find_unit, _l("No such unit."), required=True),
            "target": v.lookup(find_unit, _l("No such unit."), required=True),
        },
    )
    source, target = values["source"], values["target"]
    if source.id == target.id or in_subtree(target, source):
        raise ValidationFailed(
            {"target": [str(_l("Merge into a unit that is not the unit itself or below it."))]}
        )
    return source, target


def preview_merge(actor, data: Mapping) -> dict:
    """What merging `source` into `target` would move, counted; nothing is changed.

    The same counts `merge_units` returns, plus the tasks that go with the pilots, and the
    two units themselves (`source`, `target`) for the confirmation page.
    """
    from sqlalchemy import func

    from pilotmgr.pilots.models import Task

    source, target = _merge_pair(actor, data)

    def count(query) -> int:
        return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0

    both = select(RolloutTarget.pilot_id).where(RolloutTarget.unit_id == target.id)
    mine = select(RolloutTarget.id).where(RolloutTarget.unit_id == source.id)
    combined = count(mine.where(RolloutTarget.pilot_id.in_(both)))
    return {
        "source": source,
        "target": target,
        "users": count(select(User.id).where(User.unit_id == source.id)),
        "pilots": count(select(Pilot.id).where(Pilot.unit_id == source.id)),
        "tasks": count(
            select(Task.id).join(Pilot, Task.pilot_id == Pilot.id).where(Pilot.unit_id == source.id)
        ),
        "targets": count(mine) - combined,
        "targets_combined": combined,
        "units": count(select(Unit.id).where(Unit.parent_id == source.id)),
    }


def merge_units(actor, data: Mapping) -> dict:
    """Merge `source` into `target` (unit codes); return how many of each were moved."""
    source, target = _merge_pair(actor, data)
    counts = {
        "users": _move_rows(actor, User, source, target),
        "pilots": _move_rows(actor, Pilot, source, target),
        **_move_targets(actor, source, target),
        "units": _move_children(source, target),
    }
    source.is_active = False
    source.merged_into_id = target.id
    # Units merged into A earlier now lead to B as well.
    db.session.execute(
        update(Unit).where(Unit.merged_into_id == source.id).values(merged_into_id=target.id)
    )
    db.session.flush()
    audit.record(
        actor=actor,
        obj=source,
        action="merge",
        before={"code": source.code, "active": True},
        after={"merged_into": target.code, **counts},
        unit_code=source.code,
    )
    return counts


def _move_rows(actor, model, source: Unit, target: Unit) -> int:
    """Move every `model` row (users or pilots) of A to B, each move on record."""
    rows = list(db.session.scalars(select(model).where(model.unit_id == source.id)))
    for row in rows:
        row.unit_id = target.id
        audit.record(
            actor=actor,
            obj=row,
            action="unit_merged",
            pilot_id=row.id if model is Pilot else None,
            before={"unit": source.code},
            after={"unit": target.code},
            unit_code=source.code,
        )
    return len(rows)


def _move_targets(actor, source: Unit, target: Unit) -> dict:
    """Move A's targets to B; where a pilot targets both, keep the one further along."""
    moved = combined = 0
    theirs = {
        t.pilot_id: t
        for t in db.session.scalars(select(RolloutTarget).where(RolloutTarget.unit_id == target.id))
    }
    for mine in db.session.scalars(select(RolloutTarget).where(RolloutTarget.unit_id == source.id)):
        other = theirs.get(mine.pilot_id)
        if other is None:
            mine.unit_id = target.id
            moved += 1
            audit.record(
                actor=actor,
                obj=mine,
                action="unit_merged",
                pilot_id=mine.pilot_id,
                before={"unit": source.code},
                after={"unit": target.code},
                unit_code=source.code,
            )
            continue
        # B's row stays (one row per pilot and unit); it takes A's progress if A got further.
        fields = ("status", "note", "due_date", "done_on", "responsible_id", "blocked_reason")
        dropped, kept = audit.snapshot(mine, ("id", *fields)), audit.snapshot(other, fields)
        if PROGRESS[mine.status] > PROGRESS[other.status]:
            for name in fields:
                setattr(other, name, getattr(mine, name))
        db.session.execute(
            update(Evidence)
            .where(Evidence.rollout_target_id == mine.id)
            .values(rollout_target_id=other.id)
        )
        db.session.delete(mine)
        db.session.flush()
        audit.record(
            actor=actor,
            obj=other,
            action="unit_merged",
            pilot_id=other.pilot_id,
            before={"unit": target.code, "kept": kept, "combined_with": dropped},
            after=audit.snapshot(other, fields) | {"unit": target.code},
            comment=str(_l("Both units were targets; the two targets were combined.")),
            unit_code=source.code,
        )
        combined += 1
    return {"targets": moved, "targets_combined": combined}


def _move_children(source: Unit, target: Unit) -> int:
    """Re-hang A's child units (and their subtrees) under B, paths included."""
    below = list(
        db.session.scalars(
            select(Unit).where(
                Unit.path.startswith(source.path, autoescape=True), Unit.id != source.id
            )
        )
    )
    for unit in below:
        if unit.parent_id == source.id:
            unit.parent_id = target.id
        unit.path = target.path + unit.path[len(source.path) :]
    return sum(1 for u in below if u.parent_id == target.id)
