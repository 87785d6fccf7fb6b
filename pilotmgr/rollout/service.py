"""The rollout plan: targets one by one or a subtree at once, their updates, waves, the guide."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from pilotmgr.auth.models import Role, User
from pilotmgr.core import audit
from pilotmgr.core import validate as v
from pilotmgr.core.clock import local_today
from pilotmgr.core.errors import Conflict, NotFound, ValidationFailed, check_version
from pilotmgr.core.permissions import (
    can_plan_rollout,
    can_update_target,
    can_view_pilot,
    has_authority,
    require,
)
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Pilot
from pilotmgr.pilots.service import find_unit, find_user
from pilotmgr.results.models import Evidence
from pilotmgr.rollout.models import TARGET_STATUSES, RolloutTarget
from pilotmgr.units.models import Unit

STATUS_LABELS = {
    "planned": _l("planned"),
    "in_progress": _l("in progress"),
    "done": _l("done"),
    "blocked": _l("blocked"),
}
TARGET_AUDITED = ("status", "note", "blocked_reason", "due_date", "responsible_id", "wave")


def target_fields() -> dict[str, v.Field]:
    return {
        "unit": v.lookup(find_unit, _l("No such unit.")),
        "under": v.lookup(find_unit, _l("No such unit.")),
        "responsible": v.lookup(find_user, _l("No such user.")),
        "due_date": v.iso_date(required=True),
        "wave": v.integer(1, 99),
    }


def update_fields() -> dict[str, v.Field]:
    return {
        "status": v.choice(TARGET_STATUSES),
        "note": v.text(10_000),
        "blocked_reason": v.text(2_000),
        "due_date": v.iso_date(),
    }


# --- reading ---------------------------------------------------------------------------


def get_target(user, target_id) -> RolloutTarget:
    """The target, if the user may see its pilot; otherwise 404 as if it did not exist."""
    found = db.session.get(RolloutTarget, n) if (n := v.row_id(target_id)) else None
    if found is None or not can_view_pilot(user, found.pilot):
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


def regulation_file(pilot: Pilot) -> Evidence | None:
    return db.session.scalar(
        select(Evidence)
        .where(Evidence.pilot_id == pilot.id, Evidence.purpose == "regulation")
        .order_by(Evidence.id.desc())
        .limit(1)
    )


# --- planning --------------------------------------------------------------------------


def _require_plan(actor, pilot: Pilot) -> None:
    require(
        can_plan_rollout(actor, pilot),
        str(_l("Only the owner and heads with authority plan the rollout of a selected pilot.")),
    )


def add_targets(actor, pilot: Pilot, data: Mapping) -> list[RolloutTarget]:
    """Add one target (`unit`) or one for every unit directly under `under`, in one action.

    Units already in the plan are left as they are when adding a subtree; naming one alone
    is refused. Without `responsible`, each target unit's head answers for it.
    """
    _require_plan(actor, pilot)
    values = v.parse(data, target_fields())
    single, under = values["unit"], values["under"]
    if (single is None) == (under is None):
        raise ValidationFailed({"unit": [str(_l("Give either a unit or a parent unit."))]})
    taken = set(
        db.session.scalars(select(RolloutTarget.unit_id).where(RolloutTarget.pilot_id == pilot.id))
    )
    if single is not None:
        if single.id in taken:
            raise ValidationFailed({"unit": [str(_l("This unit is already a target."))]})
        units = [single]
    else:
        units = list(
            db.session.scalars(
                select(Unit)
                .where(Unit.parent_id == under.id, Unit.is_active, Unit.id.not_in(taken))
                .order_by(Unit.path)
            )
        )
        if not units:
            raise ValidationFailed(
                {"under": [str(_l("No unit under it that is not a target already."))]}
            )
    heads = {} if values["responsible"] else heads_of(u.id for u in units)
    created = []
    for unit in units:
        responsible = values["responsible"] or heads.get(unit.id)
        created.append(
            RolloutTarget(
                pilot_id=pilot.id,
                unit_id=unit.id,
                responsible_id=responsible.id if responsible else None,
                due_date=values["due_date"],
                wave=values["wave"] or 1,
                status="planned",
            )
        )
    db.session.add_all(created)
    db.session.flush()
    for target in created:
        audit.record(
            actor=actor,
            obj=target,
            action="create",
            pilot_id=pilot.id,
            after=audit.snapshot(target, ("unit_id", "responsible_id", "due_date", "wave")),
            unit_code=target.unit.code,
        )
    return created


def update_target(actor, target: RolloutTarget, data: Mapping) -> RolloutTarget:
    """Status, note, blocked reason (required while blocked), due date (planners only)."""
    pilot = target.pilot
    require(
        can_update_target(actor, target),
        str(_l("Only the target unit and heads over the pilot may update this target.")),
    )
    check_version(target, data.get("version"))
    values = v.parse(data, update_fields(), partial=True)
    if "due_date" in values and values["due_date"] != target.due_date:
        require(can_plan_rollout(actor, pilot), str(_l("Only planners change the due date.")))
    status = values.get("status") or target.status
    opened = target.wave <= pilot.rollout_open_wave or has_authority(actor, pilot.unit)
    if status != target.status and not opened:
        raise Conflict(str(_l("This target's wave is not open yet.")))
    reason = values.get("blocked_reason")
    reason = (target.blocked_reason if reason is None else reason).strip()
    if status == "blocked" and not reason:
        raise ValidationFailed(
            {"blocked_reason": [str(_l("Say why the target is blocked."))]},
        )
    before = audit.snapshot(target, TARGET_AUDITED)
    target.status = status
    target.blocked_reason = reason if status == "blocked" else ""
    if values.get("note") is not None:
        target.note = values["note"]
    if values.get("due_date") is not None:
        target.due_date = values["due_date"]
    if status == "done" and target.done_on is None:
        target.done_on = local_today()
    elif status != "done":
        target.done_on = None
    audit.record_changes(
        actor=actor,
        obj=target,
        before=before,
        after=audit.snapshot(target, TARGET_AUDITED),
        pilot_id=pilot.id,
        unit_code=target.unit.code,
    )
    return target


def add_target_evidence(actor, target: RolloutTarget, file, note: str = "") -> Evidence:
    from pilotmgr.results.evidence import save_file

    require(
        can_update_target(actor, target),
        str(_l("Only the target unit and heads over the pilot may update this target.")),
    )
    return save_file(actor, target.pilot, file, note, rollout_target_id=target.id)


def open_next_wave(actor, pilot: Pilot) -> int:
    """A head opens the next wave, typically after looking at the earlier wave's results."""
    require(
        pilot.stage in ("selected", "rolling_out") and has_authority(actor, pilot.unit),
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
    audit.record(
        actor=actor,
        obj=pilot,
        action="open_wave",
        pilot_id=pilot.id,
        before={"rollout_open_wave": before},
        after={"rollout_open_wave": later},
        unit_code=pilot.unit.code,
    )
    return later


def set_guide(actor, pilot: Pilot, data: Mapping) -> Pilot:
    """The success formula and the step-by-step guide that travel with the plan."""
    _require_plan(actor, pilot)
    values = v.parse(
        data, {"success_formula": v.text(10_000), "rollout_guide": v.text(20_000)}, partial=True
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
