"""Moving a pilot through its lifecycle: look up the step, check it, run its effects, record it."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError as SchemaError
from marshmallow import fields, missing

from pilotmgr.core import audit
from pilotmgr.core import validate as v
from pilotmgr.core.clock import local_today, now
from pilotmgr.core.errors import GuardFailed, PermissionDenied, ValidationFailed, check_version
from pilotmgr.extensions import db
from pilotmgr.pilots import lifecycle
from pilotmgr.pilots.effects import Moved
from pilotmgr.pilots.lifecycle import OUTCOMES, STAGES, STEPS, Request
from pilotmgr.pilots.permissions import require_visible
from pilotmgr.pilots.stages import Stage


class RegulationInput(v.Input):
    """The regulation that makes a rolled-out model mandatory (given when scaling)."""

    number = v.text(80, required=True)
    date = v.iso_date(required=True)
    issuer = v.text(255, required=True)
    title = v.text(255)


class _Regulation(fields.Nested):
    """An optional object: null or {} is "not given"; anything but an object is refused."""

    def __init__(self):
        super().__init__(RegulationInput, allow_none=True, load_default=None)

    def deserialize(self, value, attr=None, data=None, **kwargs):
        if value is None or value is missing or (isinstance(value, Mapping) and not value):
            return None
        if not isinstance(value, Mapping):
            raise SchemaError(str(_l("Expected an object.")))
        return super().deserialize(value, attr, data, **kwargs)


class TransitionInput(v.Input):
    to = v.choice(STAGES, required=True)
    #: Which step to `to`, where two people take different steps to one stage (optional).
    step = v.choice(tuple(STEPS))
    comment = v.prose(10_000)
    outcome = v.choice(OUTCOMES)
    new_end_date = v.iso_date()
    decision_number = v.text(80)
    decision_date = v.iso_date()
    lessons = v.prose(10_000)
    regulation = _Regulation()
    memo_id = v.row_ref()
    conditions = v.prose(10_000)
    #: The version read: a stale one is refused (optional).
    version = v.row_ref()


def _parse(data: Mapping) -> tuple[str, str | None, Request, int | None]:
    values = v.parse(data, TransitionInput)
    request = Request(
        comment=values["comment"] or "",
        outcome=values["outcome"],
        new_end_date=values["new_end_date"],
        decision_number=values["decision_number"] or "",
        decision_date=values["decision_date"],
        lessons=values["lessons"] or "",
        regulation=values["regulation"],
        today=local_today(),
        memo_id=values["memo_id"],
        conditions=values["conditions"] or "",
    )
    return values["to"], values["step"], request, values["version"]


def check(
    actor, pilot, target: str, request: Request, step: str | None = None
) -> lifecycle.Transition:
    """Return the transition `actor` may take to `target`, or raise with the reason."""
    candidates = lifecycle.transitions_from(pilot.stage, target)
    if step is not None:
        candidates = [t for t in candidates if t.name == step]
    if not candidates:
        raise GuardFailed([_cannot_move(pilot.stage, target)])
    roles = lifecycle.actor_roles(actor, pilot)
    allowed = [t for t in candidates if roles & t.actors]
    if target == Stage.closed:
        if request.outcome is None:
            raise ValidationFailed({"outcome": [str(_l("Say why the pilot is closed."))]})
        allowed = [t for t in allowed if request.outcome in t.outcomes]
    if not allowed:
        raise PermissionDenied(_who_may(pilot, candidates))
    transition = allowed[0]
    missing = transition.guard(pilot, request)
    if missing:
        raise GuardFailed(missing)
    return transition


def _cannot_move(stage: str, target: str) -> str:
    """Which stages the pilot can move to from here, since not the one asked."""
    labels = lifecycle.STAGE_LABELS
    reachable = dict.fromkeys(str(labels[t.target]) for t in lifecycle.transitions_from(stage))
    text = _("A pilot cannot move from “%(a)s” to “%(b)s”.", a=labels[stage], b=labels[target])
    if not reachable:
        return text
    stages = ", ".join(f"“{name}”" for name in reachable)
    then = _("From here it can move to %(stages)s.", stages=stages)
    return f"{text} {then}"


def _who_may(pilot, candidates) -> str:
    """Who may take the step: the owner, by name, and/or the heads of the pilot's unit (both
    shown on the pilot's page to whoever sees the pilot)."""
    actors = set().union(*(t.actors for t in candidates))
    who = []
    if "owner" in actors and pilot.owner is not None:
        who.append(_("its owner (%(name)s)", name=pilot.owner.name))
    if "head" in actors:
        who.append(_("a head of %(unit)s or of a unit above it", unit=pilot.unit.name))
    if not who:
        return _("You may not take this step for this pilot.")
    either = _("%(a)s or %(b)s", a=who[0], b=who[1]) if len(who) > 1 else who[0]
    return _("You may not take this step for this pilot: only %(who)s may.", who=either)


def dry_run(actor, pilot, data: Mapping) -> tuple[lifecycle.Transition, Request]:
    """Check a transition as `transition` would, changing nothing (for a confirmation page)."""
    require_visible(actor, pilot)
    target, step, request, version = _parse(data)
    if version is not None:
        check_version(pilot, version)
    return check(actor, pilot, target, request, step), request


def transition(actor, pilot, data: Mapping, *, announce: bool = True):
    """Move `pilot` to `data["to"]`: look up the step, check its guard, run its effects (as
    the lifecycle table lists them), record who, when, why.

    `announce=False` is for callers that tell people themselves (a selection over a
    challenge tells every candidate's owner of the one decision).
    """
    require_visible(actor, pilot)
    target, step_name, request, version = _parse(data)
    if version is not None:
        check_version(pilot, version)
    step = check(actor, pilot, target, request, step_name)
    moved = Moved(actor, pilot, step, pilot.stage, request)
    changing = [e for e in step.effects if getattr(e, "records_history", False)]
    for effect in changing:
        effect(moved)
    pilot.stage = target
    pilot.stage_changed_at = now()
    db.session.flush()
    moved.entry = audit.record(
        actor=actor,
        obj=pilot,
        action="transition",
        pilot_id=pilot.id,
        before={"stage": moved.source},
        after={"stage": target, "step": step.name, **moved.history, **_decision(request)},
        comment=request.comment,
        unit_code=pilot.unit.code,
    )
    db.session.flush()
    for effect in step.effects:
        if effect in changing or (not announce and getattr(effect, "announcement", False)):
            continue
        effect(moved)
    return pilot


def _decision(request: Request) -> dict:
    """The decision's number and date, on record with any step that gives them."""
    found = {}
    if request.decision_number:
        found["decision_number"] = request.decision_number
    if request.decision_date:
        found["decision_date"] = request.decision_date
    return found


def prerequisites(pilot, step: lifecycle.Transition) -> list:
    """What the step still needs that its form cannot supply (data elsewhere on the page)."""
    return [
        m
        for m in step.guard(pilot, Request(today=local_today()))
        if getattr(m, "field", None) is None
    ]
