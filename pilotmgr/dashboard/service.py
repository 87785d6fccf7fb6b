"""'Việc của tôi': what a user has to do, owns, and must decide."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, lazyload

from pilotmgr.auth.models import Role
from pilotmgr.core.clock import local_today
from pilotmgr.core.permissions import is_admin, subtree_ids
from pilotmgr.extensions import db
from pilotmgr.pilots.models import OPEN_TASK_STATUSES, Pilot, Task

LIMIT = 200
#: Stages in which a pilot waits for a head's decision.
DECISION_STAGES = ("proposed", "evaluating", "selected", "rolling_out")


def today():
    return local_today()


def my_open_tasks(user) -> list[Task]:
    """Open tasks assigned to `user`, by due date (no date last), with their pilot."""
    order = (Task.due_date.is_(None), Task.due_date, Task.id)
    # Pick the first LIMIT task ids from the index alone, then join only those to their pilots:
    # a busy person has thousands of tasks and joining them all before sorting is slow.
    first = (
        select(Task.id)
        .where(Task.assignee_id == user.id, Task.status.in_(OPEN_TASK_STATUSES))
        .order_by(*order)
        .limit(LIMIT)
        .subquery()
    )
    return list(
        db.session.scalars(
            select(Task)
            .join(first, Task.id == first.c.id)
            .join(Task.pilot)
            .options(contains_eager(Task.pilot))
            .order_by(*order)
        )
    )


def my_open_targets(user) -> list:
    """Rollout targets `user` answers for that are not done, in opened waves, by due date."""
    from pilotmgr.rollout.models import RolloutTarget

    order = (RolloutTarget.due_date.is_(None), RolloutTarget.due_date, RolloutTarget.id)
    return list(
        db.session.scalars(
            select(RolloutTarget)
            .join(Pilot, Pilot.id == RolloutTarget.pilot_id)
            .options(contains_eager(RolloutTarget.pilot))
            .where(
                RolloutTarget.responsible_id == user.id,
                RolloutTarget.status != "done",
                RolloutTarget.wave <= Pilot.rollout_open_wave,
                Pilot.stage == "rolling_out",
            )
            .order_by(*order)
            .limit(LIMIT)
        ).unique()
    )


def my_pilots(user) -> list[Pilot]:
    return list(
        db.session.scalars(
            select(Pilot)
            .where(Pilot.owner_id == user.id, Pilot.stage.not_in(("closed", "scaled")))
            .order_by(Pilot.end_date.is_(None), Pilot.end_date, Pilot.id)
            .limit(LIMIT)
        )
    )


def awaiting_my_decision(user) -> list[Pilot]:
    """Pilots in the head's subtree waiting at a stage only a head can move on from."""
    if user.role != Role.head and not is_admin(user):
        return []
    order = (Pilot.stage_changed_at, Pilot.id)
    first = select(Pilot.id).where(Pilot.stage.in_(DECISION_STAGES))
    if not is_admin(user):
        first = first.where(Pilot.unit_id.in_(subtree_ids(user.unit)))
    # Choose the ids first and join units and owners to those only (see my_open_tasks).
    first = first.order_by(*order).limit(LIMIT).subquery()
    return list(
        db.session.scalars(
            select(Pilot)
            .join(first, Pilot.id == first.c.id)
            # The list shows unit, not owner: skip joining and building 200 owners.
            .options(lazyload(Pilot.owner))
            .order_by(*order)
        )
    )
