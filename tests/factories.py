"""The builders of the test world, with sensible defaults (the `make` fixture is this module).

make.pilot(stage="piloting") gives a pilot whose data passes every guard up to its stage;
`world()` builds the suite's shared organisation (the `world` fixture of tests/conftest.py).
"""

from __future__ import annotations

import functools
import itertools
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import select

from pilotmgr.auth.models import User
from pilotmgr.core.clock import local_today
from pilotmgr.extensions import db
from pilotmgr.memos.models import Memo
from pilotmgr.pilots.models import Challenge, Kpi, Pilot, Programme, Task
from pilotmgr.results.models import Evaluation, Measurement
from pilotmgr.rollout.models import RolloutTarget
from pilotmgr.units.models import Unit

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)


def unit(code: str | None = None, name: str | None = None, parent: Unit | None = None) -> Unit:
    code = code or f"U{next(_seq)}"
    existing = db.session.scalar(select(Unit).where(Unit.code == code))
    if existing:
        return existing
    found = Unit(code=code, name=name or f"Đơn vị {code}", parent_id=parent.id if parent else None)
    db.session.add(found)
    db.session.flush()
    found.path = f"{parent.path if parent else '/'}{found.id}/"
    db.session.commit()
    return found


@functools.cache
def _password_hash() -> str:
    """Scrypt is slow on purpose; hash the shared test password once per run."""
    probe = User()
    probe.set_password(PASSWORD)
    return probe.password_hash


def user(
    role: str = "lead",
    unit_: Unit | None = None,
    email: str | None = None,
    name: str | None = None,
    lang: str = "vi",
) -> User:
    n = next(_seq)
    found = User(
        email=email or f"{role}{n}@example.vn",
        name=name or f"Cán bộ {role} {n}",
        role=role,
        unit_id=(unit_ or unit()).id,
        lang=lang,
    )
    found.password_hash = _password_hash()
    db.session.add(found)
    db.session.commit()
    return found


def challenge(title: str = "Thanh toán không dùng tiền mặt") -> Challenge:
    programme = Programme(name="Chương trình chuyển đổi số", description="")
    db.session.add(programme)
    db.session.flush()
    found = Challenge(programme_id=programme.id, title=title, problem="Vấn đề cần giải quyết")
    db.session.add(found)
    db.session.commit()
    return found


def kpi(pilot: Pilot, **values) -> Kpi:
    defaults = dict(
        name="Tỷ lệ hồ sơ trực tuyến",
        unit="%",
        baseline=Decimal(40),
        target=Decimal(65),
        direction="increase",
    )
    found = Kpi(pilot_id=pilot.id, **(defaults | values))
    db.session.add(found)
    db.session.commit()
    return found


def task(pilot: Pilot, assignee: User | None = None, **values) -> Task:
    defaults = dict(
        title="Khảo sát hiện trạng",
        priority="normal",
        due_date=local_today() + timedelta(days=14),
        deliverable="Báo cáo khảo sát",
        status="todo",
    )
    if assignee is not None:
        defaults["assignee_id"] = assignee.id
    found = Task(pilot_id=pilot.id, **(defaults | values))
    db.session.add(found)
    db.session.commit()
    return found


def measurement(kpi_: Kpi, by: User, value=60, status: str = "approved") -> Measurement:
    found = Measurement(
        kpi_id=kpi_.id,
        value=Decimal(value),
        measured_on=local_today(),
        status=status,
        submitted_by_id=by.id,
    )
    db.session.add(found)
    db.session.commit()
    return found


