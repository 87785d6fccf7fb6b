"""Telling the people who answer for rollout targets: one notification per person and action."""

from __future__ import annotations

from collections import defaultdict

from pilotmgr.notices.events import notify


def tell_responsible(kind: str, actor, pilot, targets, *, cause: str, **params) -> None:
    """Notify each responsible person once, naming all their units of this action.

    A person answerable for several of the targets gets one notification listing the units,
    with the earliest of their due dates.
    """
    by_person = defaultdict(list)
    for target in targets:
        if target.responsible_id is not None:
            by_person[target.responsible_id].append(target)
    for person_id, theirs in by_person.items():
        dues = [t.due_date for t in theirs if t.due_date is not None]
        if kind == "target_removed":
            # The pilot may no longer be theirs to see.
            url = "/my-work"
        elif len(theirs) == 1:
            url = f"/rollout-targets/{theirs[0].id}"
        else:
            url = f"/pilots/{pilot.id}/rollout"
        notify(
            kind,
            [person_id],
            cause=cause,
            actor=actor,
            pilot=pilot,
            url=url,
            unit=", ".join(t.unit.name for t in theirs),
            due=min(dues) if dues else None,
            **params,
        )
