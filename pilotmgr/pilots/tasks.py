"""Tasks: clear person, clear task, clear time, and the product that shows the work was done.

The assignee moves their task forward (start, done with its product) and asks for a new due date
(pilotmgr.pilots.due_requests); the pilot's editors (its owner, heads with authority) assign, edit,
re-date, cancel and decide on those requests. Every change is on record and told to whom it
concerns. Functions change rows and history, notify, flush, and never commit.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from pilotmgr.auth.models import Role, User
from pilotmgr.core import audit
from pilotmgr.core import validate as v
from pilotmgr.core.authority import require
from pilotmgr.core.clock import now
from pilotmgr.core.errors import NotFound, ValidationFailed, check_version
from pilotmgr.extensions import db
from pilotmgr.notices.events import notify
from pilotmgr.pilots.files import save_file
from pilotmgr.pilots.models import (
    PRIORITIES,
    TASK_STATUSES,
    Pilot,
    Task,
    TaskDueChange,
)
from pilotmgr.pilots.permissions import can_edit_pilot, can_update_task, require_visible
from pilotmgr.pilots.service import find_user

TASK_AUDITED = (
    "title",
    "how",
    "assignee_id",
    "priority",
    "due_date",
    "deliverable",
    "status",
    "completion_note",
)
#: The statuses an assignee moves their task between; cancelling is the editors' decision.
ASSIGNEE_STATUSES = ("todo", "in_progress", "done")


class TaskInput(v.Input):
    """A task's terms: what, how, who, priority, by when, and the product expected."""

    title = v.text(255, required=True)
    how = v.prose(10_000)
    assignee = v.lookup(find_user, _l("No such user."))
    priority = v.choice(PRIORITIES)
    due_date = v.iso_date()
    deliverable = v.prose(10_000)


class TaskProgress(v.Input):
    """What the assignee changes: the progress of the work, not its terms."""

    status = v.choice(TASK_STATUSES)
    #: What was delivered (needed for done where a deliverable is named).
    completion_note = v.prose(10_000)
    comment = v.prose(10_000)
    version = v.version()


#: What an assignee who does not edit the pilot may send: the progress of the work, not its terms.
ASSIGNEE_KEYS = frozenset(TaskProgress._declared_fields)


class TaskChanges(TaskProgress, TaskInput):
    """What the pilot's editors change: the terms too, a new due date with its reason, and
    cancelling (status cancelled) with a reason."""

    due_change_reason = v.prose(2000)
    reason = v.prose(2000)


class _DueDate(v.Input):
    due_date = v.iso_date()


class Completion(v.Input):
    completion_note = v.prose(10_000)


def task_url(task: Task) -> str:
    return f"/pilots/{task.pilot_id}#task-{task.id}"


# --- reading ---------------------------------------------------------------------------


def get_task(user, task_id) -> Task:
    task = db.session.get(Task, n) if (n := v.row_id(task_id)) else None
    if task is None:
        raise NotFound(str(_l("No such task.")))
    require_visible(user, db.session.get(Pilot, task.pilot_id))
    return task


def list_tasks(user, pilot: Pilot) -> list[Task]:
    require_visible(user, pilot)
    return list(
        db.session.scalars(
            select(Task)
            .where(Task.pilot_id == pilot.id)
            .options(selectinload(Task.assignee))
            .order_by(Task.due_date, Task.id)
        )
    )


def due_changes(user, task: Task) -> list[TaskDueChange]:
    require_visible(user, db.session.get(Pilot, task.pilot_id))
    return list(
        db.session.scalars(
            select(TaskDueChange).where(TaskDueChange.task_id == task.id).order_by(TaskDueChange.id)
        )
    )


def products(pilot_id: int) -> dict[int, list]:
    """Task id → the files attached to it as its product (not retracted), for one pilot."""
    from pilotmgr.results.models import Evidence

    found: dict[int, list] = {}
    for row in db.session.scalars(
        select(Evidence)
        .where(
            Evidence.pilot_id == pilot_id,
            Evidence.task_id.is_not(None),
            Evidence.retracted_at.is_(None),
        )
        .order_by(Evidence.id)
    ):
        found.setdefault(row.task_id, []).append(row)
    return found


# --- creating and changing -------------------------------------------------------------


def _pilot(task: Task) -> Pilot:
    return db.session.get(Pilot, task.pilot_id)


