"""The pilot lifecycle, written once as data: every view, API route and button reads it."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from pilotmgr.core.permissions import has_authority
from pilotmgr.extensions import db


class Stage(enum.StrEnum):
    draft = "draft"
    proposed = "proposed"
    piloting = "piloting"
    evaluating = "evaluating"
    selected = "selected"
    rolling_out = "rolling_out"
    scaled = "scaled"
    closed = "closed"


STAGES = [s.value for s in Stage]
OUTCOMES = ("rejected", "not_selected", "stopped")
BEFORE_SCALED = frozenset(STAGES[:6])
#: Closing from these stages needs lessons learned: the pilot has run and taught something.
AFTER_PILOTING = frozenset({"piloting", "evaluating", "selected", "rolling_out"})

STAGE_LABELS = {
    "draft": _l("Draft"),
    "proposed": _l("Proposed"),
    "piloting": _l("Piloting"),
    "evaluating": _l("Evaluating"),
    "selected": _l("Selected"),
    "rolling_out": _l("Rolling out"),
    "scaled": _l("Scaled"),
    "closed": _l("Closed"),
}
OUTCOME_LABELS = {
    "rejected": _l("Rejected"),
    "not_selected": _l("Not selected"),
    "stopped": _l("Stopped"),
}


@dataclass
class Request:
    """What the actor supplies with a transition."""

    comment: str = ""
    outcome: str | None = None
    new_end_date: date | None = None
    decision_number: str = ""
    decision_date: date | None = None
    lessons: str = ""
    regulation: dict | None = None
    today: date = field(default_factory=date.today)
    #: The issued memo the decision answers, and its conditions (see pilotmgr/memos/decisions.py).
    memo_id: int | None = None
    conditions: str = ""


Guard = Callable[["object", Request], list]


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    #: "owner" (the pilot's owner) and/or "head" (a head with authority, or an admin).
    actors: frozenset[str]
    guard: Guard
    label: object
    #: For transitions to closed: the outcomes these actors may give.
    outcomes: frozenset[str] = frozenset()
    #: The main path forward from each stage; its guard is the pilot's readiness.
    forward: bool = False
    #: The inputs a form for this step asks for, besides the comment.
    inputs: tuple[str, ...] = ()


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def readiness(pilot, _request: Request | None = None) -> list:
    """What is still missing before the pilot can be submitted for approval."""
    from pilotmgr.pilots.models import Kpi, Task

    missing = []
    if pilot.owner_id is None:
        missing.append(_l("An owner"))
    if pilot.unit_id is None:
        missing.append(_l("A unit"))
    if pilot.challenge_id is None:
        missing.append(_l("The challenge the pilot addresses"))
    if not (pilot.summary or "").strip():
        missing.append(_l("A summary"))
    if pilot.start_date is None:
        missing.append(_l("A start date"))
    if pilot.end_date is None:
        missing.append(_l("An end date"))
    elif pilot.start_date is not None and pilot.end_date <= pilot.start_date:
        missing.append(_l("An end date after the start date"))
    if not _count(
        Kpi, Kpi.pilot_id == pilot.id, Kpi.baseline.is_not(None), Kpi.target.is_not(None)
    ):
        missing.append(_l("At least one KPI with a baseline and a target"))
    complete_task = (
        Task.pilot_id == pilot.id,
        Task.assignee_id.is_not(None),
        Task.due_date.is_not(None),
        Task.deliverable != "",
    )
    if not _count(Task, *complete_task):
        missing.append(_l("At least one task with an assignee, a due date and a deliverable"))
    return missing


def needs_comment(_pilot, request: Request) -> list:
    return [] if request.comment.strip() else [_l("A comment saying why")]


def no_guard(_pilot, _request: Request) -> list:
    return []


def every_kpi_measured(pilot, _request: Request) -> list:
    from pilotmgr.pilots.models import Kpi
    from pilotmgr.results.models import Measurement

    rows = db.session.execute(
        select(Kpi.name)
        .where(Kpi.pilot_id == pilot.id)
        .where(
            ~select(Measurement.id)
            .where(Measurement.kpi_id == Kpi.id, Measurement.status == "approved")
            .exists()
        )
        .order_by(Kpi.id)
    ).scalars()
    missing = [_l("An approved measurement for KPI “%(name)s”", name=name) for name in rows]
    if not _count(Kpi, Kpi.pilot_id == pilot.id):
        missing.append(_l("At least one KPI"))
    return missing


def new_end_after_today(_pilot, request: Request) -> list:
    if request.new_end_date is None or request.new_end_date <= request.today:
        return [_l("A new end date after today")]
    return []


def has_evaluation(pilot, _request: Request) -> list:
    from pilotmgr.results.models import Evaluation

    return [] if _count(Evaluation, Evaluation.pilot_id == pilot.id) else [_l("An evaluation")]


def rollout_ready(pilot, request: Request) -> list:
    from pilotmgr.memos.models import Memo
    from pilotmgr.rollout.models import RolloutTarget

    missing = []
    if not _count(RolloutTarget, RolloutTarget.pilot_id == pilot.id):
        missing.append(_l("At least one rollout target"))
    if not (request.decision_number.strip() or pilot.rollout_decision_number):
        missing.append(_l("The number of the rollout decision"))
    if request.decision_date is None and pilot.rollout_decision_date is None:
        missing.append(_l("The date of the rollout decision"))
    if not _count(Memo, Memo.pilot_id == pilot.id, Memo.kind == "rollout"):
        missing.append(_l("An issued rollout memo"))
    return missing


def rollout_complete(pilot, request: Request) -> list:
    from pilotmgr.rollout.models import RolloutTarget

    missing = []
    open_targets = _count(
        RolloutTarget, RolloutTarget.pilot_id == pilot.id, RolloutTarget.status != "done"
    )
    if open_targets:
        missing.append(_l("Every rollout target done (%(n)s still open)", n=open_targets))
    if not _count(RolloutTarget, RolloutTarget.pilot_id == pilot.id):
        missing.append(_l("At least one rollout target"))
    regulation = request.regulation or {}
    for key, label in (
        ("number", _l("The regulation's number")),
        ("date", _l("The regulation's date")),
        ("issuer", _l("The regulation's issuer")),
    ):
        if not regulation.get(key) and not getattr(pilot, f"regulation_{key}"):
            missing.append(label)
    return missing


def closing(pilot, request: Request) -> list:
    missing = needs_comment(pilot, request)
    if pilot.stage in AFTER_PILOTING and not (request.lessons.strip() or pilot.lessons.strip()):
        missing.append(_l("Lessons learned"))
    return missing


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        frozenset({"draft"}),
        "proposed",
        frozenset({"owner"}),
        readiness,
        _l("Submit for approval"),
        forward=True,
    ),
    Transition(
        frozenset({"proposed"}), "draft", frozenset({"head"}), needs_comment, _l("Send back")
    ),
    Transition(
        frozenset({"proposed"}),
        "piloting",
        frozenset({"head"}),
        no_guard,
        _l("Approve and start the pilot"),
        forward=True,
    ),
    Transition(
        frozenset({"piloting"}),
        "evaluating",
        frozenset({"owner", "head"}),
        every_kpi_measured,
        _l("Start evaluation"),
        forward=True,
    ),
    Transition(
        frozenset({"evaluating"}),
        "piloting",
        frozenset({"head"}),
        new_end_after_today,
        _l("Extend or re-pilot"),
        inputs=("new_end_date",),
    ),
    Transition(
        frozenset({"evaluating"}),
        "selected",
        frozenset({"head"}),
        has_evaluation,
        _l("Select as successful"),
        forward=True,
    ),
    Transition(
        frozenset({"selected"}),
        "rolling_out",
        frozenset({"head"}),
        rollout_ready,
        _l("Approve rollout"),
        forward=True,
        inputs=("decision_number", "decision_date"),
    ),
    Transition(
        frozenset({"rolling_out"}),
        "scaled",
        frozenset({"head"}),
        rollout_complete,
        _l("Mark as scaled"),
        forward=True,
        inputs=("regulation",),
    ),
    Transition(
        BEFORE_SCALED,
        "closed",
        frozenset({"head"}),
        closing,
        _l("Close"),
        outcomes=frozenset(OUTCOMES),
        inputs=("outcome", "lessons"),
    ),
    Transition(
        frozenset({"draft"}),
        "closed",
        frozenset({"owner"}),
        closing,
        _l("Withdraw"),
        outcomes=frozenset({"stopped"}),
        inputs=("outcome",),
    ),
)


def actor_roles(user, pilot) -> set[str]:
    roles = set()
    if pilot.owner_id == user.id:
        roles.add("owner")
    if has_authority(user, pilot.unit):
        roles.add("head")
    return roles


def transitions_from(stage: str, target: str | None = None) -> list[Transition]:
    return [t for t in TRANSITIONS if stage in t.sources and target in (None, t.target)]


def allowed_transitions(user, pilot) -> list[Transition]:
    """The transitions this user may take from the pilot's current stage (guards not checked)."""
    roles = actor_roles(user, pilot)
    seen, result = set(), []
    for transition in transitions_from(pilot.stage):
        if roles & transition.actors and transition.target not in seen:
            seen.add(transition.target)
            result.append(transition)
    return result


def allowed_outcomes(user, pilot) -> set[str]:
    roles = actor_roles(user, pilot)
    outcomes: set[str] = set()
    for transition in transitions_from(pilot.stage, "closed"):
        if roles & transition.actors:
            outcomes |= transition.outcomes
    return outcomes


def forward_readiness(pilot) -> list:
    """What is missing for the main step forward from the current stage (empty: ready)."""
    for transition in transitions_from(pilot.stage):
        if transition.forward:
            return transition.guard(pilot, Request())
    return []