def pilot(
    stage: str = "draft",
    owner: User | None = None,
    unit_: Unit | None = None,
    complete: bool = True,
    **values,
) -> Pilot:
    """A pilot at `stage` whose data satisfies every guard up to that stage."""
    unit_ = unit_ or (owner.unit if owner else unit())
    owner = owner or user("lead", unit_)
    today = local_today()
    defaults = dict(
        title="Thí điểm hóa đơn điện tử từ máy tính tiền",
        summary="Kết nối máy tính tiền với cơ quan thuế.",
        start_date=today - timedelta(days=30),
        end_date=today + timedelta(days=60),
        partner="",
    )
    found = Pilot(stage=stage, unit_id=unit_.id, owner_id=owner.id, **(defaults | values))
    if complete and "challenge_id" not in values:
        found.challenge_id = challenge().id
    db.session.add(found)
    db.session.commit()
    if complete:
        k = kpi(found)
        task(found, assignee=owner)
        order = ["draft", "proposed", "piloting", "evaluating", "selected", "rolling_out", "scaled"]
        # Enough data for the next step forward too, so guards pass unless a test removes it.
        reached = order.index(stage) if stage in order else 0
        if reached >= order.index("piloting"):
            measurement(k, owner)
        if reached >= order.index("evaluating"):
            db.session.add(
                Evaluation(
                    pilot_id=found.id,
                    evaluator_id=owner.id,
                    feasibility=4,
                    effectiveness=4,
                    needs_fit=4,
                    cost=3,
                    scalability=4,
                )
            )
        if reached >= order.index("selected"):
            db.session.add(
                RolloutTarget(
                    pilot_id=found.id,
                    unit_id=unit_.id,
                    responsible_id=owner.id,
                    due_date=today,
                    status="done",
                )
            )
            db.session.flush()
            issued_memo(found, owner)
        db.session.commit()
    return found


def issued_memo(pilot_: Pilot, by: User, kind: str = "rollout") -> Memo:
    """A memo row as issuing leaves it, without rendering a PDF (guards only look for the row)."""
    import hashlib

    from pilotmgr.memos.service import next_number

    today = local_today()
    unit_ = db.session.get(Unit, pilot_.unit_id)
    sequence = next_number(unit_.id, today.year)
    data = f"%PDF-1.7 test memo {pilot_.id} {kind} {sequence}".encode()
    found = Memo(
        pilot_id=pilot_.id,
        kind=kind,
        lang="vi",
        unit_id=unit_.id,
        year=today.year,
        sequence=sequence,
        number=f"{sequence}/TTr-{unit_.code}",
        title=pilot_.title,
        issued_on=today,
        issued_by_id=by.id,
        sha256=hashlib.sha256(data).hexdigest(),
        content_sha256=hashlib.sha256(data + b"content").hexdigest(),
        size=len(data),
        snapshot={"kind": kind},
        pdf=data,
    )
    db.session.add(found)
    db.session.commit()
    return found


def days(n: int) -> date:
    return local_today() + timedelta(days=n)


def world() -> SimpleNamespace:
    """Two provinces and every role: Bắc Ninh (its health department) and Đà Nẵng elsewhere.

    The department's lead owns one draft pilot, with the task and KPI its builder gives it.
    """
    province = unit("BNH", "Tỉnh Bắc Ninh")
    department = unit("BNH-YT", "Sở Y tế Bắc Ninh", parent=province)
    other = unit("DNG", "Thành phố Đà Nẵng")
    w = SimpleNamespace(province=province, department=department, other=other)
    w.admin = user("admin", province, email="admin@bn.gov.vn")
    w.head = user("head", province, email="head@bn.gov.vn")
    w.other_head = user("head", other, email="head@dn.gov.vn")
    w.lead = user("lead", department, email="lead@bn.gov.vn")
    w.other_lead = user("lead", other, email="lead@dn.gov.vn")
    w.staff = user("staff", department, email="staff@bn.gov.vn")
    w.other_staff = user("staff", other, email="staff@dn.gov.vn")
    w.viewer = user("viewer", province, email="viewer@bn.gov.vn")
    w.pilot = pilot("draft", owner=w.lead, unit_=department)
    w.challenge_id = w.pilot.challenge_id
    w.task = db.session.scalar(select(Task).where(Task.pilot_id == w.pilot.id))
    w.kpi = db.session.scalar(select(Kpi).where(Kpi.pilot_id == w.pilot.id))
    return w