def _task_values(values: dict) -> dict:
    if "assignee" in values:
        assignee = values.pop("assignee")
        if assignee is not None and assignee.role == Role.viewer:
            raise ValidationFailed(
                {"assignee": [str(_l("A viewer only reads; give the task to someone who works."))]}
            )
        values["assignee_id"] = assignee.id if assignee else None
    for key in ("how", "deliverable", "completion_note"):
        if key in values:
            values[key] = values[key] or ""
    if "priority" in values and values["priority"] is None:
        values["priority"] = "normal"
    return values


def add_task(actor, pilot: Pilot, data: Mapping) -> Task:
    require(can_edit_pilot(actor, pilot))
    values = _task_values(v.parse(data, TaskInput))
    return create_task(actor, pilot, **values)


def create_task(
    actor,
    pilot: Pilot,
    *,
    comment: str = "",
    told_as: str = "task_assigned",
    **values,
) -> Task:
    """The one way a task comes to be: the row, one history entry, word to its assignee.

    `values` are the task's terms (title, how, assignee_id, priority, due_date, deliverable),
    already checked; `told_as` is the notification its assignee gets (a condition of a
    decision is told as one). Callers check who may create it.
    """
    values.setdefault("priority", "normal")
    task = Task(pilot_id=pilot.id, status="todo", **values)
    db.session.add(task)
    db.session.flush()
    entry = audit.record(
        actor=actor,
        obj=task,
        action="create",
        pilot_id=pilot.id,
        after=audit.snapshot(task, TASK_AUDITED),
        comment=comment,
        unit_code=pilot.unit.code,
    )
    db.session.flush()
    if task.assignee_id:
        _tell_assigned(actor, task, pilot, f"history-{entry.id}", told_as)
    return task


def _check_assignee_request(task: Task, data: Mapping) -> None:
    """An assignee moves the work on; the terms (what, who, by when) are the editors'."""
    if "due_date" in data or "due_change_reason" in data:
        new_due = v.parse(data, _DueDate, partial=True).get("due_date")
        require(
            "due_date" not in data or new_due == task.due_date,
            str(_l("As the assignee, ask for a new due date: the pilot's owner decides on it.")),
        )
    extra = set(data) - ASSIGNEE_KEYS - {"due_date", "due_change_reason"}
    require(
        not extra,
        str(_l("As the assignee you may change only the status and the note on the product.")),
    )
    require(
        data.get("status") != "cancelled",
        str(_l("Only the pilot's owner or a head cancels a task.")),
    )
    if task.status == "cancelled":
        raise ValidationFailed({"status": [str(_l("This task was cancelled."))]})


def has_product(task: Task, note: str) -> bool:
    """Whether the work has its product ("once done, it must have a product"): where a
    deliverable is named, a note on what was delivered or a file attached to the task."""
    if not task.deliverable.strip() or note.strip():
        return True
    from pilotmgr.results.models import Evidence

    return bool(
        db.session.scalar(
            select(Evidence.id)
            .where(Evidence.task_id == task.id, Evidence.retracted_at.is_(None))
            .limit(1)
        )
    )


def product_missing() -> ValidationFailed:
    return ValidationFailed(
        {
            "completion_note": [
                str(
                    _l(
                        "Once done, it must have a product: describe what was delivered "
                        "or attach the file."
                    )
                )
            ]
        }
    )


def update_task(actor, task: Task, data: Mapping) -> Task:
    """The assignee moves the status (done with its product); editors change anything.

    A new due date needs a reason; cancelling needs a reason and an editor.
    """
    pilot = _pilot(task)
    require(can_update_task(actor, task, pilot))
    editor = can_edit_pilot(actor, pilot)
    if not editor:
        _check_assignee_request(task, data)
    values = v.parse(data, TaskChanges if editor else TaskProgress, partial=True)
    check_version(task, values.pop("version"))
    comment = values.pop("comment", None) or ""
    due_reason = values.pop("due_change_reason", None) or ""
    cancel_reason = values.pop("reason", None) or ""
    values = _task_values(values)
    if values.get("status") is None:
        values.pop("status", None)
    status = values.get("status", task.status)
    _check_status_change(task, status, values, cancel_reason)
    new_due = values.get("due_date", task.due_date)
    due_changed = "due_date" in values and new_due != task.due_date
    if due_changed and task.due_date is not None and not due_reason:
        raise ValidationFailed({"due_change_reason": [str(_l("Say why the due date changes."))]})
    before = audit.snapshot(task, TASK_AUDITED)
    old_assignee, old_due = task.assignee_id, task.due_date
    for key, value in values.items():
        setattr(task, key, value)
    if status != before["status"]:
        task.completed_at = now() if status == "done" else None
    if due_changed and old_due is not None:
        _due_change(actor, task, old_due, new_due, due_reason)
    comment = cancel_reason or due_reason or comment
    entry = _record_update(actor, task, pilot, before, comment)
    if entry is not None:
        _tell_update(actor, task, pilot, entry, old_assignee, old_due, comment)
    return task


