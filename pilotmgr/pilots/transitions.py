"""Moving a pilot through its lifecycle: permission, guard, change, history, effects, signal."""

from __future__ import annotations

from collections.abc import Mapping

from blinker import Namespace
from flask_babel import lazy_gettext as _l

from pilotmgr.core import audit
from pilotmgr.core import validate as v
from pilotmgr.core.clock import local_today, now
from pilotmgr.core.errors import GuardFailed, PermissionDenied, ValidationFailed, check_version
from pilotmgr.core.permissions import require_visible
from pilotmgr.extensions import db
from pilotmgr.pilots import lifecycle
from pilotmgr.pilots.effects import Moved
from pilotmgr.pilots.lifecycle import OUTCOMES, STAGES, STEPS, Request

signals = Namespace()
#: Sent after a pilot changed stage (sender: the pilot; actor, transition, request).
pilot_transitioned = signals.signal("pilot-transitioned")

TRANSITION_FIELDS = {
    "to": v.choice(STAGES, required=True),
    #: Which step to `to`, where two people take different steps to one stage (optional).
    "step": v.choice(tuple(STEPS)),
    "comment": v.prose(10_000),
    "outcome": v.choice(OUTCOMES),
    "new_end_date": v.iso_date(),
    "decision_number": v.text(80),
    "decision_date": v.iso_date(),
    "lessons": v.prose(10_000),
    "memo_id": v.integer(min_value=1, max_value=v.MAX_ROW_ID),
    "conditions": v.prose(10_000),
}
REGULATION_FIELDS = {
    "number": v.text(80, required=True),
    "date": v.iso_date(required=True),
    "issuer": v.text(255, required=True),
    "title": v.text(255),
}


def _parse(data: Mapping) -> tuple[str, str | None, Request]:
    values = v.parse(data, TRANSITION_FIELDS)
    regulation = data.get("regulation")
    if regulation not in (None, "", {}):
        try:
            regulation = v.parse(regulation, REGULATION_FIELDS)
        except ValidationFailed as exc:
            raise ValidationFailed({f"regulation.{k}": m for k, m in exc.errors.items()}) from None
    else:
        regulation = None
    request = Request(
        comment=values["comment"] or "",
        outcome=values["outcome"],
        new_end_date=values["new_end_date"],
        decision_number=values["decision_number"] or "",
        decision_date=values["decision_date"],
        lessons=values["lessons"] or "",
        regulation=regulation,
        today=local_today(),
        memo_id=values["memo_id"],
        conditions=values["conditions"] or "",
    )
    return values["to"], values["step"], request


def check(
    actor, pilot, target: str, request: Request, step: str | None = None
) -> lifecycle.Transition:
    """Return the transition `actor` may take to `target`, or raise with the reason."""
    candidates = lifecycle.transitions_from(pilot.stage, target)
    if step is not None:
        candidates = [t for t in candidates if t.name == step]
    if not candidates:
        raise GuardFailed(
            [
                _l(
                    "A pilot cannot move from “%(a)s” to “%(b)s”.",
                    a=lifecycle.STAGE_LABELS[pilot.stage],
                    b=lifecycle.STAGE_LABELS[target],
                )
            ]
        )
    roles = lifecycle.actor_roles(actor, pilot)
    allowed = [t for t in candidates if roles & t.actors]
    if target == "closed":
        if request.outcome is None:
            raise ValidationFailed({"outcome": [str(_l("Say why the pilot is closed."))]})
        allowed = [t for t in allowed if request.outcome in t.outcomes]
    if not allowed:
        raise PermissionDenied(str(_l("You may not take this step for this pilot.")))
    transition = allowed[0]
    missing = transition.guard(pilot, request)
    if missing:
        raise GuardFailed(missing)
    return transition


def dry_run(actor, pilot, data: Mapping) -> tuple[lifecycle.Transition, Request]:
    """Check a transition as `transition` would, changing nothing (for a confirmation page)."""
    require_visible(actor, pilot)
    if data.get("version") not in (None, ""):
        check_version(pilot, data["version"])
    target, step, request = _parse(data)
    return check(actor, pilot, target, request, step), request


def transition(actor, pilot, data: Mapping, *, announce: bool = True):
    """Move `pilot` to `data["to"]`; record who, when, why; run the step's effects.

    `announce=False` is for callers that tell people themselves (a selection over a
    challenge tells every candidate's owner of the one decision).
    """
    require_visible(actor, pilot)
    if data.get("version") not in (None, ""):
        check_version(pilot, data["version"])
    target, step_name, request = _parse(data)
    step = check(actor, pilot, target, request, step_name)
    source = pilot.stage
    extra: dict = {}
    if target == "piloting" and source == "evaluating":
        extra["end_date"] = pilot.end_date
        pilot.end_date = request.new_end_date
    if target == "closed":
        pilot.outcome = request.outcome
        extra["outcome"] = request.outcome
        if request.lessons:
            pilot.lessons = request.lessons
    if target == "scaled" and request.regulation:
        pilot.regulation_number = request.regulation["number"]
        pilot.regulation_date = request.regulation["date"]
        pilot.regulation_issuer = request.regulation["issuer"]
        pilot.regulation_title = request.regulation.get("title") or pilot.regulation_title
        extra["regulation"] = request.regulation
    if request.decision_number:
        extra["decision_number"] = request.decision_number
    if request.decision_date:
        extra["decision_date"] = request.decision_date
    if target == "rolling_out":
        pilot.rollout_decision_number = request.decision_number or pilot.rollout_decision_number
        pilot.rollout_decision_date = request.decision_date or pilot.rollout_decision_date
    pilot.stage = target
    pilot.stage_changed_at = now()
    db.session.flush()
    after = {"stage": target, "step": step.name, **extra}
    if "end_date" in extra:
        after["end_date"] = pilot.end_date
    entry = audit.record(
        actor=actor,
        obj=pilot,
        action="transition",
        pilot_id=pilot.id,
        before={"stage": source},
        after=after,
        comment=request.comment,
        unit_code=pilot.unit.code,
    )
    db.session.flush()
    if announce:
        moved = Moved(actor, pilot, step, source, request, entry)
        for effect in step.effects:
            effect(moved)
    pilot_transitioned.send(pilot, actor=actor, transition=step, request=request)
    return pilot


def prerequisites(pilot, step: lifecycle.Transition) -> list:
    """What the step still needs that its form cannot supply (data elsewhere on the page)."""
    return [
        m
        for m in step.guard(pilot, Request(today=local_today()))
        if getattr(m, "field", None) is None
    ]
