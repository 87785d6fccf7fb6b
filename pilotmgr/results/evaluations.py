"""Evaluations: the five criteria scored 1–5, their weights per programme, named evaluators."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from pilotmgr.auth.models import Role, User
from pilotmgr.core import audit
from pilotmgr.core import validate as v
from pilotmgr.core.authority import has_authority, is_admin, require
from pilotmgr.core.errors import NotFound, ValidationFailed
from pilotmgr.extensions import db
from pilotmgr.notices.events import notify
from pilotmgr.pilots.models import Pilot, Task
from pilotmgr.pilots.permissions import can_view_pilot
from pilotmgr.pilots.stages import Stage
from pilotmgr.results.models import CRITERIA, CriterionWeights, Evaluation, PilotEvaluator


class ScoresInput(v.Input):
    """The five criteria, each scored 1–5."""

    feasibility = v.integer(1, 5, required=True)
    effectiveness = v.integer(1, 5, required=True)
    needs_fit = v.integer(1, 5, required=True)
    cost = v.integer(1, 5, required=True)
    scalability = v.integer(1, 5, required=True)


def _scores(value) -> Mapping:
    """The scores object; each criterion is then read with `ScoresInput` (errors by name)."""
    if not isinstance(value, Mapping):
        raise ValueError(_l("Expected an object."))
    return value


class EvaluationInput(v.Input):
    scores = v.custom(
        _scores,
        {
            "type": "object",
            "properties": {c: {"type": "integer", "minimum": 1, "maximum": 5} for c in CRITERIA},
            "required": list(CRITERIA),
        },
        required=True,
    )
    comment = v.prose(5000)


class EvaluatorInput(v.Input):
    #: The e-mail of the person asked to evaluate.
    evaluator = v.text(255, required=True)


def can_evaluate(user, pilot) -> bool:
    if pilot.stage != Stage.evaluating:
        return False
    if has_authority(user, pilot.unit):
        return True
    return bool(db.session.get(PilotEvaluator, (pilot.id, user.id)))


def require_can_evaluate(user, pilot) -> None:
    require(can_evaluate(user, pilot), str(_l("You may not evaluate this pilot now.")))


def require_weights(user, programme_id: int) -> None:
    from pilotmgr.pilots.models import Programme

    require(is_admin(user), str(_l("Only administrators set criterion weights.")))
    if db.session.get(Programme, programme_id) is None:
        raise NotFound()


def weights_for(programme_id: int | None) -> dict[str, Decimal]:
    row = db.session.get(CriterionWeights, programme_id) if programme_id else None
    return {c: Decimal(getattr(row, c)) if row else Decimal(1) for c in CRITERIA}


def composite(evaluations: list[Evaluation], weights: dict[str, Decimal]) -> Decimal | None:
    """The weighted mean of the criteria for each evaluator, averaged over evaluators."""
    total_weight = sum(weights.values())
    if not evaluations or not total_weight:
        return None
    each = [
        sum(Decimal(getattr(e, c)) * weights[c] for c in CRITERIA) / total_weight
        for e in evaluations
    ]
    return (sum(each) / len(each)).quantize(Decimal("0.01"))


def criterion_means(evaluations: list[Evaluation]) -> dict[str, Decimal | None]:
    if not evaluations:
        return {c: None for c in CRITERIA}
    return {
        c: (sum(Decimal(getattr(e, c)) for e in evaluations) / len(evaluations)).quantize(
            Decimal("0.1")
        )
        for c in CRITERIA
    }


def evaluate(actor, pilot: Pilot, data: Mapping) -> Evaluation:
    require_can_evaluate(actor, pilot)
    if "scores" not in data:
        # The page's form: one field per criterion.
        data = {"scores": {c: data.get(c) for c in CRITERIA}, "comment": data.get("comment")}
    given = v.parse(data, EvaluationInput)
    values = v.parse(given["scores"], ScoresInput)
    comment = given["comment"] or ""
    found = db.session.scalar(
        select(Evaluation).where(
            Evaluation.pilot_id == pilot.id, Evaluation.evaluator_id == actor.id
        )
    )
    before = {c: getattr(found, c) for c in CRITERIA} if found else {}
    found = found or Evaluation(pilot_id=pilot.id, evaluator_id=actor.id)
    for c in CRITERIA:
        setattr(found, c, values[c])
    found.comment = comment
    db.session.add(found)
    db.session.flush()
    audit.record(
        actor=actor,
        obj=found,
        action="update" if before else "create",
        pilot_id=pilot.id,
        before=before,
        after=values,
        comment=comment,
        unit_code=pilot.unit.code,
    )
    return found


def name_evaluator(actor, pilot: Pilot, who) -> PilotEvaluator:
    """A head asks someone who may see the pilot to evaluate it; they are told once."""
    require(
        has_authority(actor, pilot.unit),
        str(_l("Only heads with authority over the pilot's unit do this.")),
    )
    email = v.parse(who if isinstance(who, Mapping) else {"evaluator": who}, EvaluatorInput)
    user = db.session.scalar(
        select(User).where(User.email == email["evaluator"].strip().lower(), User.is_active_account)
    )
    if user is None:
        raise ValidationFailed({"evaluator": [str(_l("No such user."))]})
    if user.role == Role.viewer:
        raise ValidationFailed(
            {"evaluator": [str(_l("Viewers only read; choose someone who works on pilots."))]}
        )
    if not can_view_pilot(user, pilot):
        raise ValidationFailed(
            {
                "evaluator": [
                    str(
                        _l(
                            "This person may not see the pilot: choose someone of its unit "
                            "or of a unit above it."
                        )
                    )
                ]
            }
        )
    found = db.session.get(PilotEvaluator, (pilot.id, user.id))
    if found is None:
        found = PilotEvaluator(pilot_id=pilot.id, user_id=user.id, named_by_id=actor.id)
        db.session.add(found)
        db.session.flush()
        entry = audit.record(
            actor=actor,
            obj=pilot,
            action="update",
            pilot_id=pilot.id,
            after={"evaluator": user.name},
            unit_code=pilot.unit.code,
        )
        db.session.flush()
        notify(
            "evaluator_named",
            [user],
            cause=f"history-{entry.id}",
            actor=actor,
            pilot=pilot,
            url=f"/pilots/{pilot.id}#evaluations",
        )
    return found


def evaluators(pilot: Pilot) -> list[User]:
    """The people named to evaluate `pilot`, by name."""
    return list(
        db.session.scalars(
            select(User)
            .join(PilotEvaluator, PilotEvaluator.user_id == User.id)
            .where(PilotEvaluator.pilot_id == pilot.id)
            .order_by(User.name, User.id)
        )
    )


def evaluator_choices(pilot: Pilot) -> list:
    """People a head may name: active, not viewers, able to see the pilot, not yet named.

    Those who see it: the people of its unit and of the units above it, its owner and the
    assignees of its tasks. Heads with authority evaluate without being named.
    """
    ancestor_ids = [int(part) for part in pilot.unit.path.strip("/").split("/") if part]
    named = select(PilotEvaluator.user_id).where(PilotEvaluator.pilot_id == pilot.id)
    assignees = select(Task.assignee_id).where(
        Task.pilot_id == pilot.id, Task.assignee_id.is_not(None)
    )
    rows = db.session.execute(
        select(User.id, User.email, User.name, User.role, User.unit_id)
        .where(
            User.is_active_account,
            User.role.in_((Role.lead, Role.staff, Role.head)),
            or_(
                User.unit_id.in_(ancestor_ids),
                User.id == pilot.owner_id,
                User.id.in_(assignees),
            ),
            User.id.not_in(named),
        )
        .order_by(User.name, User.id)
    ).all()
    # A head of the unit or above it already evaluates: naming them changes nothing.
    return [r for r in rows if not (r.role == Role.head and r.unit_id in ancestor_ids)]


def set_weights(actor, programme_id: int, data: Mapping) -> CriterionWeights:
    """An administrator sets how much each criterion counts in a programme's composite score."""
    from pilotmgr.pilots.models import Programme

    require_weights(actor, programme_id)
    values = v.parse(data, {c: v.decimal(Decimal(0), required=True) for c in CRITERIA})
    if not sum(values.values()):
        raise ValidationFailed({CRITERIA[0]: [str(_l("At least one criterion must count."))]})
    found = db.session.get(CriterionWeights, programme_id)
    before = {c: getattr(found, c) for c in CRITERIA} if found else {}
    found = found or CriterionWeights(programme_id=programme_id)
    for c in CRITERIA:
        setattr(found, c, values[c])
    db.session.add(found)
    db.session.flush()
    audit.record(
        actor=actor,
        obj=db.session.get(Programme, programme_id),
        action="update",
        before=before,
        after=values,
    )
    return found
