"""Asking for a new due date: the assignee asks, with a reason; the pilot's editors decide.

An approval moves the due date through the task's own path (a TaskDueChange and the history);
a decline is on record too. Functions change rows and history, notify, flush, never commit.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from pilotmgr.auth.models import User
from pilotmgr.core import audit
from pilotmgr.core import validate as v
from pilotmgr.core.authority import require
from pilotmgr.core.clock import local_today, now
from pilotmgr.core.errors import NotFound, ValidationFailed
from pilotmgr.extensions import db
from pilotmgr.notices.events import notify
from pilotmgr.pilots.models import Pilot, Task, TaskDueRequest
from pilotmgr.pilots.permissions import can_edit_pilot, require_visible
from pilotmgr.pilots.tasks import task_url, update_task

DECISIONS = ("approve", "decline")


class DueRequestInput(v.Input):
    new_due_date = v.iso_date(required=True)
    reason = v.prose(2000, required=True)


class DueDecisionInput(v.Input):
    decision = v.choice(DECISIONS, required=True)
    comment = v.prose(2000)


def pending_requests(*, pilot_id: int | None = None, assignee_id: int | None = None) -> dict:
    """Task id → the request waiting for a decision on it (at most one per task), for the
    tasks of one pilot or of one assignee: one query, however many tasks."""
    query = (
        select(TaskDueRequest)
        .join(Task, Task.id == TaskDueRequest.task_id)
        .where(TaskDueRequest.status == "pending")
    )
    if pilot_id is not None:
        query = query.where(Task.pilot_id == pilot_id)
    if assignee_id is not None:
        query = query.where(Task.assignee_id == assignee_id)
    return {r.task_id: r for r in db.session.scalars(query)}


def get_due_request(user, request_id) -> TaskDueRequest:
    found = db.session.get(TaskDueRequest, n) if (n := v.row_id(request_id)) else None
    task = db.session.get(Task, found.task_id) if found else None
    pilot = db.session.get(Pilot, task.pilot_id) if task else None
    if pilot is None:
        raise NotFound(str(_l("No such request.")))
    require_visible(user, pilot)
    return found


def due_requests(user, task: Task) -> list[TaskDueRequest]:
    require_visible(user, db.session.get(Pilot, task.pilot_id))
    return list(
        db.session.scalars(
            select(TaskDueRequest)
            .where(TaskDueRequest.task_id == task.id)
            .order_by(TaskDueRequest.id)
        )
    )


def request_due_date(actor, task: Task, data: Mapping) -> TaskDueRequest:
    """The assignee asks for a new due date with a reason; the pilot's owner is told."""
    pilot = db.session.get(Pilot, task.pilot_id)
    require(
        task.assignee_id == actor.id, str(_l("Only the task's assignee asks for a new due date."))
    )
    if can_edit_pilot(actor, pilot):
        raise ValidationFailed(
            {
                "new_due_date": [
                    str(_l("You may change this due date yourself: edit the task, with a reason."))
                ]
            }
        )
    if not task.is_open:
        raise ValidationFailed({"new_due_date": [str(_l("This task is no longer open."))]})
    values = v.parse(data, DueRequestInput)
    new_due = values["new_due_date"]
    if new_due == task.due_date:
        raise ValidationFailed({"new_due_date": [str(_l("That is the current due date."))]})
    if new_due < local_today():
        raise ValidationFailed({"new_due_date": [str(_l("A new due date cannot be in the past."))]})
    waiting = db.session.scalar(
        select(TaskDueRequest.id)
        .where(TaskDueRequest.task_id == task.id, TaskDueRequest.status == "pending")
        .limit(1)
    )
    if waiting is not None:
        raise ValidationFailed(
            {"new_due_date": [str(_l("A request for this task is already waiting."))]}
        )
    found = TaskDueRequest(
        task_id=task.id,
        requested_by_id=actor.id,
        old_due_date=task.due_date,
        new_due_date=new_due,
        reason=values["reason"],
        status="pending",
    )
    db.session.add(found)
    db.session.flush()
    entry = audit.record(
        actor=actor,
        obj=task,
        action="due_request",
        pilot_id=pilot.id,
        before={"due_date": task.due_date},
        after={"title": task.title, "due_date": new_due},
        comment=found.reason,
        unit_code=pilot.unit.code,
    )
    db.session.flush()
    owner = db.session.get(User, pilot.owner_id)
    if owner.is_active_account:
        deciders = [owner]
    else:
        from pilotmgr.auth.service import heads_of

        deciders = heads_of(pilot.unit)
    notify(
        "due_requested",
        deciders,
        cause=f"history-{entry.id}",
        actor=actor,
        pilot=pilot,
        url=f"/my-work#due-request-{found.id}",
        task=task.title,
        due=new_due,
        old_due=task.due_date or "—",
        reason=found.reason,
    )
    return found


def decide_due_request(actor, found: TaskDueRequest, data: Mapping) -> TaskDueRequest:
    """The pilot's editors approve (the due date moves, on record) or decline a request."""
    task = db.session.get(Task, found.task_id)
    pilot = db.session.get(Pilot, task.pilot_id)
    require(
        can_edit_pilot(actor, pilot),
        str(_l("Only the pilot's owner or a head with authority decides on a new due date.")),
    )
    values = v.parse(data, DueDecisionInput)
    if found.status != "pending":
        raise ValidationFailed({"decision": [str(_l("This request was already decided."))]})
    if not task.is_open:
        raise ValidationFailed({"decision": [str(_l("This task is no longer open."))]})
    comment = values.get("comment") or ""
    found.status = "approved" if values["decision"] == "approve" else "declined"
    found.decided_by_id, found.decided_at, found.decision_comment = actor.id, now(), comment
    if found.status == "approved":
        reason = f"{found.reason} — {comment}" if comment else found.reason
        # As an API request sends it: the date as ISO text.
        change = {"due_date": found.new_due_date.isoformat(), "due_change_reason": reason}
        update_task(actor, task, change | {"version": task.version})
        return found
    db.session.flush()
    entry = audit.record(
        actor=actor,
        obj=task,
        action="due_decline",
        pilot_id=pilot.id,
        after={"title": task.title},
        comment=comment,
        unit_code=pilot.unit.code,
    )
    db.session.flush()
    notify(
        "due_declined",
        [found.requested_by_id],
        cause=f"history-{entry.id}",
        actor=actor,
        pilot=pilot,
        url=task_url(task),
        task=task.title,
        due=found.new_due_date,
        old_due=task.due_date or "—",
        comment=comment,
    )
    return found
