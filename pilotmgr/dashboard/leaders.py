"""The leaders' dashboard: where every pilot in a subtree stands, what is late, what waits.

Every figure is a fixed number of grouped queries, whatever the number of pilots.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import NamedTuple

from sqlalchemy import and_, case, func, or_, select, union_all
from sqlalchemy.orm import aliased

from pilotmgr.auth.models import Role, User
from pilotmgr.core.audit import HistoryEntry
from pilotmgr.extensions import db
from pilotmgr.pilots.lifecycle import AWAITING_DECISION, FINISHED, STAGES
from pilotmgr.pilots.models import OPEN_TASK_STATUSES, Challenge, Kpi, Pilot, Task
from pilotmgr.pilots.stages import Stage
from pilotmgr.results.models import Measurement
from pilotmgr.rollout.coverage import Coverage
from pilotmgr.rollout.models import RolloutTarget
from pilotmgr.units.models import Unit

LIST_LIMIT = 20
#: Stages a head decides on (the measurements to approve are counted apart).
DECISIONS = tuple(AWAITING_DECISION)
#: Coverage's fields, in order.
COVERAGE_COUNTS = ("total", "done", "on_time", "overdue", "blocked")


@dataclass
class Funnel:
    counts: dict[str, int] = field(default_factory=dict)
    #: stage → average days spent in it, over stays that ended in the period (None: none ended).
    average_days: dict[str, float | None] = field(default_factory=dict)
    stuck: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def stuck_total(self) -> int:
        return sum(self.stuck.values())


def _scoped(query, scope):
    return query.where(*scope.pilot_clauses())


def funnel(scope) -> Funnel:
    stuck = and_(Pilot.stage.not_in(FINISHED), Pilot.stage_changed_at < scope.stuck_before())
    # Pilots and stuck pilots per stage in one pass over the scope's pilots.
    rows = db.session.execute(
        _scoped(
            select(Pilot.stage, func.count(), func.count().filter(stuck)).group_by(Pilot.stage),
            scope,
        )
    ).all()
    result = Funnel(counts={stage: 0 for stage in STAGES})
    result.counts.update({stage: int(n) for stage, n, _stuck in rows})
    result.stuck = {stage: int(n) for stage, _n, n in rows if n}
    result.average_days = average_days_in_stage(scope)
    return result


def _days_between(later, earlier):
    if db.engine.dialect.name == "postgresql":
        return func.extract("epoch", later - earlier) / 86400.0
    return func.julianday(later) - func.julianday(earlier)


def average_days_in_stage(scope) -> dict[str, float | None]:
    """Average length of the stays in each stage that ended (by a transition) in the period.

    A stay starts at the pilot's creation or at the transition into the stage, and ends at the
    next transition; both come from the history. Each transition of the period (the history's
    time index) looks up the entry before it (the history's pilot index): no window over every
    entry of every pilot that moved.
    """
    stay = HistoryEntry
    before = aliased(HistoryEntry)
    since = (
        select(func.max(before.at))
        .where(
            before.pilot_id == stay.pilot_id,
            before.object_type == "pilot",
            before.action.in_(("create", "transition")),
            or_(before.at < stay.at, and_(before.at == stay.at, before.id < stay.id)),
        )
        .scalar_subquery()
    )
    stays = select(
        stay.before["stage"].as_string().label("left"),
        _days_between(stay.at, since).label("days"),
    ).where(
        stay.object_type == "pilot",
        stay.action == "transition",
        stay.at >= scope.period_start_at(),
        stay.at < scope.period_end_at(),
    )
    clauses = scope.pilot_clauses()
    if clauses:
        stays = stays.join(Pilot, Pilot.id == stay.pilot_id).where(*clauses)
    stays = stays.subquery()
    rows = db.session.execute(
        select(stays.c.left, func.avg(stays.c.days)).group_by(stays.c.left)
    ).all()
    found = {stage: round(float(days), 1) for stage, days in rows if stage and days is not None}
    return {stage: found.get(stage) for stage in STAGES}


def awaiting_decision(scope, counts: dict[str, int]) -> dict[str, int]:
    """What waits for a head: pilots at a decision stage, and measurements to approve."""
    waiting = {stage: counts.get(stage, 0) for stage in DECISIONS}
    waiting["measurements"] = int(
        db.session.scalar(
            _scoped(
                select(func.count())
                .select_from(Measurement)
                .join(Kpi, Kpi.id == Measurement.kpi_id)
                .join(Pilot, Pilot.id == Kpi.pilot_id)
                .where(Measurement.status == "submitted"),
                scope,
            )
        )
        or 0
    )
    return waiting


def _task_scope(scope) -> list:
    """Tasks of the scope's pilots; no condition at all for an admin's whole organisation."""
    clauses = scope.pilot_clauses()
    return [Task.pilot_id.in_(select(Pilot.id).where(*clauses))] if clauses else []


def overdue_tasks(scope) -> tuple[int, list]:
    """How many open tasks are past due, and the worst (oldest due date) first."""
    late = [Task.status.in_(OPEN_TASK_STATUSES), Task.due_date < scope.today, *_task_scope(scope)]
    total = db.session.scalar(select(func.count()).select_from(Task).where(*late)) or 0
    # The worst few ids per open status straight from the (status, due date) index (one
    # sorted read each, instead of sorting every overdue task), then their details.
    per_status = [_oldest_ids(status, late[1:]) for status in OPEN_TASK_STATUSES]
    worst = union_all(*per_status).subquery()
    rows = db.session.execute(
        select(
            Task.id,
            Task.title,
            Task.due_date,
            Pilot.id.label("pilot_id"),
            Pilot.title.label("pilot_title"),
            User.name.label("assignee"),
        )
        .join(worst, worst.c.id == Task.id)
        .join(Pilot, Pilot.id == Task.pilot_id)
        .outerjoin(User, User.id == Task.assignee_id)
        .order_by(Task.due_date, Task.id)
        .limit(LIST_LIMIT)
    ).all()
    return int(total), rows


def _oldest_ids(status: str, conditions: list):
    first = (
        select(Task.id)
        .where(Task.status == status, *conditions)
        .order_by(Task.due_date, Task.id)
        .limit(LIST_LIMIT)
        .subquery()
    )
    return select(first.c.id)


def overdue_targets(scope) -> tuple[int, list]:
    """Open rollout targets of an opened wave past their due date, worst first.

    In scope by where the work is as well as by the pilot (Scope.target_clauses): a province
    head sees his province's late target of a ministry pilot, not the other provinces'.
    """
    late = and_(
        Pilot.stage == Stage.rolling_out,
        RolloutTarget.status != "done",
        RolloutTarget.wave <= Pilot.rollout_open_wave,
        RolloutTarget.due_date < scope.today,
    )
    base = (
        select(RolloutTarget)
        .join(Pilot, Pilot.id == RolloutTarget.pilot_id)
        .where(late, *scope.target_clauses())
    )
    # The total rides along with the worst few (a window count over every late target).
    rows = db.session.execute(
        base.with_only_columns(
            RolloutTarget.id,
            RolloutTarget.due_date,
            RolloutTarget.status,
            Pilot.id.label("pilot_id"),
            Pilot.title.label("pilot_title"),
            Unit.name.label("unit_name"),
            User.name.label("responsible"),
            func.count().over().label("total"),
        )
        .join(Unit, Unit.id == RolloutTarget.unit_id)
        .outerjoin(User, User.id == RolloutTarget.responsible_id)
        .order_by(RolloutTarget.due_date, RolloutTarget.id)
        .limit(LIST_LIMIT)
    ).all()
    return (int(rows[0].total) if rows else 0), rows


def rollout_coverage(scope, limit: int = LIST_LIMIT) -> tuple[int, list[tuple]]:
    """How many pilots are rolling out, and (pilot id, title, Coverage) of the `limit` least
    advanced (lowest percentage done, then most overdue targets first). A pilot of another
    unit rolled out into the scope is counted over the scope's targets only.

    The counts and the ranking are done by the database: one grouped query, whatever the
    number of rolling-out pilots or targets.
    """
    done = RolloutTarget.status == "done"
    per_pilot = (
        select(
            RolloutTarget.pilot_id.label("pilot_id"),
            func.count().label("total"),
            _count(done).label("done"),
            _count(
                and_(
                    done,
                    RolloutTarget.due_date.is_(None)
                    | (RolloutTarget.done_on <= RolloutTarget.due_date),
                )
            ).label("on_time"),
            _count(
                and_(
                    ~done,
                    RolloutTarget.wave <= Pilot.rollout_open_wave,
                    RolloutTarget.due_date < scope.today,
                )
            ).label("overdue"),
            _count(RolloutTarget.status == "blocked").label("blocked"),
        )
        .join(Pilot, Pilot.id == RolloutTarget.pilot_id)
        .where(Pilot.stage == Stage.rolling_out, *scope.target_clauses())
        .group_by(RolloutTarget.pilot_id)
        .subquery()
    )
    counts = [func.coalesce(getattr(per_pilot.c, name), 0) for name in COVERAGE_COUNTS]
    total, done_n = counts[0], counts[1]
    # Coverage.percent: done × 100 ÷ total, rounded down (integer division in both databases).
    percent = case((total > 0, done_n * 100 / total), else_=0)
    query = (
        select(Pilot.id, Pilot.title, *counts, func.count().over())
        .outerjoin(per_pilot, per_pilot.c.pilot_id == Pilot.id)
        .where(Pilot.stage == Stage.rolling_out)
        .order_by(percent, counts[3].desc(), Pilot.id)
        .limit(limit)
    )
    clauses = scope.pilot_clauses()
    if clauses:
        # The scope's own pilots (every target counted), and pilots rolled out into the scope
        # from elsewhere (only the targets in the scope counted).
        query = query.where(or_(and_(*clauses), per_pilot.c.pilot_id.is_not(None)))
    rows = db.session.execute(query).all()
    found = rows[0][-1] if rows else 0
    return int(found), [(r[0], r[1], Coverage(*(int(n) for n in r[2:-1]))) for r in rows]


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


class UnitRow(NamedTuple):
    id: int
    code: str
    name: str
    path: str
    parent_id: int | None
    depth: int


def active_units() -> list[UnitRow]:
    """Every active unit as plain rows (id, code, name, path, parent_id, depth), by path: what
    the page's unit filter and "+1 coverage" need, without loading them as objects."""
    rows = db.session.execute(
        select(Unit.id, Unit.code, Unit.name, Unit.path, Unit.parent_id)
        .where(Unit.is_active)
        .order_by(Unit.path)
    ).all()
    return [SimpleNamespace(**row._mapping, depth=max(row.path.count("/") - 2, 0)) for row in rows]


def plus_one_coverage(scope, programme, units: list | None = None) -> dict:
    """Units below the root without a pilot of the programme; heads owning no pilot of it.

    `units`: the active units (active_units()), when the caller has them already.
    """
    if programme is None:
        return {"units": [], "heads": [], "programme": None}
    in_programme = Pilot.challenge_id.in_(
        select(Challenge.id).where(Challenge.programme_id == programme.id)
    )
    if units is None:
        units = active_units()
    path_of = {u.id: u.path for u in units}
    running = db.session.scalars(
        select(Pilot.unit_id).where(in_programme, Pilot.stage != Stage.closed).distinct()
    ).all()
    # A unit is covered when a pilot runs in it or anywhere below it: mark every ancestor.
    covered: set[str] = set()
    for unit_id in running:
        path = path_of.get(unit_id, "")
        parts = path.strip("/").split("/") if path else []
        covered.update("/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1))
    root = scope.root
    bare = [
        u
        for u in units
        if u.path not in covered
        and (root is None or (u.path.startswith(root.path) and u.id != root.id))
    ]
    owners = set(db.session.scalars(select(Pilot.owner_id).where(in_programme).distinct()))
    heads = db.session.execute(
        select(User.id, User.name, User.email, User.unit_id)
        .where(User.role == Role.head, User.is_active_account)
        .order_by(User.name)
    ).all()
    names = {u.id: u.name for u in units}
    heads = [
        SimpleNamespace(id=h.id, name=h.name, email=h.email, unit_name=names.get(h.unit_id, ""))
        for h in heads
        if h.id not in owners and (root is None or path_of.get(h.unit_id, "").startswith(root.path))
    ]
    return {"units": bare, "heads": heads, "programme": programme}
