"""What a lifecycle step does besides moving the stage: small named operations the table lists.

`lifecycle.TRANSITIONS` names each step's effects (`new_end_date`, `Announce("sent_back",
owner)`); `transitions.transition` runs them in the step's transaction: first those that
change the pilot (`records_history`: what they change goes into the step's history entry),
then, once the entry is written, the rest in the table's order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from pilotmgr.core.clock import add_months, local_today
from pilotmgr.extensions import db
from pilotmgr.pilots.stages import Stage


@dataclass
class Moved:
    """A step being taken: who takes it, on which pilot, from where, why.

    `history` collects what the changing effects record with the step; `entry` is the step's
    history entry once written.
    """

    actor: Any
    pilot: Any
    step: Any
    source: str
    request: Any
    history: dict = field(default_factory=dict)
    entry: Any = None

    @property
    def cause(self) -> str:
        return f"history-{self.entry.id}"


Effect = Callable[[Moved], None]
Recipients = Callable[[Moved], Iterable]


def records_history(effect: Effect) -> Effect:
    """Mark an effect that changes the pilot itself: it runs before the history entry."""
    effect.records_history = True
    return effect


# --- effects that change the pilot (recorded with the step) -------------------------------


@records_history
def new_end_date(moved: Moved) -> None:
    """Extending: the pilot runs to the new end date."""
    moved.pilot.end_date = moved.request.new_end_date
    moved.history["end_date"] = moved.pilot.end_date


@records_history
def outcome_and_lessons(moved: Moved) -> None:
    """Closing: why it closed, and what was learned (kept for the lessons library)."""
    moved.pilot.outcome = moved.request.outcome
    moved.history["outcome"] = moved.request.outcome
    if moved.request.lessons:
        moved.pilot.lessons = moved.request.lessons


@records_history
def regulation(moved: Moved) -> None:
    """Scaling: the regulation that makes the model mandatory, when given with the step."""
    given = moved.request.regulation
    if not given:
        return
    pilot = moved.pilot
    pilot.regulation_number = given["number"]
    pilot.regulation_date = given["date"]
    pilot.regulation_issuer = given["issuer"]
    pilot.regulation_title = given.get("title") or pilot.regulation_title
    moved.history["regulation"] = given


@records_history
def rollout_decision(moved: Moved) -> None:
    """Approving the rollout: the decision's number and date, kept on the pilot."""
    pilot, request = moved.pilot, moved.request
    pilot.rollout_decision_number = request.decision_number or pilot.rollout_decision_number
    pilot.rollout_decision_date = request.decision_date or pilot.rollout_decision_date


# --- effects after the step is on record --------------------------------------------------


def benefit_review(moved: Moved) -> None:
    """Scaled: a task for the owner, months later — does the model still deliver its KPIs?"""
    from pilotmgr.pilots.tasks import create_task

    months = int(current_app.config.get("PILOTMGR_BENEFIT_REVIEW_MONTHS", 6))
    create_task(
        moved.actor,
        moved.pilot,
        title=str(_l("Benefit review: does the rolled-out model still deliver its KPIs?")),
        how=str(
            _l(
                "Measure every KPI again in the target units, compare with the targets and "
                "report whether the regulation is applied."
            )
        ),
        assignee_id=moved.pilot.owner_id,
        due_date=add_months(local_today(), months),
        deliverable=str(_l("Benefit review report")),
    )


def memo_decision(moved: Moved) -> None:
    """A decision that names a memo or sets conditions is kept with the memo; each condition
    becomes a task for its owner (nothing when the step names neither)."""
    # In the function: the decisions read the lifecycle table, which is built of these effects.
    from pilotmgr.pilots.decisions import record

    record(moved.actor, moved.pilot, moved.step, moved.request)


def owner(moved: Moved) -> list[int]:
    """The pilot's owner."""
    return [moved.pilot.owner_id]


def deciders(moved: Moved) -> list:
    """The heads who may decide on the pilot: of its unit and of every unit above it."""
    from pilotmgr.auth.service import heads_of

    return heads_of(moved.pilot.unit)


def open_target_people(moved: Moved) -> list[int]:
    """Those answerable for the rollout targets in the waves open now."""
    from pilotmgr.rollout.models import RolloutTarget

    pilot = moved.pilot
    return list(
        db.session.scalars(
            select(RolloutTarget.responsible_id)
            .where(
                RolloutTarget.pilot_id == pilot.id,
                RolloutTarget.wave <= pilot.rollout_open_wave,
                RolloutTarget.responsible_id.is_not(None),
            )
            .distinct()
        )
    )


@dataclass(frozen=True)
class Announce:
    """Tell these people of the step (one notification each, never the actor), with its comment."""

    kind: str
    recipients: tuple[Recipients, ...]
    #: Skipped when the caller tells people itself (`transition(..., announce=False)`).
    announcement = True

    def __init__(self, kind: str, *recipients: Recipients):
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "recipients", recipients)

    def __call__(self, moved: Moved) -> None:
        from pilotmgr.notices.events import notify

        people: list = []
        for find in self.recipients:
            people.extend(find(moved))
        notify(
            self.kind,
            people,
            cause=moved.cause,
            actor=moved.actor,
            pilot=moved.pilot,
            **step_facts(moved),
        )

    def __repr__(self) -> str:
        names = ", ".join(f.__name__ for f in self.recipients)
        return f"Announce({self.kind!r}, {names})"


def step_facts(moved: Moved) -> dict:
    """What the notification texts of a step may name: the comment, outcome, dates, decision."""
    request, pilot = moved.request, moved.pilot
    facts: dict = {"comment": request.comment}
    if request.outcome:
        facts["outcome"] = request.outcome
    if moved.step.target == Stage.piloting and request.new_end_date:
        facts["due"] = request.new_end_date
    if moved.step.target == Stage.rolling_out:
        facts["decision"] = request.decision_number or pilot.rollout_decision_number
    return facts
