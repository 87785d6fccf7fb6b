"""Compare the pilots that attacked one challenge, and select the successful one(s) in one decision."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from pilotmgr.auth.models import Role
from pilotmgr.core import audit
from pilotmgr.core import validate as v
from pilotmgr.core.authority import has_authority
from pilotmgr.core.errors import (
    GuardFailed,
    NotFound,
    PermissionDenied,
    ServiceError,
    ValidationFailed,
)
from pilotmgr.extensions import db
from pilotmgr.notices.events import notify
from pilotmgr.pilots.lifecycle import Request
from pilotmgr.pilots.models import Challenge, Pilot
from pilotmgr.pilots.permissions import can_view_pilot, visible_pilots_clause
from pilotmgr.pilots.stages import STAGES, Stage, from_on
from pilotmgr.pilots.transitions import check, transition
from pilotmgr.results.attainment import mean_attainment
from pilotmgr.results.evaluations import composite, criterion_means, weights_for
from pilotmgr.results.models import CRITERIA, Evaluation, Selection
from pilotmgr.results.service import kpi_results

#: Shown on the page and used by the API: the order candidates are ranked in.
RANKING_RULE = _l(
    "Ranked by composite evaluation score (weighted mean of the five criteria over evaluators), "
    "then by mean KPI attainment from approved values, then by lower cost per attainment point."
)
COMPARED_STAGES = tuple(s for s in STAGES if s in from_on(Stage.piloting))


@dataclass
class Candidate:
    pilot: Pilot
    composite: Decimal | None
    criteria: dict
    evaluations: int
    mean_attainment: Decimal | None
    verdicts: dict
    cost_per_point: Decimal | None
    duration_days: int | None
    kpis: list

    def sort_key(self):
        big = Decimal("1e30")
        return (
            -(self.composite if self.composite is not None else Decimal(-1)),
            -(self.mean_attainment if self.mean_attainment is not None else Decimal(-1000)),
            self.cost_per_point if self.cost_per_point is not None else big,
            self.pilot.id,
        )


def get_challenge(challenge_id) -> Challenge:
    found = db.session.get(Challenge, n) if (n := v.row_id(challenge_id)) else None
    if found is None:
        raise NotFound()
    return found


def comparison(user, challenge: Challenge, among: Collection[int] | None = None) -> list[Candidate]:
    """The challenge's pilots the user may see, best first, by RANKING_RULE.

    `among`: only these pilots (e.g. the ones one selection decided over), however many pilots
    the challenge has gathered since.
    """
    query = (
        select(Pilot)
        .where(
            Pilot.challenge_id == challenge.id,
            Pilot.stage.in_(COMPARED_STAGES),
            or_(Pilot.outcome.is_(None), Pilot.outcome != "rejected"),  # never piloted
        )
        .options(selectinload(Pilot.kpis), selectinload(Pilot.unit), selectinload(Pilot.owner))
        .order_by(Pilot.id)
    )
    clause = visible_pilots_clause(user)
    if clause is not None:
        query = query.where(clause)
    if among is not None:
        query = query.where(Pilot.id.in_(list(among)))
    pilots = list(db.session.scalars(query))
    evaluations: dict[int, list[Evaluation]] = {p.id: [] for p in pilots}
    if pilots:
        for e in db.session.scalars(select(Evaluation).where(Evaluation.pilot_id.in_(evaluations))):
            evaluations[e.pilot_id].append(e)
    weights = weights_for(challenge.programme_id)
    all_kpis = [k for p in pilots for k in p.kpis]
    by_kpi = {r.kpi.id: r for r in kpi_results(None, all_kpis)}
    candidates = []
    for p in pilots:
        results = [by_kpi[k.id] for k in sorted(p.kpis, key=lambda k: k.id)]
        mean = mean_attainment([r.attainment for r in results])
        cost = None
        if p.budget is not None and mean is not None and mean > 0:
            cost = (Decimal(p.budget) / mean).quantize(Decimal(1))
        candidates.append(
            Candidate(
                pilot=p,
                composite=composite(evaluations[p.id], weights),
                criteria=criterion_means(evaluations[p.id]),
                evaluations=len(evaluations[p.id]),
                mean_attainment=mean,
                verdicts={
                    r.kpi.id: (r.verdict.verdict if r.verdict else r.attainment.verdict)
                    for r in results
                },
                cost_per_point=cost,
                duration_days=(p.end_date - p.start_date).days
                if p.start_date and p.end_date
                else None,
                kpis=results,
            )
        )
    return sorted(candidates, key=Candidate.sort_key)


def ranking_entry(candidate: Candidate) -> dict:
    """One candidate's figures as plain data (what a selection keeps of its comparison)."""
    return {
        "pilot_id": candidate.pilot.id,
        "composite": audit.jsonable(candidate.composite),
        "criteria": audit.jsonable(candidate.criteria),
        "evaluations": candidate.evaluations,
        "mean_attainment": audit.jsonable(candidate.mean_attainment),
        "cost_per_point": audit.jsonable(candidate.cost_per_point),
    }


