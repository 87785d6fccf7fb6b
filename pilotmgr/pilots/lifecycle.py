"""The pilot lifecycle, written once as data: every view, API route and button reads it."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from pilotmgr.core.permissions import has_authority
from pilotmgr.pilots.effects import (
    Announce,
    Effect,
    benefit_review,
    deciders,
    memo_decision,
    new_end_date,
    open_target_people,
    outcome_and_lessons,
    owner,
    regulation,
    rollout_decision,
)

# The guards live beside the table; their names are part of this module's interface.
from pilotmgr.pilots.guards import (  # noqa: F401
    AFTER_PILOTING,
    Missing,
    Request,
    closing,
    every_kpi_measured,
    has_evaluation,
    needs_comment,
    new_end_after_today,
    no_guard,
    readiness,
    rollout_complete,
    rollout_ready,
)


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
    #: What taking the step does besides changing the stage and writing its history: those
    #: that change the pilot first (recorded with the step), then the others in this order.
    effects: tuple[Effect, ...] = ()


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "submit",
        frozenset({"draft"}),
        "proposed",
        frozenset({"owner"}),
        readiness,
        _l("Submit for approval"),
        forward=True,
        effects=(memo_decision, Announce("submitted", deciders)),
    ),
    Transition(
        "send_back",
        frozenset({"proposed"}),
        "draft",
        frozenset({"head"}),
        needs_comment,
        _l("Send back"),
        effects=(memo_decision, Announce("sent_back", owner)),
    ),
    Transition(
        "withdraw",
        frozenset({"proposed"}),
        "draft",
        frozenset({"owner"}),
        no_guard,
        _l("Withdraw the submission"),
        effects=(memo_decision, Announce("withdrawn", deciders)),
    ),
    Transition(
        "approve",
        frozenset({"proposed"}),
        "piloting",
        frozenset({"head"}),
        no_guard,
        _l("Approve and start the pilot"),
        forward=True,
        effects=(memo_decision, Announce("approved", owner)),
    ),
    Transition(
        "start_evaluation",
        frozenset({"piloting"}),
        "evaluating",
        frozenset({"owner", "head"}),
        every_kpi_measured,
        _l("Start evaluation"),
        forward=True,
        effects=(memo_decision,),
    ),
    Transition(
        "extend",
        frozenset({"evaluating"}),
        "piloting",
        frozenset({"head"}),
        new_end_after_today,
        _l("Extend or re-pilot"),
        inputs=("new_end_date",),
        effects=(new_end_date, memo_decision, Announce("extended", owner)),
    ),
    Transition(
        "select",
        frozenset({"evaluating"}),
        "selected",
        frozenset({"head"}),
        has_evaluation,
        _l("Select as successful"),
        forward=True,
        effects=(memo_decision, Announce("selected", owner)),
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
        effects=(
            rollout_decision,
            memo_decision,
            Announce("rollout_approved", owner, open_target_people),
        ),
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
        effects=(regulation, benefit_review, memo_decision, Announce("scaled", owner)),
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
        effects=(outcome_and_lessons, memo_decision, Announce("closed", owner)),
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
        effects=(outcome_and_lessons, memo_decision),
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
