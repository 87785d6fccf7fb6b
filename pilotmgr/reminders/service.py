"""Work out what is due as of a moment, record each reminder once, deliver it once.

`scan(now)` is the one function behind `flask reminders scan` and the scheduler. It plans from
the data (no scheduler jobs per deadline) and inserts each due reminder under its natural key,
stamped with the scan's token; a key already recorded — by an earlier scan or a concurrent one —
is skipped by ON CONFLICT, so exactly one scan owns each reminder. That scan then writes, from
its stamped rows and in the same transaction, the in-app notification and, by the recipient's
preference, the queued e-mail.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import and_, exists, func, or_, select, update

from pilotmgr.auth.models import Role, User
from pilotmgr.core.clock import local_zone
from pilotmgr.core.clock import now as clock_now
from pilotmgr.extensions import db
from pilotmgr.notices import messages
from pilotmgr.notices.rules import (
    DEFAULT_RULES,
    SEND_AT,
    Rules,
    Step,
    decision_step,
    escalation_step,
    pilot_end_step,
    reference_day,
    task_step,
)
from pilotmgr.notices.workdays import WorkCalendar, calendar_around
from pilotmgr.pilots.models import Challenge, Pilot
from pilotmgr.pilots.stages import Stage
from pilotmgr.reminders import deadlines
from pilotmgr.reminders.models import Reminder, ReminderRule
from pilotmgr.results.models import Evaluation
from pilotmgr.units.models import Unit

CHUNK = 10_000


@dataclass
class ScanResult:
    planned: int = 0
    delivered: int = 0
    working_day: bool = True

    def __str__(self) -> str:
        if not self.working_day:
            return "not a working day: nothing planned or sent"
        return f"{self.planned} reminders planned, {self.delivered} delivered"


@dataclass
class Plan:
    """What a scan needs to know once: the calendar, the reference day, rules and heads."""

    cal: WorkCalendar
    ref: date
    rules: dict[int | None, Rules]
    unit_paths: dict[int, str]
    heads_by_unit: dict[int, list[int]]
    now: datetime
    #: Stamped on every reminder this scan records; its channels are written from these rows.
    token: str = ""
    #: The VALUES lists of steps due by due date, worked out once per scan (see deadlines.py).
    steps: tuple[str, str] | None = None
    heads_ready: bool = False

    def __post_init__(self):
        self.zone = local_zone()
        self._due_at: dict[date, datetime] = {}
        self._stored: dict = {}
        self.sqlite = db.session.connection().dialect.name == "sqlite"

    def rules_for(self, programme_id: int | None) -> Rules:
        return self.rules.get(programme_id, DEFAULT_RULES)

    def due_at(self, step: Step) -> datetime:
        found = self._due_at.get(step.fire)
        if found is None:
            found = datetime.combine(step.fire, SEND_AT, tzinfo=self.zone).astimezone(UTC)
            self._due_at[step.fire] = found
        return found

    def stored(self, value):
        """SQLite keeps dates as ISO text and our UTC datetimes as naive UTC text."""
        if not self.sqlite:
            return value
        found = self._stored.get(value)
        if found is None:
            if isinstance(value, datetime):
                naive = value.astimezone(UTC).replace(tzinfo=None)
                found = naive.isoformat(sep=" ", timespec="microseconds")
            else:
                found = value.isoformat()
            self._stored[value] = found
        return found

    def literal(self, value) -> str:
        """A date or UTC datetime of our own making as an SQL literal (no user text here)."""
        if self.sqlite:
            return f"'{self.stored(value)}'"
        if isinstance(value, datetime):
            return f"TIMESTAMPTZ '{value.astimezone(UTC).isoformat()}'"
        return f"DATE '{value.isoformat()}'"

    def heads_unit(self, unit_id: int) -> int:
        """The unit whose heads hear of delays in this one: itself or the nearest above; 0: none."""
        ids = [int(p) for p in self.unit_paths.get(unit_id, "").strip("/").split("/") if p]
        return next((uid for uid in reversed(ids) if self.heads_by_unit.get(uid)), 0)

    def heads_above(self, unit_id: int) -> list[int]:
        """Heads of the unit and of every unit above it (who may decide for it)."""
        ids = [int(p) for p in self.unit_paths.get(unit_id, "").strip("/").split("/") if p]
        return [head for uid in ids for head in self.heads_by_unit.get(uid, [])]


def row(subject: str, subject_id: int, pilot_id, step: Step, deadline: date, to: int, plan: Plan):
    """A reminder row as the driver takes it: COLUMNS order, values in their stored form."""
    return (
        f"{subject}:{subject_id}:{step.kind}:{deadline.isoformat()}:{step.step}:{to}",
        subject,
        subject_id,
        pilot_id,
        step.kind,
        step.step,
        plan.stored(deadline),
        to,
        plan.stored(plan.due_at(step)),
        "sent",
        plan.stored(plan.now),
        plan.stored(plan.now),
        plan.token,
    )


# --- subjects: each records, or returns the rows of, the reminders due as of the reference day


def plan_tasks(plan: Plan) -> Iterable[tuple]:
    record_deadlines(plan, deadlines.TASKS)
    return ()


def plan_rollout_targets(plan: Plan) -> Iterable[tuple]:
    record_deadlines(plan, deadlines.ROLLOUT_TARGETS)
    return ()


def record_deadlines(plan: Plan, spec: deadlines.Deadlines) -> None:
    """Record the current step of every live deadline of a kind, and its escalation, in SQL."""
    chain, escalations = _steps_by_day(plan)
    conn = db.session.connection()
    mark = "?" if plan.sqlite else "%s"
    moment = (plan.stored(plan.now), plan.stored(plan.now), plan.token)
    order = not plan.sqlite  # PostgreSQL: concurrent scans take their row locks in one order
    rules = bool(plan.rules)
    if chain:
        sql = deadlines.chain_sql(spec, chain, mark, rules, order)
        conn.exec_driver_sql(sql, (*moment, *spec.params))
    if escalations:
        _fill_heads(plan)
        sql = deadlines.escalation_sql(spec, escalations, mark, rules, order)
        conn.exec_driver_sql(sql, (*moment, *spec.params))


def _fill_heads(plan: Plan) -> None:
    if plan.heads_ready:
        return
    create, empty, insert = deadlines.HEADS
    conn = db.session.connection()
    conn.exec_driver_sql(create)
    conn.exec_driver_sql(empty)
    pairs = [
        (uid, head)
        for uid in sorted(plan.unit_paths)
        for head in plan.heads_by_unit.get(plan.heads_unit(uid), [])
    ]
    if pairs:
        conn.exec_driver_sql(insert.format(mark="?" if plan.sqlite else "%s"), pairs)
    plan.heads_ready = True


def _steps_by_day(plan: Plan) -> tuple[str, str]:
    """VALUES lists of the chain step and the escalation due for each possible due date."""
    if plan.steps is not None:
        return plan.steps
    longest = max(max(r.before_days) for r in [DEFAULT_RULES, *plan.rules.values()])
    horizon = plan.cal.shift(plan.ref, longest)
    day = plan.cal.first + timedelta(days=31)
    chain, escalations = [], []
    rule_sets = [(0, DEFAULT_RULES), *plan.rules.items()]
    while day <= horizon:
        for rules_id, rules in rule_sets:
            step = task_step(plan.cal, day, plan.ref, rules)
            if step is None:
                continue
            due, tail = plan.literal(day), f"':{step.kind}:{day.isoformat()}:{step.step}:'"
            at = plan.literal(plan.due_at(step))
            chain.append(f"({due}, {rules_id}, {tail}, '{step.kind}', '{step.step}', {at})")
            esc = escalation_step(plan.cal, day, plan.ref, rules)
            if esc is not None:
                tail = f"':escalation:{day.isoformat()}:esc:'"
                escalations.append(f"({due}, {rules_id}, {tail}, {plan.literal(plan.due_at(esc))})")
        day += timedelta(days=1)
    plan.steps = (", ".join(chain), ", ".join(escalations))
    return plan.steps


def plan_pilot_ends(plan: Plan) -> Iterable[tuple]:
    query = (
        select(Pilot.id, Pilot.end_date, Pilot.owner_id, Challenge.programme_id)
        .outerjoin(Challenge, Challenge.id == Pilot.challenge_id)
        .where(
            Pilot.stage == Stage.piloting,
            Pilot.end_date >= plan.ref,
            Pilot.end_date <= plan.cal.last - timedelta(days=31),
        )
    )
    for pilot_id, end, owner_id, programme_id in db.session.execute(query):
        step = pilot_end_step(plan.cal, end, plan.ref, plan.rules_for(programme_id))
        if step is not None:
            yield row("pilot", pilot_id, pilot_id, step, end, owner_id, plan)


def plan_decisions(plan: Plan) -> Iterable[tuple]:
    evaluated = exists().where(Evaluation.pilot_id == Pilot.id)
    query = (
        select(Pilot.id, Pilot.stage_changed_at, Pilot.unit_id, Challenge.programme_id)
        .outerjoin(Challenge, Challenge.id == Pilot.challenge_id)
        .where(
            or_(
                Pilot.stage == Stage.proposed,
                and_(Pilot.stage == Stage.evaluating, evaluated),
            )
        )
    )
    zone = local_zone()
    for pilot_id, changed_at, unit_id, programme_id in db.session.execute(query):
        since = changed_at.astimezone(zone).date()
        if since < plan.cal.first:
            continue
        step = decision_step(plan.cal, since, plan.ref, plan.rules_for(programme_id))
        if step is not None:
            for head in plan.heads_above(unit_id):
                yield row("pilot", pilot_id, pilot_id, step, since, head, plan)


#: Every kind of deadline the scan knows; another subject is one more function here.
SUBJECTS: list[Callable[[Plan], Iterable[tuple]]] = [
    plan_tasks,
    plan_rollout_targets,
    plan_pilot_ends,
    plan_decisions,
]


# --- the scan ------------------------------------------------------------------------------


def scan(now: datetime | None = None) -> ScanResult:
    """Plan and record every reminder due as of `now`, then deliver the pending ones."""
    now = now or clock_now()
    local_now = now.astimezone(local_zone())
    cal = calendar_around(local_now.date())
    ref = reference_day(cal, local_now)
    if ref is None:
        return ScanResult(working_day=False)
    _take_write_lock()
    plan = _plan(cal, ref, now)
    rows = [r for subject in SUBJECTS for r in subject(plan)]
    planned = _insert_new(rows, plan.token)
    if planned:
        conn = db.session.connection()
        for sql in deadlines.remember_sql("?" if plan.sqlite else "%s", not plan.sqlite):
            conn.exec_driver_sql(sql, (plan.token,))
        messages.notify(plan.token, now)
    return ScanResult(planned=planned, delivered=planned)


def _take_write_lock() -> None:
    """On SQLite, start the scan as a writer so two scans queue instead of failing.

    A SQLite reader that later writes fails at once if another writer committed meanwhile
    (its snapshot is stale); taking the write lock first makes the second scan wait for the
    first (busy_timeout) and then see its rows. PostgreSQL needs nothing: its conflicting
    inserts wait and then do nothing.
    """
    if db.engine.dialect.name == "sqlite":
        db.session.execute(update(Reminder).where(Reminder.id < 0).values(status="pending"))


def _plan(cal: WorkCalendar, ref: date, now: datetime) -> Plan:
    rules = {r.programme_id: Rules.from_row(r) for r in db.session.scalars(select(ReminderRule))}
    heads = defaultdict(list)
    for head_id, unit_id in db.session.execute(
        select(User.id, User.unit_id)
        .where(User.role == Role.head, User.is_active_account)
        .order_by(User.id)
    ):
        heads[unit_id].append(head_id)
    paths = dict(db.session.execute(select(Unit.id, Unit.path)).all())
    return Plan(
        cal=cal,
        ref=ref,
        rules=rules,
        unit_paths=paths,
        heads_by_unit=heads,
        now=now,
        token=secrets.token_hex(16),
    )


#: Columns written by a scan, in the order of the raw INSERT below.
COLUMNS = (
    "key",
    "subject_type",
    "subject_id",
    "pilot_id",
    "kind",
    "step",
    "deadline",
    "recipient_id",
    "due_at",
    "status",
    "created_at",
    "sent_at",
    "batch",
)


def _insert_new(rows: list[tuple], token: str) -> int:
    """Insert the rows; a key another scan recorded first is skipped (ON CONFLICT), not an error.

    Values go straight to the driver in their stored form (see `row`). Returns how many
    reminders this scan recorded, here and in the subjects that record their own in SQL.
    """
    conn = db.session.connection()
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    sql = (
        f"INSERT INTO reminders ({', '.join(COLUMNS)}) "
        f"VALUES ({', '.join([mark] * len(COLUMNS))}) ON CONFLICT (key) DO NOTHING"
    )
    for start in range(0, len(rows), CHUNK):
        conn.exec_driver_sql(sql, rows[start : start + CHUNK])
    return conn.execute(
        select(func.count()).select_from(Reminder).where(Reminder.batch == token)
    ).scalar_one()