def ranking_record(user, challenge: Challenge, among: Collection[int]) -> list[dict]:
    """The comparison of `among` as plain data, best first: what a selection keeps of it."""
    return [ranking_entry(c) for c in comparison(user, challenge, among)]


def comparison_chart(candidates: list[Candidate]) -> str:
    from pilotmgr.core.charts import bar_chart

    return bar_chart(
        [
            (c.pilot.title, float(c.composite) if c.composite is not None else None)
            for c in candidates
        ],
        name=str(_l("Composite score (1–5)")),
    )


FORMULA_LENGTH = 2000


def _ids(raw) -> list[int]:
    """The ticked pilots: a JSON list of ids (a form sends their numbers as text)."""
    if v.json_types():
        if not isinstance(raw, list) or any(
            isinstance(i, bool) or not isinstance(i, int) for i in raw
        ):
            raise ValueError(_l("Pilot numbers only."))
        items = raw
    else:
        items = raw if isinstance(raw, list | tuple) else str(raw).split(",")
    ids = [v.row_id(i) for i in items if str(i).strip()]
    if None in ids:
        # "²", 1.5, true or a number no pilot can have: not a pilot number.
        raise ValueError(_l("Pilot numbers only."))
    return list(dict.fromkeys(ids))


def _formula(text) -> str:
    if text is None:
        return ""
    if not isinstance(text, str):
        raise ValueError(_l("Must be text."))
    if len(text) > FORMULA_LENGTH:
        raise ValueError(_l("At most %(n)s characters.", n=FORMULA_LENGTH))
    return v.multi_line(text.strip())


def _formula_texts(raw) -> str | dict[int, str]:
    """One success formula for every selected pilot, or {pilot id: its formula}."""
    if not isinstance(raw, Mapping):
        return _formula(raw)
    found = {}
    for key, text in raw.items():
        number = v.row_id(key)
        if number is None:
            raise ValueError(_l("Pilot numbers only."))
        if formula := _formula(text):
            found[number] = formula
    return found


_FORMULA = {"type": "string", "maxLength": FORMULA_LENGTH}


