"""'Việc của tôi': what a user has to do, owns, and must decide."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import contains_eager

from pilotmgr.auth.models import Role
from pilotmgr.core.authority import is_admin
from pilotmgr.core.clock import local_today, local_zone
from pilotmgr.extensions import db
from pilotmgr.pilots.lifecycle import AWAITING_DECISION, FINISHED, RECORDING
from pilotmgr.pilots.models import OPEN_TASK_STATUSES, Kpi, Pilot, Task, TaskDueRequest
from pilotmgr.pilots.stages import Stage
from pilotmgr.units.models import Unit, subtree_ids

LIMIT = 200
#: Stage → the decision a pilot there waits for from a head (rolling_out: once every target is
#: done, confirming it scaled).
DECISION_STAGES = AWAITING_DECISION
#: Stages in which KPI values are recorded (results.service.RECORDING_STAGES).
RECORDING_STAGES = RECORDING


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
                Pilot.stage == Stage.rolling_out,
            )
            .order_by(*order)
            .limit(LIMIT)
        ).unique()
    )


def my_pilots(user) -> list[Pilot]:
    return list(
        db.session.scalars(
            select(Pilot)
            .where(Pilot.owner_id == user.id, Pilot.stage.not_in(FINISHED))
            .order_by(Pilot.end_date.is_(None), Pilot.end_date, Pilot.id)
            .limit(LIMIT)
        )
    )


# --- awaiting my decision -------------------------------------------------------------------


@dataclass
class Waiting:
    """One thing waiting for this user's decision: what kind, about what, since when."""

    #: submission, selection, rollout, scaling, due_request, review or evaluation.
    kind: str
    since: date
    pilot_id: int
    pilot_title: str
    unit_name: str
    #: The task or KPI it is about, if not the pilot itself.
    subject: str = ""
    #: For a due-date request: the request, its task and who asked.
    request: TaskDueRequest | None = None
    task_id: int | None = None
    requester: str = ""
    #: For a value to review: the value and the KPI's anchor on the pilot page.
    value: object = None
    kpi_id: int | None = None
    working_days: int = 0

    @property
    def url(self) -> str:
        if self.kpi_id is not None:
            return f"/pilots/{self.pilot_id}#kpi-{self.kpi_id}"
        if self.task_id is not None:
            return f"/pilots/{self.pilot_id}#task-{self.task_id}"
        anchors = {"evaluation": "#evaluations", "scaling": "#rollout"}
        return f"/pilots/{self.pilot_id}{anchors.get(self.kind, '')}"


def _day(moment: datetime | date) -> date:
    return moment.astimezone(local_zone()).date() if isinstance(moment, datetime) else moment


def _authority(user):
    """SQL: pilots under this head's authority (None: every pilot, for an admin; False: none)."""
    if is_admin(user):
        return None
    if user.role == Role.head:
        return Pilot.unit_id.in_(subtree_ids(user.unit))
    return False


def _editable(user):
    """SQL: pilots whose tasks this user decides on: owned, or under their authority."""
    authority = _authority(user)
    if authority is None:
        return Pilot.stage.not_in(FINISHED)
    owned = Pilot.owner_id == user.id
    clause = owned if authority is False else or_(owned, authority)
    return and_(clause, Pilot.stage.not_in(FINISHED))


def _pilot_rows(query) -> list:
    return list(db.session.execute(query.join(Unit, Unit.id == Pilot.unit_id).limit(LIMIT)))


def _stage_decisions(user) -> list[Waiting]:
    authority = _authority(user)
    if authority is False:
        return []
    query = select(Pilot.id, Pilot.title, Pilot.stage, Pilot.stage_changed_at, Unit.name).where(
        Pilot.stage.in_(tuple(DECISION_STAGES))
    )
    if authority is not None:
        query = query.where(authority)
    rows = _pilot_rows(query.order_by(Pilot.stage_changed_at, Pilot.id))
    return [
        Waiting(DECISION_STAGES[stage], _day(at), pid, title, unit)
        for pid, title, stage, at, unit in rows
    ]


def _ready_to_scale(user) -> list[Waiting]:
    """Rolling-out pilots whose every target is done: the head confirms them scaled."""
    from pilotmgr.rollout.models import RolloutTarget

    authority = _authority(user)
    if authority is False:
        return []
    open_targets = func.sum(case((RolloutTarget.status == "done", 0), else_=1))
    query = (
        select(Pilot.id, Pilot.title, func.max(RolloutTarget.done_on), Unit.name)
        .join(RolloutTarget, RolloutTarget.pilot_id == Pilot.id)
        .where(Pilot.stage == Stage.rolling_out)
        .group_by(Pilot.id, Pilot.title, Unit.name)
        .having(open_targets == 0)
        .order_by(func.max(RolloutTarget.done_on), Pilot.id)
    )
    if authority is not None:
        query = query.where(authority)
    return [
        Waiting("scaling", done_on, pid, title, unit)
        for pid, title, done_on, unit in _pilot_rows(query)
    ]


