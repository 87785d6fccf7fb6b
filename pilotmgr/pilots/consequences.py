"""What an irreversible step will do, said before it is taken (the confirmation page)."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from pilotmgr.core.clock import add_months, local_today
from pilotmgr.core.formats import format_day
from pilotmgr.extensions import db
from pilotmgr.pilots import lifecycle
from pilotmgr.pilots.guards import open_target_units
from pilotmgr.pilots.models import OPEN_TASK_STATUSES, Task
from pilotmgr.pilots.naming import SHOWN, name_list, quoted
from pilotmgr.pilots.stages import Stage
from pilotmgr.rollout.models import RolloutTarget


def consequences(actor, pilot, step, request_) -> list:
    """The lines of the confirmation page: what taking `step` with `request_` will do."""
    if step.target == Stage.closed:
        return _closing(actor, pilot, request_)
    return _scaling(pilot, request_)


def _closing(actor, pilot, request_) -> list:
    lines = [
        _l(
            "The pilot “%(title)s” closes as “%(outcome)s” and cannot be reopened.",
            title=pilot.title,
            outcome=lifecycle.OUTCOME_LABELS.get(request_.outcome, ""),
        )
    ]
    is_open = (Task.pilot_id == pilot.id, Task.status.in_(OPEN_TASK_STATUSES))
    n_tasks = db.session.scalar(select(func.count()).select_from(Task).where(*is_open)) or 0
    # The first ten by due date, named; the rest counted (a pilot may have hundreds).
    open_tasks = db.session.scalars(
        select(Task.title).where(*is_open).order_by(Task.due_date, Task.id).limit(SHOWN)
    ).all()
    if n_tasks:
        lines.append(
            _l(
                "Its %(n)s open tasks stop and nobody is reminded of them any more: %(titles)s.",
                n=n_tasks,
                titles=name_list([quoted(t) for t in open_tasks], n_tasks, "tasks"),
            )
        )
    else:
        lines.append(_l("It has no open task."))
    n_targets, units = open_target_units(pilot.id)
    if n_targets:
        lines.append(
            _l(
                "Its %(n)s rollout targets not yet done stop: %(units)s.",
                n=n_targets,
                units=name_list(units, n_targets, "units"),
            )
        )
    if request_.lessons.strip():
        lines.append(_l("The lessons learned go into the lessons library."))
    if pilot.owner_id != actor.id:
        lines.append(
            _l("%(owner)s, the owner, is told, with your comment.", owner=pilot.owner.name)
        )
    return lines


def _scaling(pilot, request_) -> list:
    targets = db.session.scalar(
        select(func.count()).select_from(RolloutTarget).where(RolloutTarget.pilot_id == pilot.id)
    )
    regulation = request_.regulation or {
        "number": pilot.regulation_number,
        "date": pilot.regulation_date,
        "issuer": pilot.regulation_issuer,
    }
    months = int(current_app.config.get("PILOTMGR_BENEFIT_REVIEW_MONTHS", 6))
    return [
        _l(
            "The rollout of “%(title)s” is recorded as complete in all %(n)s target units.",
            title=pilot.title,
            n=targets,
        ),
        _l(
            "Regulation %(number)s of %(date)s, issued by %(issuer)s, makes the model mandatory.",
            number=regulation["number"],
            date=format_day(regulation["date"]),
            issuer=regulation["issuer"],
        ),
        _l(
            "A benefit review task is planned for %(owner)s, due on %(due)s.",
            owner=pilot.owner.name,
            due=format_day(add_months(local_today(), months)),
        ),
        _l("The rollout plan and its targets can no longer be changed."),
    ]
