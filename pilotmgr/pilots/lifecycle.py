"""The pilot lifecycle, written once as data: every view, API route and button reads it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from pilotmgr.core.authority import has_authority
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

# Re-exported for the forms, the API and templates: the stages in lifecycle order, the
# closing outcomes and their labels, the finished stages.
from pilotmgr.pilots.stages import FINISHED as FINISHED
from pilotmgr.pilots.stages import OUTCOME_LABELS as OUTCOME_LABELS
from pilotmgr.pilots.stages import OUTCOMES as OUTCOMES
from pilotmgr.pilots.stages import STAGES as STAGES
from pilotmgr.pilots.stages import Stage, from_on

BEFORE_SCALED = from_on(Stage.draft, Stage.rolling_out)

STAGE_LABELS = {
    Stage.draft: _l("Draft"),
    Stage.proposed: _l("Proposed"),
    Stage.piloting: _l("Piloting"),
    Stage.evaluating: _l("Evaluating"),
    Stage.selected: _l("Selected"),
    Stage.rolling_out: _l("Rolling out"),
    Stage.scaled: _l("Scaled"),
    Stage.closed: _l("Closed"),
}


Guard = Callable[["object", Request], list]


@dataclass(frozen=True)
class Transition:
    #: A stable name for the step (forms and the API's optional `step` name it).
    name: str
    sources: frozenset[Stage]
    target: Stage
    #: "owner" (the pilot's owner) and/or "head" (a head with authority, or an admin).
    actors: frozenset[str]
    guard: Guard
    label: object
    #: For transitions to closed: the outcomes these actors may give.
    outcomes: frozenset[str] = frozenset()
    #: The main path forward from each stage; its guard is the pilot's readiness.
    forward: bool = False
    #: The decision a head takes here, as dashboards and reminders name what they await
    #: ("submission", "selection", "rollout"); empty for other steps.
    decision: str = ""
    #: The inputs a form for this step asks for, besides the comment.
    inputs: tuple[str, ...] = ()
    #: What taking the step does besides changing the stage and writing its history: those
    #: that change the pilot first (recorded with the step), then the others in this order.
    effects: tuple[Effect, ...] = ()


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "submit",
        frozenset({Stage.draft}),
        Stage.proposed,
        frozenset({"owner"}),
        readiness,
        _l("Submit for approval"),
        forward=True,
        effects=(memo_decision, Announce("submitted", deciders)),
    ),
    Transition(
        "send_back",
        frozenset({Stage.proposed}),
        Stage.draft,
        frozenset({"head"}),
        needs_comment,
        _l("Send back"),
        effects=(memo_decision, Announce("sent_back", owner)),
    ),
    Transition(
        "withdraw",
        frozenset({Stage.proposed}),
        Stage.draft,
        frozenset({"owner"}),
        no_guard,
        _l("Withdraw the submission"),
        effects=(memo_decision, Announce("withdrawn", deciders)),
    ),
    Transition(
        "approve",
        frozenset({Stage.proposed}),
        Stage.piloting,
        frozenset({"head"}),
        no_guard,
        _l("Approve and start the pilot"),
        forward=True,
        decision="submission",
        effects=(memo_decision, Announce("approved", owner)),
    ),
    Transition(
        "start_evaluation",
        frozenset({Stage.piloting}),
        Stage.evaluating,
        frozenset({"owner", "head"}),
        every_kpi_measured,
        _l("Start evaluation"),
        forward=True,
        effects=(memo_decision,),
    ),
    Transition(
        "extend",
        frozenset({Stage.evaluating}),
        Stage.piloting,
        frozenset({"head"}),
        new_end_after_today,
        _l("Extend or re-pilot"),
        inputs=("new_end_date",),
        effects=(new_end_date, memo_decision, Announce("extended", owner)),
    ),
    Transition(
        "select",
        frozenset({Stage.evaluating}),
        Stage.selected,
        frozenset({"head"}),
        has_evaluation,
        _l("Select as successful"),
        forward=True,
        decision="selection",
        effects=(memo_decision, Announce("selected", owner)),
    ),
    Transition(
        "approve_rollout",
        frozenset({Stage.selected}),
        Stage.rolling_out,
        frozenset({"head"}),
        rollout_ready,
        _l("Approve rollout"),
        forward=True,
        decision="rollout",
        inputs=("decision_number", "decision_date"),
        effects=(
            rollout_decision,
            memo_decision,
            Announce("rollout_approved", owner, open_target_people),
        ),
    ),
    Transition(
        "scale",
        frozenset({Stage.rolling_out}),
        Stage.scaled,
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
        Stage.closed,
        frozenset({"head"}),
        closing,
        _l("Close the pilot"),
        outcomes=frozenset(OUTCOMES),
        inputs=("outcome", "lessons"),
        effects=(outcome_and_lessons, memo_decision, Announce("closed", owner)),
    ),
    Transition(
        "stop",
        frozenset({Stage.draft}),
        Stage.closed,
        frozenset({"owner"}),
        closing,
        _l("Stop the pilot"),
        outcomes=frozenset({"stopped"}),
        inputs=("outcome",),
        effects=(outcome_and_lessons, memo_decision),
    ),
)
STEPS = {t.name: t for t in TRANSITIONS}

# --- stage groups, derived from the table ----------------------------------------------------

# FINISHED (no step leads out of these) is declared in stages.py, so that the features below
# the pilots can read it; tests/pilots check that it is what this table says.

#: Still under way.
UNDER_WAY = frozenset(Stage) - FINISHED
#: Stage → the head's decision it awaits ("submission", "selection", "rollout").
AWAITING_DECISION: dict[Stage, str] = {
    source: t.decision for t in TRANSITIONS if t.decision for source in sorted(t.sources)
}
#: Where a step that says "no" leads (sending back, closing).
REJECTING = frozenset({STEPS["send_back"].target, STEPS["close"].target})
#: Stages in which KPI values are recorded: while piloting and until the evaluation ends.
RECORDING = frozenset({STEPS["approve"].target, STEPS["start_evaluation"].target})
#: From the rollout decision on (the rollout plan, its board and its regulation).
ROLLOUT = from_on(STEPS["select"].target, STEPS["scale"].target)


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
        if transition.target == Stage.closed and any(t.target == Stage.closed for t in result):
            continue
        result.append(transition)
    return result


def allowed_outcomes(user, pilot) -> set[str]:
    roles = actor_roles(user, pilot)
    outcomes: set[str] = set()
    for transition in transitions_from(pilot.stage, Stage.closed):
        if roles & transition.actors:
            outcomes |= transition.outcomes
    return outcomes


def forward_readiness(pilot) -> list:
    """What is missing for the main step forward from the current stage (empty: ready)."""
    for transition in transitions_from(pilot.stage):
        if transition.forward:
            return transition.guard(pilot, Request())
    return []
