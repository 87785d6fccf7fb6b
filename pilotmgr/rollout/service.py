"""Rollout targets: reading them, their progress one by one or ticked together, waves, the guide.

Planning them (by level, with a preview) and removing them is in `planning.py`.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from pilotmgr.auth.models import Role, User
from pilotmgr.core import audit
from pilotmgr.core import validate as v
from pilotmgr.core.authority import has_authority, require
from pilotmgr.core.clock import local_today
from pilotmgr.core.errors import Conflict, NotFound, ValidationFailed, check_version
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Pilot
from pilotmgr.pilots.permissions import can_update_target, can_view_target
from pilotmgr.pilots.service import find_user
from pilotmgr.pilots.stages import Stage
from pilotmgr.results.models import Evidence
from pilotmgr.rollout.models import TARGET_STATUSES, RolloutTarget
from pilotmgr.rollout.notices import tell_responsible
from pilotmgr.rollout.permissions import can_plan_rollout
from pilotmgr.units.models import Unit

STATUS_LABELS = {
    "planned": _l("planned"),
    "in_progress": _l("in progress"),
    "done": _l("done"),
    "blocked": _l("blocked"),
}
TARGET_AUDITED = ("status", "note", "blocked_reason", "due_date", "wave")


class TargetChanges(v.Input):
    """A target's progress (status, note, why blocked) and plan (due date, responsible, wave:
    planners only), from the version the caller read."""

    status = v.choice(TARGET_STATUSES)
    note = v.prose(10_000)
    blocked_reason = v.prose(2_000)
    due_date = v.iso_date()
    responsible = v.lookup(find_user, _l("No such user."))
    wave = v.integer(1, 99)
    version = v.version()


# --- reading ---------------------------------------------------------------------------


def get_target(user, target_id) -> RolloutTarget:
    """The target, if the user may see it; otherwise 404 as if it did not exist."""
    found = db.session.get(RolloutTarget, n) if (n := v.row_id(target_id)) else None
    if found is None or not can_view_target(user, found):
        raise NotFound(str(_l("No such rollout target.")))
    return found


def targets_of(pilot: Pilot, under: Unit | None = None) -> list[RolloutTarget]:
    """Every target of the pilot (with its unit), in tree order; optionally only below `under`."""
    return list(db.session.scalars(targets_query(pilot, under)).unique())


def targets_query(pilot: Pilot, under: Unit | None = None):
    query = (
        select(RolloutTarget)
        .join(RolloutTarget.unit)
        .options(contains_eager(RolloutTarget.unit))
        .where(RolloutTarget.pilot_id == pilot.id)
        .order_by(Unit.path)
    )
    if under is not None:
        query = query.where(Unit.path.startswith(under.path, autoescape=True))
    return query


def people(ids) -> dict[int, User]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


def heads_of(unit_ids) -> dict[int, User]:
    """The head of each unit (the first active one by id), for default responsible persons."""
    found: dict[int, User] = {}
    rows = db.session.scalars(
        select(User)
        .where(User.unit_id.in_(list(unit_ids)), User.role == Role.head, User.is_active_account)
        .order_by(User.id)
    )
    for head in rows:
        found.setdefault(head.unit_id, head)
    return found


def target_evidence(target: RolloutTarget) -> list[Evidence]:
    return list(
        db.session.scalars(
            select(Evidence).where(Evidence.rollout_target_id == target.id).order_by(Evidence.id)
        )
    )


# --- progress ----------------------------------------------------------------------------

#: Fields only planners change; the target unit reports status, note and why it is blocked.
PLANNING_FIELDS = ("due_date", "responsible", "wave")


def _changes_planning(target: RolloutTarget, values: dict) -> bool:
    current = {
        "due_date": target.due_date,
        "responsible": target.responsible_id,
        "wave": target.wave,
    }
    for name in PLANNING_FIELDS:
        if name not in values:
            continue
        new = values[name]
        if name == "responsible":
            new = new.id if new is not None else None
        if name == "wave" and new is None:
            continue
        if new != current[name]:
            return True
    return False


def update_target(actor, target: RolloutTarget, data: Mapping) -> RolloutTarget:
    """Status, note, blocked reason (required while blocked); due date, responsible person and
    wave (planners only). A new responsible person is told."""
    pilot = target.pilot
    may_report, may_plan = can_update_target(actor, target), can_plan_rollout(actor, pilot)
    require(
        may_report or may_plan,
        str(_l("Only the target unit and heads over the pilot may update this target.")),
    )
    values = v.parse(data, TargetChanges, partial=True)
    reports = any(k in values for k in ("status", "note", "blocked_reason"))
    plans = any(k in values for k in PLANNING_FIELDS)
    if _changes_planning(target, values) or (plans and not reports):
        require(
            may_plan,
            str(_l("Only planners change the due date, the responsible person or the wave.")),
        )
    if reports or not plans:
        require(
            may_report,
            str(_l("Only the target unit and heads over the pilot may update this target.")),
        )
    check_version(target, values["version"])
    status = values.get("status") or target.status
    opened = target.wave <= pilot.rollout_open_wave or has_authority(actor, pilot.unit)
    if status != target.status and not opened:
        raise Conflict(
            str(
                _l(
                    "This target is in wave %(wave)s, which is not open yet (open: up to wave"
                    " %(open)s).",
                    wave=target.wave,
                    open=pilot.rollout_open_wave,
                )
            )
        )
    reason = values.get("blocked_reason")
    reason = (target.blocked_reason if reason is None else reason).strip()
    if status == "blocked" and not reason:
        raise ValidationFailed(
            {"blocked_reason": [str(_l("Say why the target is blocked."))]},
        )
    before = _audited(target)
    old_status, old_responsible = target.status, target.responsible_id
    set_status(target, status, reason if status == "blocked" else "")
    if values.get("note") is not None:
        target.note = values["note"]
    if values.get("due_date") is not None:
        target.due_date = values["due_date"]
    if "responsible" in values:
        target.responsible_id = values["responsible"].id if values["responsible"] else None
    if values.get("wave") is not None:
        target.wave = values["wave"]
    db.session.flush()
    after = _audited(target)
    if status != old_status:
        note = target.blocked_reason if status == "blocked" else (values.get("note") or "")
        record_status(actor, pilot, [target], status, note, obj=target)
        for name in ("status", "blocked_reason", "note"):
            before.pop(name, None)
            after.pop(name, None)
    audit.record_changes(
        actor=actor,
        obj=target,
        before=before,
        after=after,
        pilot_id=pilot.id,
        unit_code=target.unit.code,
    )
    if target.responsible_id != old_responsible and target.responsible_id is not None:
        tell_responsible(
            "target_assigned", actor, pilot, [target], cause=f"target-{target.id}-v{target.version}"
        )
    return target


def _audited(target: RolloutTarget) -> dict:
    """What the history keeps of a target's change: the responsible person by name."""
    person = db.session.get(User, target.responsible_id) if target.responsible_id else None
    return audit.snapshot(target, TARGET_AUDITED) | {"responsible": person.name if person else None}


