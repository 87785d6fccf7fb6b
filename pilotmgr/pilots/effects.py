"""What a lifecycle step does besides moving the stage: small named operations the table lists.

`lifecycle.TRANSITIONS` names each step's effects (`Announce("sent_back", owner)`);
`transitions.transition` runs them, in that order, inside the step's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from pilotmgr.extensions import db


@dataclass(frozen=True)
class Moved:
    """A step just taken: who took it, on which pilot, from where, why; its history entry."""

    actor: Any
    pilot: Any
    step: Any
    source: str
    request: Any
    entry: Any

    @property
    def cause(self) -> str:
        return f"history-{self.entry.id}"


Effect = Callable[[Moved], None]
Recipients = Callable[[Moved], Iterable]


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

    def __init__(self, kind: str, *recipients: Recipients):
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "recipients", recipients)

    def __call__(self, moved: Moved) -> None:
        from pilotmgr.reminders.events import notify

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
    if moved.step.target == "piloting" and request.new_end_date:
        facts["due"] = request.new_end_date
    if moved.step.target == "rolling_out":
        facts["decision"] = request.decision_number or pilot.rollout_decision_number
    return facts
