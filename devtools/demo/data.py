"""Realistic Vietnamese demo data, built through the same services and lifecycle as real use.

Features add their own demo data in `pilotmgr/<feature>/demo.py` with a function
`add_demo_data(ctx: DemoContext)`; `load_demo` calls each one found, in FEATURE_ORDER, after the
core data exists.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select, update

from devtools.demo import catalog
from devtools.demo.memos import issue_rollout_memo
from pilotmgr.auth import service as auth_service
from pilotmgr.auth.models import User
from pilotmgr.core.audit import HistoryEntry
from pilotmgr.core.clock import local_today
from pilotmgr.extensions import db
from pilotmgr.pilots import programmes
from pilotmgr.pilots import service as pilot_service
from pilotmgr.pilots import tasks as pilot_tasks
from pilotmgr.pilots.models import Challenge, Pilot, Programme, Task
from pilotmgr.pilots.stages import Stage
from pilotmgr.pilots.transitions import transition
from pilotmgr.results.models import Evaluation, Measurement
from pilotmgr.rollout.models import RolloutTarget
from pilotmgr.units import service as unit_service
from pilotmgr.units.models import Unit

FEATURE_ORDER = ("results", "rollout", "memos", "reminders", "dashboard")
STAGE_PATH = [
    Stage.draft,
    Stage.proposed,
    Stage.piloting,
    Stage.evaluating,
    Stage.selected,
    Stage.rolling_out,
    Stage.scaled,
]


@dataclass
class DemoContext:
    today: date
    units: dict[str, Unit] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    programme: Programme | None = None
    challenges: dict[str, Challenge] = field(default_factory=dict)
    pilots: dict[str, Pilot] = field(default_factory=dict)


def database_is_empty() -> bool:
    return not db.session.scalar(select(func.count()).select_from(Unit))


def load_demo(today: date | None = None) -> str:
    ctx = DemoContext(today=today or local_today())
    _units(ctx)
    _users(ctx)
    _programme(ctx)
    for spec in catalog.PILOTS:
        ctx.pilots[spec["key"]] = _pilot(ctx, spec)
    db.session.flush()
    for feature in FEATURE_ORDER:
        name = f"devtools.demo.{feature}"
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name).add_demo_data(ctx)
            db.session.flush()
    return (
        f"demo data loaded: {len(ctx.units)} units, {len(ctx.users)} users, "
        f"{len(ctx.challenges)} challenges, {len(ctx.pilots)} pilots "
        f"(password for every demo user: {catalog.PASSWORD})"
    )


def _units(ctx: DemoContext) -> None:
    def add(code, name, kind, parent=None):
        ctx.units[code] = unit_service.create_unit(
            None, {"code": code, "name": name, "parent": parent, "kind": kind}
        )

    ministry_code, ministry_name = catalog.MINISTRY
    add(ministry_code, ministry_name, "ministry")
    for code, name in catalog.MINISTRY_DEPARTMENTS:
        add(code, name, "agency", ministry_code)
    for code, name in catalog.PROVINCES:
        add(code, name, "province", ministry_code)
        if code in catalog.PROVINCES_WITH_DEPARTMENTS:
            for suffix, dept in catalog.DEPARTMENTS:
                add(f"{code}-{suffix}", catalog.department_name(dept, name), "department", code)


def _users(ctx: DemoContext) -> None:
    for key, (email, name, role, unit) in catalog.USERS.items():
        ctx.users[key] = auth_service.create_user(
            None,
            {
                "email": email,
                "name": name,
                "role": role,
                "unit": unit,
                "password": catalog.PASSWORD,
                "lang": "vi",
            },
        )


def _programme(ctx: DemoContext) -> None:
    admin = ctx.users["admin"]
    name, description = catalog.PROGRAMME
    ctx.programme = programmes.create_programme(admin, {"name": name, "description": description})
    for key, (title, problem) in catalog.CHALLENGES.items():
        ctx.challenges[key] = programmes.create_challenge(
            admin, {"programme_id": ctx.programme.id, "title": title, "problem": problem}
        )


def _decider(ctx: DemoContext, unit: Unit) -> User:
    """The head nearest above the pilot's unit: the one who would decide in real life."""
    heads = [
        u for u in ctx.users.values() if u.role == "head" and unit.path.startswith(u.unit.path)
    ]
    return max(heads, key=lambda u: len(u.unit.path))


