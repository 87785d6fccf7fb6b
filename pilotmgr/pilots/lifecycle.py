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
from pilotmgr.pilots.effects import Announce, Effect, deciders, open_target_people, owner


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


class Missing:
    """One thing a guard finds missing, and the input of the step that supplies it (if any).

    It reads as its text wherever it is shown (`str`); a form puts it beside `field`.
    """

    __slots__ = ("field", "text")

    def __init__(self, text, field: str | None = None):
        self.text, self.field = text, field

    def __str__(self) -> str:
        return str(self.text)

    def __repr__(self) -> str:
        return f"Missing({str(self.text)!r}, field={self.field!r})"


Guard = Callable[["object", Request], list]


@dataclass(frozen=True)
class Transition:
    #: A stable name for the step (forms and the API's optional `step` name it).
    name: str
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
    #: What taking the step does besides changing the stage and the history (in this order).
    effects: tuple[Effect, ...] = ()


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
    return [] if request.comment.strip() else [Missing(_l("A comment saying why"), "comment")]


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
        return [Missing(_l("A new end date after today"), "new_end_date")]
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
        missing.append(Missing(_l("The number of the rollout decision"), "decision_number"))
    if request.decision_date is None and pilot.rollout_decision_date is None:
        missing.append(Missing(_l("The date of the rollout decision"), "decision_date"))
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
            missing.append(Missing(label, f"regulation_{key}"))
    return missing


def closing(pilot, request: Request) -> list:
    missing = needs_comment(pilot, request)
    if pilot.stage in AFTER_PILOTING and not (request.lessons.strip() or pilot.lessons.strip()):
        missing.append(Missing(_l("Lessons learned, since the pilot has run"), "lessons"))
    return missing


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "submit",
        frozenset({"draft"}),
        "proposed",
        frozenset({"owner"}),
        readiness,
        _l("Submit for approval"),
        forward=True,
        effects=(Announce("submitted", deciders),),
    ),
    Transition(
        "send_back",
        frozenset({"proposed"}),
        "draft",
        frozenset({"head"}),
        needs_comment,
        _l("Send back"),
        effects=(Announce("sent_back", owner),),
    ),
    Transition(
        "withdraw",
        frozenset({"proposed"}),
        "draft",
        frozenset({"owner"}),
        no_guard,
        _l("Withdraw the submission"),
        effects=(Announce("withdrawn", deciders),),
    ),
    Transition(
        "approve",
        frozenset({"proposed"}),
        "piloting",
        frozenset({"head"}),
        no_guard,
        _l("Approve and start the pilot"),
        forward=True,
        effects=(Announce("approved", owner),),
    ),
    Transition(
        "start_evaluation",
        frozenset({"piloting"}),
        "evaluating",
        frozenset({"owner", "head"}),
        every_kpi_measured,
        _l("Start evaluation"),
        forward=True,
    ),
    Transition(
        "extend",
        frozenset({"evaluating"}),
        "piloting",
        frozenset({"head"}),
        new_end_after_today,
        _l("Extend or re-pilot"),
        inputs=("new_end_date",),
        effects=(Announce("extended", owner),),
    ),
    Transition(
        "select",
        frozenset({"evaluating"}),
        "selected",
        frozenset({"head"}),
        has_evaluation,
        _l("Select as successful"),
        forward=True,
        effects=(Announce("selected", owner),),
    ),
    Transition(
        "approve_rollout",
        frozenset({"selected"}),
        "rolling_out",
        frozenset({"head"}),
        rollout_ready,
        _l("Approve rollout"),
        forward=True,
        inputs=("decision_number", "decision_date"),
        effects=(Announce("rollout_approved", owner, open_target_people),),
    ),
    Transition(
        "scale",
        frozenset({"rolling_out"}),
        "scaled",
        frozenset({"head"}),
        rollout_complete,
        _l("Mark as scaled"),
        forward=True,
        inputs=("regulation",),
        effects=(Announce("scaled", owner),),
    ),
    Transition(
        "close",
        BEFORE_SCALED,
        "closed",
        frozenset({"head"}),
        closing,
        _l("Close the pilot"),
        outcomes=frozenset(OUTCOMES),
        inputs=("outcome", "lessons"),
        effects=(Announce("closed", owner),),
    ),
    Transition(
        "stop",
        frozenset({"draft"}),
        "closed",
        frozenset({"owner"}),
        closing,
        _l("Stop the pilot"),
        outcomes=frozenset({"stopped"}),
        inputs=("outcome",),
    ),
)
STEPS = {t.name: t for t in TRANSITIONS}


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
    """The steps this user may take from the pilot's current stage (guards not checked).

    One step per decision: the ways to close a pilot are one decision (the outcome tells them
    apart); two steps to the same stage by different people (sending back, withdrawing) are two.
    """
    roles = actor_roles(user, pilot)
    result: list[Transition] = []
    for transition in transitions_from(pilot.stage):
        if not roles & transition.actors:
            continue
        if transition.target == "closed" and any(t.target == "closed" for t in result):
            continue
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