class SelectionInput(v.Input):
    """One decision over a challenge's candidates under evaluation."""

    selected = v.custom(
        _ids,
        {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": v.MAX_ROW_ID}},
        required=True,
    )
    others = v.choice(("not_selected", "extend"), required=True)
    rationale = v.prose(10_000, required=True)
    success_formula = v.custom(
        _formula_texts,
        {
            "oneOf": [
                _FORMULA,
                {
                    "type": "object",
                    "propertyNames": {"pattern": "^[1-9][0-9]{0,9}$"},
                    "additionalProperties": {**_FORMULA, "type": ["string", "null"]},
                },
                {"type": "null"},
            ]
        },
    )
    lessons = v.prose(10_000)
    new_end_date = v.iso_date()


@dataclass
class SelectionPlan:
    """What one selection decision will do, checked and ready to apply (nothing moved yet)."""

    challenge: Challenge
    candidates: list[Pilot]
    selected: list[Pilot]
    others: list[Pilot]
    others_fate: str  # "not_selected" or "extend"
    formulas: dict[int, str]
    rationale: str
    lessons: str
    new_end_date: date | None
    moves: list = field(default_factory=list)


def plan_selection(actor, challenge: Challenge, data: Mapping) -> SelectionPlan:
    """Check a selection as `select_pilots` would, changing nothing (for the confirmation page)."""
    if actor.role not in (Role.head, Role.admin):
        raise PermissionDenied(str(_l("Only heads and administrators do this.")))
    values = v.parse(data, SelectionInput)
    selected_ids = values["selected"]
    formulas = _formulas(values["success_formula"], selected_ids)
    candidates = list(
        db.session.scalars(
            select(Pilot)
            .where(Pilot.challenge_id == challenge.id, Pilot.stage == Stage.evaluating)
            .order_by(Pilot.id)
            .with_for_update()
        )
    )
    by_id = {p.id: p for p in candidates}
    errors = {}
    if not selected_ids:
        errors["selected"] = [str(_l("Select at least one pilot."))]
    elif any(i not in by_id for i in selected_ids):
        errors["selected"] = [
            str(_l("Only pilots of this challenge under evaluation can be selected."))
        ]
    missing_formula = [i for i in selected_ids if not formulas.get(i)]
    if missing_formula:
        errors["success_formula"] = [str(_l("A success formula for each selected pilot."))]
    if values["others"] == "extend" and not values.get("new_end_date"):
        errors["new_end_date"] = [str(_l("A new end date for the pilots that continue."))]
    others = [p for p in candidates if p.id not in selected_ids]
    if others and values["others"] == "not_selected" and not values.get("lessons"):
        errors["lessons"] = [str(_l("Lessons learned are required when pilots close."))]
    if errors:
        raise ValidationFailed(errors)
    _check_authority(actor, candidates)
    plan = SelectionPlan(
        challenge=challenge,
        candidates=candidates,
        selected=[by_id[i] for i in selected_ids],
        others=others,
        others_fate=values["others"],
        formulas=formulas,
        rationale=values["rationale"],
        lessons=values.get("lessons") or "",
        new_end_date=values.get("new_end_date"),
    )
    plan.moves = [(p, {"to": Stage.selected, "comment": plan.rationale}) for p in plan.selected]
    for p in others:
        if plan.others_fate == "extend":
            move = {
                "to": Stage.piloting,
                "comment": plan.rationale,
                "new_end_date": plan.new_end_date,
            }
        else:
            move = {
                "to": Stage.closed,
                "outcome": "not_selected",
                "comment": plan.rationale,
                "lessons": plan.lessons,
            }
        plan.moves.append((p, move))
    _check_all(actor, plan.moves)
    return plan


def outside_authority(user, challenge: Challenge) -> int:
    """How many of the challenge's candidates under evaluation `user` has no authority over."""
    candidates = db.session.scalars(
        select(Pilot)
        .where(Pilot.challenge_id == challenge.id, Pilot.stage == Stage.evaluating)
        .options(selectinload(Pilot.unit))
    )
    return sum(1 for p in candidates if not has_authority(user, p.unit))


def _check_authority(actor, candidates: list[Pilot]) -> None:
    """Every candidate must be under the actor's authority; name only those they may see."""
    denied = [p for p in candidates if not has_authority(actor, p.unit)]
    if not denied:
        return
    visible = [p.title for p in denied if can_view_pilot(actor, p)]
    hidden = len(denied) - len(visible)
    names = ", ".join(visible)
    if hidden:
        extra = str(_l("%(n)s more outside your units", n=hidden))
        names = f"{names}, {extra}" if names else extra
    raise PermissionDenied(
        str(
            _l("You need authority over every candidate under evaluation: %(titles)s", titles=names)
        )
    )


def select_pilots(actor, challenge: Challenge, data: Mapping) -> Selection:
    """One decision: the selected move on, the others close or extend — all of it or none.

    Each candidate's owner is told what became of their pilot.
    """
    plan = plan_selection(actor, challenge, data)
    selected_ids = [p.id for p in plan.selected]
    # The figures the decision is taken on, before any pilot moves.
    ranking = ranking_record(actor, challenge, [p.id for p in plan.candidates])
    for pilot, move in plan.moves:
        if pilot.id in selected_ids:
            pilot.success_formula = plan.formulas[pilot.id]
        pilot.lessons = plan.lessons or pilot.lessons
        transition(actor, pilot, _as_input(move), announce=False)
    decision = Selection(
        challenge_id=challenge.id,
        decided_by_id=actor.id,
        selected_ids=",".join(str(i) for i in selected_ids),
        other_ids=",".join(str(p.id) for p in plan.others),
        others=plan.others_fate,
        rationale=plan.rationale,
        lessons=plan.lessons,
        ranking=ranking,
    )
    db.session.add(decision)
    db.session.flush()
    for pilot, _move in plan.moves:
        audit.record(
            actor=actor,
            obj=decision,
            action="create",
            pilot_id=pilot.id,
            after={"selected": decision.selected_ids, "others": decision.others},
            comment=plan.rationale,
            unit_code=pilot.unit.code,
        )
    _tell_owners(actor, plan, decision)
    return decision


def _as_input(move: dict) -> dict:
    """A move as a transition's input: a date as ISO text, which the API and forms both read."""
    return {k: x.isoformat() if isinstance(x, date) else x for k, x in move.items()}


def _tell_owners(actor, plan: SelectionPlan, decision: Selection) -> None:
    for pilot, move in plan.moves:
        if move["to"] == Stage.selected:
            kind, params = "selected", {}
        elif move["to"] == Stage.piloting:
            kind, params = "extended", {"due": plan.new_end_date}
        else:
            kind, params = "not_selected", {"challenge": plan.challenge.title}
        notify(
            kind,
            [pilot.owner_id],
            # One owner may own several candidates: each pilot's news is its own event.
            cause=f"selection-{decision.id}-pilot-{pilot.id}",
            actor=actor,
            pilot=pilot,
            comment=plan.rationale,
            **params,
        )


def _check_all(actor, moves) -> None:
    """Every move's guard first: if any cannot be taken, nothing moves and all reasons are listed."""
    from pilotmgr.core.clock import local_today

    problems = []
    for pilot, move in moves:
        request = Request(
            today=local_today(),
            comment=move.get("comment", ""),
            outcome=move.get("outcome"),
            lessons=move.get("lessons", ""),
            new_end_date=move.get("new_end_date"),
        )
        try:
            check(actor, pilot, move["to"], request)
        except GuardFailed as exc:
            problems.extend(f"{pilot.title}: {m}" for m in exc.missing)
        except ServiceError as exc:
            problems.append(f"{pilot.title}: {exc.detail}")
    if problems:
        raise GuardFailed(problems)


def _formulas(given: str | dict | None, selected_ids: list[int]) -> dict[int, str]:
    """{pilot id: text}: as sent, or one text for all selected pilots."""
    if isinstance(given, dict):
        return given
    if given:
        return {i: given for i in selected_ids}
    return {}


__all__ = [
    "CRITERIA",
    "RANKING_RULE",
    "SelectionPlan",
    "comparison",
    "plan_selection",
    "select_pilots",
]