def _at(ctx: DemoContext, days: int) -> datetime:
    day = ctx.today + timedelta(days=min(days, 0))
    return datetime.combine(day, time(2, 30), tzinfo=UTC)


def _backdate(when: datetime) -> None:
    """Give the history entries written since the last call the moment they happened."""
    db.session.flush()
    mark = db.session.info.get("demo_history_mark", 0)
    db.session.execute(
        update(HistoryEntry).where(HistoryEntry.id > mark).values(at=when),
        execution_options={"synchronize_session": False},
    )
    db.session.info["demo_history_mark"] = db.session.scalar(select(func.max(HistoryEntry.id))) or 0


def _pilot(ctx: DemoContext, spec: dict) -> Pilot:
    owner = ctx.users[spec["owner"]]
    today = ctx.today
    start = today + timedelta(days=spec["start"])
    end = today + timedelta(days=spec["end"]) if spec.get("end") is not None else None
    pilot = pilot_service.create_pilot(
        owner,
        {
            "title": spec["title"],
            "summary": spec["summary"],
            "challenge_id": ctx.challenges[spec["challenge"]].id,
            "unit": spec["unit"],
            "owner": owner.email,
            "start_date": start,
            "end_date": end,
            "budget": spec.get("budget"),
            "partner": spec.get("partner", ""),
        },
    )
    created = spec["start"] - 20
    _backdate(_at(ctx, created))
    kpis = [
        pilot_service.add_kpi(
            owner,
            pilot,
            {
                "name": name,
                "unit": unit,
                "baseline": Decimal(str(base)),
                "target": Decimal(str(target)),
                "direction": direction,
            },
        )
        for name, unit, base, target, direction, _values in spec["kpis"]
    ]
    for title, assignee, due, priority, deliverable, _status in spec["tasks"]:
        pilot_tasks.add_task(
            owner,
            pilot,
            {
                "title": title,
                "assignee": ctx.users[assignee].email,
                "due_date": today + timedelta(days=due),
                "priority": priority,
                "deliverable": deliverable,
            },
        )
    _backdate(_at(ctx, created))
    _walk(ctx, pilot, spec, kpis)
    _task_statuses(ctx, pilot, spec)
    return pilot


def _walk(ctx: DemoContext, pilot: Pilot, spec: dict, kpis) -> None:
    owner, head = ctx.users[spec["owner"]], _decider(ctx, pilot.unit)
    final, outcome = spec["stage"], spec.get("outcome")
    last = {"rejected": Stage.proposed, "stopped": Stage.piloting, "not_selected": Stage.evaluating}
    target = last[outcome] if final == Stage.closed else final
    end_offset = spec["end"] if spec.get("end") is not None else 0
    moments = {
        Stage.proposed: spec["start"] - 14,
        Stage.piloting: spec["start"],
        Stage.evaluating: min(end_offset, -1),
        Stage.selected: min(end_offset + 10, -1),
        Stage.rolling_out: min(end_offset + 20, -1),
    }
    for stage in STAGE_PATH[1 : STAGE_PATH.index(target) + 1]:
        if stage == Stage.evaluating:
            _measurements(ctx, pilot, spec, kpis, head, all_approved=True)
        if stage == Stage.selected:
            _evaluate(pilot, head, spec)
        if stage == Stage.rolling_out:
            _targets(ctx, pilot, spec)
        data = {"to": stage, "comment": _comment(stage)}
        if stage == Stage.scaled:
            number, days, issuer = spec["regulation"]
            data["regulation"] = {
                "number": number,
                "issuer": issuer,
                "date": (ctx.today + timedelta(days=days)).isoformat(),
            }
            moments[Stage.scaled] = days
        if stage == Stage.rolling_out:
            data["decision_number"] = f"{pilot.id}/QĐ-{pilot.unit.code}"
            data["decision_date"] = (ctx.today + timedelta(days=moments[stage])).isoformat()
            data["memo_id"] = issue_rollout_memo(head, pilot).id
        transition(owner if stage in (Stage.proposed, Stage.evaluating) else head, pilot, data)
        when = _at(ctx, moments[stage])
        pilot.stage_changed_at = when
        _backdate(when)
    if target == Stage.piloting:
        _measurements(ctx, pilot, spec, kpis, head, all_approved=False)
    if final == Stage.closed:
        transition(
            head,
            pilot,
            {
                "to": Stage.closed,
                "outcome": outcome,
                "comment": _comment(Stage.closed, outcome),
                "lessons": spec.get("lessons", ""),
            },
        )
        when = _at(ctx, moments.get(target, 0) + 5)
        pilot.stage_changed_at = when
        _backdate(when)
    if spec.get("formula"):
        pilot.success_formula = spec["formula"]
        pilot.lessons = spec.get("lessons", "")


