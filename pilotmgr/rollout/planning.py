"""Planning a rollout by level: choose the units, look at them, then create their targets at once.

A planner picks a level — the provinces and centrally-run cities, the departments of one
province, the units directly under a unit, or one unit — with the due date, the wave and who
answers for each unit (by default its head). The preview lists the units, those already in the
plan and those nobody would answer for; the planner ticks the ones to keep. Creating them is
one action with one history entry naming every unit, and each responsible person is told.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from pilotmgr.auth.models import User
from pilotmgr.core import audit
from pilotmgr.core import validate as v
from pilotmgr.core.clock import local_today
from pilotmgr.core.errors import ValidationFailed
from pilotmgr.core.formats import format_day
from pilotmgr.core.text import fold
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Pilot
from pilotmgr.pilots.naming import SHOWN, quoted
from pilotmgr.pilots.service import find_unit, find_user
from pilotmgr.results.models import Evidence
from pilotmgr.rollout.models import RolloutTarget
from pilotmgr.rollout.notices import tell_responsible
from pilotmgr.rollout.service import STATUS_LABELS, heads_of, require_planner
from pilotmgr.units.models import Unit

LEVEL_LABELS = {
    "provinces": _l("The provinces and centrally-run cities"),
    "departments": _l("The departments of a province or city"),
    "children": _l("Every unit directly under a unit"),
    "unit": _l("One unit"),
}
LEVELS = tuple(LEVEL_LABELS)
#: Levels that need the unit they are counted under.
UNDER_A_UNIT = ("departments", "children")


@dataclass(frozen=True)
class PlanRow:
    unit: Unit
    #: Already a target of this pilot: shown, not created again.
    taken: bool
    #: Who would answer for it: the person chosen, else the unit's head; None is nobody.
    responsible: User | None


@dataclass
class Plan:
    level: str
    parent: Unit | None
    unit: Unit | None
    due_date: date
    wave: int
    chosen: User | None
    rows: list[PlanRow] = field(default_factory=list)

    @property
    def new_rows(self) -> list[PlanRow]:
        return [r for r in self.rows if not r.taken]

    @property
    def nobody(self) -> list[PlanRow]:
        """Units that would get a target with nobody answerable for it."""
        return [r for r in self.new_rows if r.responsible is None]


def _codes(value) -> list[str]:
    if isinstance(value, str) and not v.json_types():
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(c, str) for c in value):
        raise ValueError(_l("Choose units from the list."))
    return list(dict.fromkeys(c.strip() for c in value if c.strip()))


def _level(value) -> str:
    if value not in LEVELS:
        raise ValueError(_l("Choose a level from the list."))
    return value


class PlanInput(v.Input):
    """Which units (a level, or as before `unit` alone or `under` a unit), by when, in which
    wave, who answers for them; `units`: the codes kept from the preview (all when absent)."""

    level = v.custom(_level, {"type": "string", "enum": list(LEVELS)})
    parent = v.lookup(find_unit, _l("No such unit."))
    under = v.lookup(find_unit, _l("No such unit."))
    unit = v.lookup(find_unit, _l("No such unit."))
    responsible = v.lookup(find_user, _l("No such user."))
    due_date = v.iso_date(required=True)
    wave = v.integer(1, 99)
    units = v.custom(_codes, {"type": "array", "items": {"type": "string"}})


class RemovalInput(v.Input):
    reason = v.prose(2_000, required=True)


def _parse(data: Mapping) -> dict:
    values = v.parse(data, PlanInput)
    if values["level"] is None:
        # The API's first form: `unit` alone, or `under` for every unit directly under it.
        if values["under"] is not None and values["unit"] is None:
            values["level"], values["parent"] = "children", values["under"]
        elif values["unit"] is not None and values["under"] is None:
            values["level"] = "unit"
        else:
            raise ValidationFailed({"unit": [str(_l("Give either a unit or a parent unit."))]})
    errors = {}
    if values["level"] in UNDER_A_UNIT and values["parent"] is None:
        values["parent"] = values["under"]
        if values["parent"] is None:
            errors["parent"] = [str(_l("Choose the unit they are under."))]
    if values["level"] == "unit" and values["unit"] is None:
        errors["unit"] = [str(_l("Choose the unit."))]
    if values["due_date"] is not None and values["due_date"] < local_today():
        errors["due_date"] = [str(_l("The due date has already passed."))]
    if errors:
        raise ValidationFailed(errors)
    return values


def level_units(level: str, parent: Unit | None, unit: Unit | None) -> list[Unit]:
    """The active units a level names, by name as a reader looks them up."""
    if level == "unit":
        return [unit] if unit is not None else []
    query = select(Unit).where(Unit.is_active).order_by(Unit.path)
    if level == "provinces":
        query = query.where(Unit.kind == "province")
    elif level == "departments":
        query = query.where(
            Unit.kind == "department",
            Unit.path.startswith(parent.path, autoescape=True),
            Unit.id != parent.id,
        )
    else:
        query = query.where(Unit.parent_id == parent.id)
    return sorted(db.session.scalars(query), key=lambda u: (fold(u.name), u.id))


def _plan(pilot: Pilot, values: dict) -> Plan:
    units = level_units(values["level"], values["parent"], values["unit"])
    taken = set(
        db.session.scalars(select(RolloutTarget.unit_id).where(RolloutTarget.pilot_id == pilot.id))
    )
    chosen = values["responsible"]
    heads = {} if chosen else heads_of(u.id for u in units)
    plan = Plan(
        level=values["level"],
        parent=values["parent"],
        unit=values["unit"],
        due_date=values["due_date"],
        wave=values["wave"] or 1,
        chosen=chosen,
    )
    plan.rows = [PlanRow(u, u.id in taken, chosen or heads.get(u.id)) for u in units]
    return plan


def preview(actor, pilot: Pilot, data: Mapping) -> Plan:
    """The units a plan would reach, changing nothing."""
    require_planner(actor, pilot)
    values = _parse(data)
    plan = _plan(pilot, values)
    if not plan.rows:
        field_ = "unit" if plan.level == "unit" else "parent"
        raise ValidationFailed({field_: [str(_l("This level holds no unit."))]})
    return plan


def _chosen_rows(plan: Plan, codes: list[str] | None) -> list[PlanRow]:
    """The rows the planner ticked (every new one when the API names none), or why not."""
    if codes is None:
        rows = plan.new_rows
        if not rows:
            field_ = {"unit": "unit", "provinces": "level"}.get(plan.level, "parent")
            if plan.level == "unit":
                message = _l("This unit is already a target.")
            else:
                message = _l("No unit under it that is not a target already.")
            raise ValidationFailed({field_: [str(message)]})
        return rows
    by_code = {r.unit.code: r for r in plan.rows}
    errors = []
    for code in codes:
        row = by_code.get(code)
        if row is None:
            errors.append(str(_l("%(code)s is not among the units of this level.", code=code)))
        elif row.taken:
            errors.append(str(_l("%(unit)s is already a target.", unit=row.unit.name)))
    if errors:
        raise ValidationFailed({"units": errors})
    if not codes:
        raise ValidationFailed({"units": [str(_l("Tick at least one unit."))]})
    return [by_code[c] for c in codes]


def plan_targets(actor, pilot: Pilot, data: Mapping) -> list[RolloutTarget]:
    """Create the targets of the ticked units (`units`: codes; all of the level's when absent)."""
    require_planner(actor, pilot)
    values = _parse(data)
    plan = _plan(pilot, values)
    rows = _chosen_rows(plan, values["units"])
    created = [
        RolloutTarget(
            pilot_id=pilot.id,
            unit_id=row.unit.id,
            responsible_id=row.responsible.id if row.responsible else None,
            due_date=plan.due_date,
            wave=plan.wave,
            status="planned",
        )
        for row in rows
    ]
    db.session.add_all(created)
    db.session.flush()
    entry = audit.record(
        actor=actor,
        obj=pilot,
        action="plan_targets",
        pilot_id=pilot.id,
        after={
            "name": ", ".join(r.unit.name for r in rows),
            "units": [r.unit.code for r in rows],
            "level": plan.level,
            "due_date": plan.due_date,
            "wave": plan.wave,
            "responsible": plan.chosen.email if plan.chosen else None,
            "without_responsible": [r.unit.code for r in rows if r.responsible is None],
        },
        unit_code=pilot.unit.code,
    )
    db.session.flush()
    tell_responsible("target_assigned", actor, pilot, created, cause=f"history-{entry.id}")
    return created


# --- removing ----------------------------------------------------------------------------------


def why_not_removable(target: RolloutTarget) -> str | None:
    """A target may leave the plan only before anything happened to it."""
    if target.status != "planned":
        return str(
            _l(
                "Only a target that has not started can be removed; this one is “%(status)s”.",
                status=STATUS_LABELS[target.status],
            )
        )
    if target.done_on is not None:
        return str(
            _l(
                "Only a target that has not started can be removed; this one was done on %(day)s.",
                day=format_day(target.done_on),
            )
        )
    if target.note.strip():
        return str(_l("This target already has a note: it has started."))
    files = db.session.scalars(
        select(Evidence.filename)
        .where(Evidence.rollout_target_id == target.id)
        .order_by(Evidence.id)
        .limit(SHOWN)
    ).all()
    if files:
        return str(
            _l(
                "This target already has evidence (%(files)s): it has started.",
                files=", ".join(quoted(f) for f in files),
            )
        )
    return None


def remove_target(actor, target: RolloutTarget, data: Mapping) -> None:
    """Take a target that has not started out of the plan, with a reason, on record."""
    pilot = target.pilot
    require_planner(actor, pilot)
    values = v.parse(data, RemovalInput)
    refusal = why_not_removable(target)
    if refusal:
        raise ValidationFailed({"reason": [refusal]})
    responsible = db.session.get(User, target.responsible_id) if target.responsible_id else None
    entry = audit.record(
        actor=actor,
        obj=target,
        action="remove_target",
        pilot_id=pilot.id,
        before=audit.snapshot(target, ("due_date", "wave", "responsible_id")),
        after={
            "name": target.unit.name,
            "unit": target.unit.code,
            "responsible": responsible.email if responsible else None,
        },
        comment=values["reason"],
        unit_code=target.unit.code,
    )
    db.session.flush()
    tell_responsible(
        "target_removed", actor, pilot, [target], cause=f"history-{entry.id}", reason=entry.comment
    )
    db.session.delete(target)
    db.session.flush()
