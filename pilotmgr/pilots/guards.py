"""The lifecycle's guards: what must be true before a step, and *which* things are not yet.

Each guard returns the list of what is missing (empty: go). An item names what it is about
(the KPIs without a value, the units whose targets are open, …), the first ten and then how
many others (pilotmgr.pilots.naming), so that a head can act on it without hunting. Every
name is one of the pilot's own KPIs, tasks, evaluators or target units, all shown on the
pilot's page and board to whoever may see the pilot (the only people who see a guard's
answer); nothing else is named. A fixed few queries each, whatever the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, or_, select

from pilotmgr.core.formats import format_day, format_number
from pilotmgr.extensions import db
from pilotmgr.pilots.naming import SHOWN, name_list, quoted
from pilotmgr.pilots.stages import Stage, from_on

#: Closing from these stages needs lessons learned: the pilot has run and taught something.
AFTER_PILOTING = from_on(Stage.piloting, Stage.rolling_out)


@dataclass
class Request:
    """What the actor supplies with a transition."""

    comment: str = ""
    outcome: str | None = None
    new_end_date: date | None = None
    decision_number: str = ""
    decision_date: date | None = None
    lessons: str = ""
    regulation: dict | None = None
    today: date = field(default_factory=date.today)
    #: The issued memo the decision answers, and its conditions (see pilotmgr/pilots/decisions.py).
    memo_id: int | None = None
    conditions: str = ""


class Missing:
    """One thing a guard finds missing, and the input of the step that supplies it (if any).

    It reads as its text wherever it is shown (`str`); a form puts it beside `field`.
    """

    __slots__ = ("field", "text")

    def __init__(self, text, field: str | None = None):
        self.text, self.field = text, field

    def __str__(self) -> str:
        return str(self.text)

    def __repr__(self) -> str:
        return f"Missing({str(self.text)!r}, field={self.field!r})"


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _lacking(name: str, parts: list) -> str:
    return _("%(name)s (missing: %(what)s)", name=quoted(name), what=", ".join(map(str, parts)))


def _kpis_ready(pilot) -> list:
    """At least one KPI with a baseline and a target; else which KPIs lack which."""
    from pilotmgr.pilots.models import Kpi

    incomplete = or_(Kpi.baseline.is_(None), Kpi.target.is_(None))
    mine = Kpi.pilot_id == pilot.id
    if _count(Kpi, mine, ~incomplete):
        return []
    total = _count(Kpi, mine)
    if not total:
        return [_l("At least one KPI with a baseline and a target")]
    rows = db.session.execute(
        select(Kpi.name, Kpi.baseline, Kpi.target).where(mine).order_by(Kpi.id).limit(SHOWN)
    ).all()
    named = [
        _lacking(name, [p for p, v in ((_("baseline"), base), (_("target"), goal)) if v is None])
        for name, base, goal in rows
    ]
    kpis = name_list(named, total, "kpis")
    return [
        _(
            "At least one KPI with a baseline and a target; the KPIs so far lack: %(kpis)s",
            kpis=kpis,
        )
    ]


def _tasks_ready(pilot) -> list:
    """At least one task with an assignee, a due date and a deliverable; else which lack what."""
    from pilotmgr.pilots.models import Task

    mine = Task.pilot_id == pilot.id
    incomplete = or_(Task.assignee_id.is_(None), Task.due_date.is_(None), Task.deliverable == "")
    if _count(Task, mine, ~incomplete):
        return []
    total = _count(Task, mine)
    if not total:
        return [_l("At least one task with an assignee, a due date and a deliverable")]
    rows = db.session.execute(
        select(Task.title, Task.assignee_id, Task.due_date, Task.deliverable)
        .where(mine)
        .order_by(Task.due_date.is_(None), Task.due_date, Task.id)
        .limit(SHOWN)
    ).all()
    named = []
    for title, assignee, due, deliverable in rows:
        parts = (_("assignee"), assignee), (_("due date"), due), (_("deliverable"), deliverable)
        named.append(_lacking(title, [p for p, v in parts if not v]))
    tasks = name_list(named, total, "tasks")
    return [
        _(
            "At least one task with an assignee, a due date and a deliverable;"
            " the tasks so far lack: %(tasks)s",
            tasks=tasks,
        )
    ]


def readiness(pilot, _request: Request | None = None) -> list:
    """What is still missing before the pilot can be submitted for approval."""
    missing = []
    if pilot.owner_id is None:
        missing.append(_l("An owner"))
    if pilot.unit_id is None:
        missing.append(_l("A unit"))
    if pilot.challenge_id is None:
        missing.append(_l("The challenge the pilot addresses"))
    if not (pilot.summary or "").strip():
        missing.append(_l("A summary"))
    if pilot.start_date is None:
        missing.append(_l("A start date"))
    if pilot.end_date is None:
        missing.append(_l("An end date"))
    elif pilot.start_date is not None and pilot.end_date <= pilot.start_date:
        missing.append(_l("An end date after the start date"))
    return missing + _kpis_ready(pilot) + _tasks_ready(pilot)


def needs_comment(_pilot, request: Request) -> list:
    return [] if request.comment.strip() else [Missing(_l("A comment saying why"), "comment")]


def no_guard(_pilot, _request: Request) -> list:
    return []


def every_kpi_measured(pilot, _request: Request) -> list:
    """Every KPI has an approved value; else which have none (and which wait for review)."""
    from pilotmgr.pilots.models import Kpi
    from pilotmgr.results.models import Measurement

    def values(status):
        return (
            select(func.count(Measurement.id))
            .where(Measurement.kpi_id == Kpi.id, Measurement.status == status)
            .scalar_subquery()
        )

    unmeasured = (Kpi.pilot_id == pilot.id, values("approved") == 0)
    total = _count(Kpi, *unmeasured)
    if not _count(Kpi, Kpi.pilot_id == pilot.id):
        return [_l("At least one KPI")]
    if not total:
        return []
    rows = db.session.execute(
        select(Kpi.name, values("submitted")).where(*unmeasured).order_by(Kpi.id).limit(SHOWN)
    ).all()
    named = [
        quoted(name)
        if not waiting
        else ngettext(
            "%(name)s (%(count)s value awaiting review)",
            "%(name)s (%(count)s values awaiting review)",
            waiting,
            name=quoted(name),
            count=format_number(waiting),
        )
        for name, waiting in rows
    ]
    kpis = name_list(named, total, "kpis")
    return [_("An approved value for every KPI; none yet for %(kpis)s", kpis=kpis)]


def new_end_after_today(_pilot, request: Request) -> list:
    if request.new_end_date is None or request.new_end_date <= request.today:
        text = _("A new end date after today (%(today)s)", today=format_day(request.today))
        return [Missing(text, "new_end_date")]
    return []


def has_evaluation(pilot, _request: Request) -> list:
    """At least one evaluation; else who was named to evaluate and has not yet."""
    from pilotmgr.auth.models import User
    from pilotmgr.results.models import Evaluation, PilotEvaluator

    if _count(Evaluation, Evaluation.pilot_id == pilot.id):
        return []
    named = PilotEvaluator.pilot_id == pilot.id
    total = _count(PilotEvaluator, named)
    if not total:
        return [_l("An evaluation; nobody has been named to evaluate yet")]
    people = db.session.scalars(
        select(User.name)
        .join(PilotEvaluator, PilotEvaluator.user_id == User.id)
        .where(named)
        .order_by(User.name, User.id)
        .limit(SHOWN)
    ).all()
    return [
        _(
            "An evaluation; named to evaluate and not yet done: %(people)s",
            people=name_list(people, total, "people"),
        )
    ]


def rollout_ready(pilot, request: Request) -> list:
    from pilotmgr.memos.models import Memo
    from pilotmgr.rollout.models import RolloutTarget

    missing = []
    if not _count(RolloutTarget, RolloutTarget.pilot_id == pilot.id):
        missing.append(_l("At least one rollout target"))
    if not (request.decision_number.strip() or pilot.rollout_decision_number):
        missing.append(Missing(_l("The number of the rollout decision"), "decision_number"))
    if request.decision_date is None and pilot.rollout_decision_date is None:
        missing.append(Missing(_l("The date of the rollout decision"), "decision_date"))
    if not _count(Memo, Memo.pilot_id == pilot.id, Memo.kind == "rollout"):
        missing.append(_l("An issued rollout memo"))
    return missing


def open_target_units(pilot_id: int) -> tuple[int, list[str]]:
    """How many targets of the pilot are not done, and the first units' names in tree order."""
    from pilotmgr.rollout.models import RolloutTarget
    from pilotmgr.units.models import Unit

    is_open = (RolloutTarget.pilot_id == pilot_id, RolloutTarget.status != "done")
    total = _count(RolloutTarget, *is_open)
    if not total:
        return 0, []
    names = db.session.scalars(
        select(Unit.name)
        .join(RolloutTarget, RolloutTarget.unit_id == Unit.id)
        .where(*is_open)
        .order_by(Unit.path)
        .limit(SHOWN)
    ).all()
    return total, list(names)


def rollout_complete(pilot, request: Request) -> list:
    from pilotmgr.rollout.models import RolloutTarget

    missing = []
    total, names = open_target_units(pilot.id)
    if total:
        missing.append(
            ngettext(
                "Every rollout target done; %(count)s unit has not finished: %(units)s",
                "Every rollout target done; %(count)s units have not finished: %(units)s",
                total,
                count=format_number(total),
                units=name_list(names, total, "units"),
            )
        )
    elif not _count(RolloutTarget, RolloutTarget.pilot_id == pilot.id):
        missing.append(_l("At least one rollout target"))
    regulation = request.regulation or {}
    for key, label in (
        ("number", _l("The regulation's number")),
        ("date", _l("The regulation's date")),
        ("issuer", _l("The regulation's issuer")),
    ):
        if not regulation.get(key) and not getattr(pilot, f"regulation_{key}"):
            missing.append(Missing(label, f"regulation_{key}"))
    return missing


def closing(pilot, request: Request) -> list:
    missing = needs_comment(pilot, request)
    if pilot.stage in AFTER_PILOTING and not (request.lessons.strip() or pilot.lessons.strip()):
        missing.append(Missing(_l("Lessons learned, since the pilot has run"), "lessons"))
    return missing