def _comment(stage: str, outcome: str | None = None) -> str:
    return {
        Stage.proposed: "Kính trình lãnh đạo xem xét, phê duyệt thí điểm.",
        Stage.piloting: "Đồng ý triển khai thí điểm; báo cáo kết quả hằng tháng.",
        Stage.evaluating: "Đã hết thời gian thí điểm, đề nghị đánh giá kết quả.",
        Stage.selected: "Mô hình đạt và vượt chỉ tiêu; lựa chọn để nhân rộng.",
        Stage.rolling_out: "Phê duyệt kế hoạch phổ cập theo lộ trình.",
        Stage.scaled: "Đã phổ cập toàn bộ đơn vị; quy định bắt buộc đã ban hành.",
        Stage.closed: {
            "rejected": "Chưa phù hợp với điều kiện địa phương; không phê duyệt.",
            "not_selected": "Kết quả thấp hơn mô hình được chọn.",
            "stopped": "Dừng thí điểm theo đề nghị của đơn vị chủ trì.",
        }.get(outcome or "", "Đóng thí điểm."),
    }[stage]


def _measurements(ctx, pilot, spec, kpis, reviewer, *, all_approved: bool) -> None:
    """Monthly values between start and today; in a running pilot the newest awaits review."""
    start = pilot.start_date
    last_day = min(pilot.end_date or ctx.today, ctx.today)
    for kpi, (_n, _u, _b, _t, _d, values) in zip(kpis, spec["kpis"], strict=True):
        for index, value in enumerate(values):
            span = (last_day - start).days
            measured_on = start + timedelta(days=span * (index + 1) // len(values))
            pending = not all_approved and index == len(values) - 1
            db.session.add(
                Measurement(
                    kpi_id=kpi.id,
                    value=Decimal(str(value)),
                    measured_on=measured_on,
                    note="Số liệu tổng hợp từ báo cáo tháng",
                    submitted_by_id=pilot.owner_id,
                    status="submitted" if pending else "approved",
                    reviewed_by_id=None if pending else reviewer.id,
                    reviewed_at=None if pending else _at(ctx, (measured_on - ctx.today).days + 2),
                )
            )
    db.session.flush()


def _evaluate(pilot: Pilot, head: User, spec: dict) -> None:
    db.session.add(
        Evaluation(
            pilot_id=pilot.id,
            evaluator_id=head.id,
            feasibility=5,
            effectiveness=4,
            needs_fit=5,
            cost=4,
            scalability=5,
            comment="Mô hình khả thi, hiệu quả rõ, dễ nhân rộng.",
        )
    )
    db.session.flush()


def _targets(ctx: DemoContext, pilot: Pilot, spec: dict) -> None:
    codes, done = spec.get("rollout", []), spec.get("rollout_done", 0)
    for index, code in enumerate(codes):
        unit = ctx.units[code]
        head = next(
            (u for u in ctx.users.values() if u.role == "head" and u.unit_id == unit.id), None
        )
        db.session.add(
            RolloutTarget(
                pilot_id=pilot.id,
                unit_id=unit.id,
                responsible_id=head.id if head else None,
                due_date=ctx.today + timedelta(days=-10 + 15 * index),
                status="done" if index < done else ("in_progress" if index % 2 else "planned"),
            )
        )
    db.session.flush()


def _task_statuses(ctx: DemoContext, pilot: Pilot, spec: dict) -> None:
    # The catalogue's tasks come first; the lifecycle may add its own later (a benefit review).
    tasks = db.session.scalars(
        select(Task).where(Task.pilot_id == pilot.id).order_by(Task.id).limit(len(spec["tasks"]))
    )
    for task, (*_rest, status) in zip(tasks, spec["tasks"], strict=True):
        task.status = status
        if status == "done":
            task.completed_at = datetime.combine(task.due_date, time(9), tzinfo=UTC)
            # "Once done, it must have a product": say what was delivered.
            task.completion_note = f"Đã bàn giao: {task.deliverable}"
    db.session.flush()