def _check_status_change(task: Task, status: str, values: dict, cancel_reason: str) -> None:
    if status == "done" and (task.status != "done" or "completion_note" in values):
        note = values.get("completion_note", task.completion_note) or ""
        if not has_product(task, note):
            raise product_missing()
    if status == "cancelled" and task.status != "cancelled":
        if not task.is_open:
            raise ValidationFailed(
                {"reason": [str(_l("A finished task cannot be cancelled; reopen it first."))]}
            )
        if not cancel_reason.strip():
            raise ValidationFailed({"reason": [str(_l("Say why the task is cancelled."))]})


def _due_change(actor, task: Task, old_due, new_due, reason: str) -> None:
    db.session.add(
        TaskDueChange(
            task_id=task.id,
            old_due_date=old_due,
            new_due_date=new_due,
            reason=reason,
            changed_by_id=actor.id,
        )
    )


def _record_update(actor, task: Task, pilot: Pilot, before: dict, comment: str):
    db.session.flush()
    after = audit.snapshot(task, TASK_AUDITED)
    changed = {k for k in after if after[k] != before[k]}
    if not changed:
        return None
    entry = audit.record(
        actor=actor,
        obj=task,
        action="update",
        pilot_id=pilot.id,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
        comment=comment,
        unit_code=pilot.unit.code,
    )
    db.session.flush()
    return entry


def _tell_assigned(actor, task: Task, pilot: Pilot, cause: str, kind="task_assigned") -> None:
    notify(
        kind,
        [task.assignee_id],
        cause=cause,
        actor=actor,
        pilot=pilot,
        url=task_url(task),
        task=task.title,
        due=task.due_date or "—",
    )


def _tell_update(actor, task, pilot, entry, old_assignee, old_due, comment: str) -> None:
    """Who learns of an edit: a new assignee, the one who lost the task, a re-dated assignee."""
    cause = f"history-{entry.id}"
    if task.assignee_id != old_assignee:
        if task.assignee_id:
            _tell_assigned(actor, task, pilot, cause)
        if old_assignee:
            new = db.session.get(User, task.assignee_id) if task.assignee_id else None
            notify(
                "task_unassigned",
                [old_assignee],
                cause=cause,
                actor=actor,
                pilot=pilot,
                url=f"/pilots/{pilot.id}",
                task=task.title,
                assignee=new.name if new else "—",
            )
    elif task.assignee_id and task.due_date != old_due and task.due_date is not None:
        notify(
            "task_redated",
            [task.assignee_id],
            cause=cause,
            actor=actor,
            pilot=pilot,
            url=task_url(task),
            task=task.title,
            due=task.due_date,
            old_due=old_due or "—",
            reason=comment,
        )
    if task.status == "cancelled" and entry.before.get("status") != "cancelled":
        notify(
            "task_cancelled",
            [task.assignee_id],
            cause=cause,
            actor=actor,
            pilot=pilot,
            url=task_url(task),
            task=task.title,
            reason=comment,
        )


def complete_task(actor, task: Task, data: Mapping) -> Task:
    """Done, with its product: a note on what was delivered and/or a file (`data["file"]`).

    The file is stored as evidence of the pilot tied to the task; where the task names a
    deliverable, one of the two is required.
    """
    pilot = _pilot(task)
    require(can_update_task(actor, task, pilot))
    check_version(task, data.get("version"))
    note = v.parse(data, Completion)["completion_note"] or ""
    file = data.get("file")
    attached = file is not None and bool(getattr(file, "filename", ""))
    if task.status == "cancelled":
        raise ValidationFailed({"completion_note": [str(_l("This task was cancelled."))]})
    if not attached and not has_product(task, note):
        raise product_missing()
    if attached:
        save_file(actor, pilot, file, note, task_id=task.id)
    return update_task(
        actor, task, {"status": "done", "completion_note": note, "version": task.version}
    )


def cancel_task(actor, task: Task, data: Mapping) -> Task:
    """Editors cancel a task that is no longer needed, saying why; the assignee is told."""
    pilot = _pilot(task)
    require(
        can_edit_pilot(actor, pilot), str(_l("Only the pilot's owner or a head cancels a task."))
    )
    return update_task(
        actor,
        task,
        {"status": "cancelled", "reason": data.get("reason") or "", "version": data.get("version")},
    )