def _due_requests(user) -> list[Waiting]:
    from pilotmgr.auth.models import User

    query = (
        select(TaskDueRequest, Task.title, Pilot.id, Pilot.title, Unit.name, User.name)
        .join(Task, Task.id == TaskDueRequest.task_id)
        .join(Pilot, Pilot.id == Task.pilot_id)
        .join(User, User.id == TaskDueRequest.requested_by_id)
        .where(
            TaskDueRequest.status == "pending",
            Task.status.in_(OPEN_TASK_STATUSES),
            _editable(user),
        )
        .order_by(TaskDueRequest.created_at, TaskDueRequest.id)
    )
    return [
        Waiting(
            "due_request",
            _day(found.created_at),
            pid,
            title,
            unit,
            subject=task_title,
            request=found,
            task_id=found.task_id,
            requester=requester,
        )
        for found, task_title, pid, title, unit, requester in _pilot_rows(query)
    ]


def _values_to_review(user) -> list[Waiting]:
    """Submitted values this user may review (results.service.can_review, in SQL)."""
    from pilotmgr.results.models import Measurement

    authority = _authority(user)
    own = and_(Pilot.owner_id == user.id, Measurement.submitted_by_id != user.id)
    clause = None if authority is None else (own if authority is False else or_(own, authority))
    query = (
        select(Measurement.created_at, Measurement.value, Kpi.id, Kpi.name, Pilot.id)
        .add_columns(Pilot.title, Unit.name)
        .join(Kpi, Kpi.id == Measurement.kpi_id)
        .join(Pilot, Pilot.id == Kpi.pilot_id)
        .where(Measurement.status == "submitted")
        .order_by(Measurement.created_at, Measurement.id)
    )
    if clause is not None:
        query = query.where(clause)
    return [
        Waiting("review", _day(at), pid, title, unit, subject=kpi_name, value=value, kpi_id=kid)
        for at, value, kid, kpi_name, pid, title, unit in _pilot_rows(query)
    ]


def _evaluations(user) -> list[Waiting]:
    """Pilots being evaluated that a head asked this user to evaluate, not yet evaluated."""
    from pilotmgr.results.models import Evaluation, PilotEvaluator

    done = exists().where(Evaluation.pilot_id == Pilot.id, Evaluation.evaluator_id == user.id)
    query = (
        select(Pilot.id, Pilot.title, Pilot.stage_changed_at, Unit.name)
        .join(PilotEvaluator, PilotEvaluator.pilot_id == Pilot.id)
        .where(PilotEvaluator.user_id == user.id, Pilot.stage == Stage.evaluating, ~done)
        .order_by(Pilot.stage_changed_at, Pilot.id)
    )
    return [
        Waiting("evaluation", _day(at), pid, title, unit)
        for pid, title, at, unit in _pilot_rows(query)
    ]


def awaiting_my_decision(user, today: date | None = None) -> list[Waiting]:
    """Everything waiting for this user's decision, oldest first, with its working days.

    One query per kind, each limited, whatever the number of pilots.
    """
    if user.role == Role.viewer:
        return []
    today = today or local_today()
    found = [
        *_stage_decisions(user),
        *_ready_to_scale(user),
        *_due_requests(user),
        *_values_to_review(user),
        *_evaluations(user),
    ]
    found.sort(key=lambda w: (w.since, w.pilot_id))
    found = found[:LIMIT]
    _count_working_days(found, today)
    return found


def _count_working_days(found: list[Waiting], today: date) -> None:
    """Working days each item has waited, from one calendar spanning the oldest one.

    The calendar's exceptions are read even when nothing waits, so that the page's queries do
    not depend on the data (see tests/bench).
    """
    from pilotmgr.notices.workdays import WorkCalendar
    from pilotmgr.reminders.models import CalendarDay

    earliest = today - timedelta(days=366 * 2)
    first = min(max(min((w.since for w in found), default=today), earliest), today)
    exceptions = db.session.execute(
        select(CalendarDay.day, CalendarDay.working).where(
            CalendarDay.day >= first, CalendarDay.day <= today
        )
    )
    calendar = WorkCalendar(first, today, dict(exceptions.all()))
    for item in found:
        item.working_days = calendar.between(min(max(item.since, first), today), today)


# --- values to enter --------------------------------------------------------------------------


@dataclass
class ValueToEnter:
    kpi: Kpi
    pilot_title: str
    latest: object = None


def values_to_enter(user) -> list[ValueToEnter]:
    """KPIs of the piloting pilots this user owns or works on, with their latest value."""
    from pilotmgr.results.models import Measurement

    involved = or_(
        Pilot.owner_id == user.id,
        Pilot.id.in_(select(Task.pilot_id).where(Task.assignee_id == user.id)),
    )
    latest_id = (
        select(func.max(Measurement.id))
        .where(Measurement.kpi_id == Kpi.id)
        .correlate(Kpi)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Kpi, Pilot.title, Measurement)
        .join(Pilot, Pilot.id == Kpi.pilot_id)
        .outerjoin(Measurement, Measurement.id == latest_id)
        .where(Pilot.stage.in_(RECORDING_STAGES), involved)
        .order_by(Pilot.end_date.is_(None), Pilot.end_date, Pilot.id, Kpi.id)
        .limit(LIMIT)
    ).all()
    return [ValueToEnter(kpi, title, latest) for kpi, title, latest in rows]