def set_status(target: RolloutTarget, status: str, reason: str) -> None:
    target.status = status
    target.blocked_reason = reason if status == "blocked" else ""
    if status == "done" and target.done_on is None:
        target.done_on = local_today()
    elif status != "done":
        target.done_on = None


def record_status(actor, pilot: Pilot, targets, status: str, note: str, obj=None):
    """One history entry for one status given to one or many targets, naming their units."""
    return audit.record(
        actor=actor,
        obj=obj or pilot,
        action=f"targets_{status}",
        pilot_id=pilot.id,
        after={
            "name": ", ".join(t.unit.name for t in targets),
            "units": [t.unit.code for t in targets],
            "status": status,
        },
        comment=note,
        unit_code=targets[0].unit.code if len(targets) == 1 else pilot.unit.code,
    )


def add_target_evidence(actor, target: RolloutTarget, file, note: str = "") -> Evidence:
    from pilotmgr.pilots.files import save_file

    require(
        can_update_target(actor, target),
        str(_l("Only the target unit and heads over the pilot may update this target.")),
    )
    return save_file(actor, target.pilot, file, note, rollout_target_id=target.id)


def open_next_wave(actor, pilot: Pilot) -> int:
    """A head opens the next wave, typically after looking at the earlier wave's results."""
    require(
        pilot.stage in (Stage.selected, Stage.rolling_out) and has_authority(actor, pilot.unit),
        str(_l("Only heads with authority over the pilot open a wave.")),
    )
    later = db.session.scalar(
        select(RolloutTarget.wave)
        .where(RolloutTarget.pilot_id == pilot.id, RolloutTarget.wave > pilot.rollout_open_wave)
        .order_by(RolloutTarget.wave)
        .limit(1)
    )
    if later is None:
        raise Conflict(str(_l("There is no later wave to open.")))
    before = pilot.rollout_open_wave
    pilot.rollout_open_wave = later
    db.session.flush()
    entry = audit.record(
        actor=actor,
        obj=pilot,
        action="open_wave",
        pilot_id=pilot.id,
        before={"rollout_open_wave": before},
        after={"rollout_open_wave": later},
        unit_code=pilot.unit.code,
    )
    db.session.flush()
    if pilot.stage == Stage.rolling_out:
        # Before the rollout is approved the target units cannot act yet; its approval tells
        # the people of the open waves.
        opened = db.session.scalars(
            targets_query(pilot).where(RolloutTarget.wave > before, RolloutTarget.wave <= later)
        ).unique()
        tell_responsible(
            "wave_opened", actor, pilot, list(opened), cause=f"history-{entry.id}", wave=later
        )
    return later


def require_planner(actor, pilot: Pilot) -> None:
    require(
        can_plan_rollout(actor, pilot),
        str(_l("Only the owner and heads with authority plan the rollout of a selected pilot.")),
    )


def set_guide(actor, pilot: Pilot, data: Mapping) -> Pilot:
    """The success formula and the step-by-step guide that travel with the plan."""
    require_planner(actor, pilot)
    values = v.parse(
        data, {"success_formula": v.prose(10_000), "rollout_guide": v.prose(20_000)}, partial=True
    )
    before = audit.snapshot(pilot, ("success_formula", "rollout_guide"))
    for name, value in values.items():
        setattr(pilot, name, value or "")
    audit.record_changes(
        actor=actor,
        obj=pilot,
        before=before,
        after=audit.snapshot(pilot, ("success_formula", "rollout_guide")),
        pilot_id=pilot.id,
        unit_code=pilot.unit.code,
    )
    return pilot
