"""A hand-counted organisation for the leaders' dashboard, frozen on Wednesday 10 March 2027.

BO (ministry) ─┬─ P (province) ─┬─ P-D (department): pilots p1..p4, owned by lead_p
               │                └─ P-E (department): no pilot
               └─ Q (province): pilot q1, owned by lead_q

Tasks (today = 2027-03-10):
  p1 t1 due 2027-02-28, done 2027-02-26        on time
  p1 t2 due 2027-03-05, open                   overdue, 3 working days late (8, 9, 10 March)
  p1 t3 due 2027-02-18, done 2027-02-23        late, 3 working days (19, 22, 23 Feb)
  p1 t4 due 2027-03-15, open                   not yet due: not counted
  p1 t5 due 2027-03-07, cancelled              not counted
  q1 tq due 2027-03-07, open                   overdue (outside P)
Rollout targets of p4 (P-D's pilot): P-D done on its due day (today); Q planned, due
  2027-03-01, overdue. Both count for P (the pilot's side); Q's also for Q (where the work is).
History: p3 created 30 days ago, draft→proposed 20 days ago, →piloting 15, →evaluating 10;
         p2 created 8 days ago, draft→proposed 5 days ago.
  → average days: draft (10 + 3) / 2 = 6.5, proposed 5, piloting 5.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from pilotmgr.core.audit import HistoryEntry
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Challenge, Kpi, Programme, Task
from pilotmgr.results.models import Measurement
from pilotmgr.rollout.models import RolloutTarget

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2027, 3, 10, 10, 0, tzinfo=ZONE)
TODAY = NOW.date()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def _done_at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 15, 0, tzinfo=ZONE).astimezone(UTC)


def _history(pilot, at, action, before=None, after=None):
    db.session.add(
        HistoryEntry(
            pilot_id=pilot.id,
            object_type="pilot",
            object_id=pilot.id,
            action=action,
            at=at,
            before=before or {},
            after=after or {},
        )
    )


@pytest.fixture
def world(app, make, frozen):
    ministry = make.unit("BO", "Bộ Khoa học và Công nghệ")
    province = make.unit("P", "Tỉnh Bắc Ninh", ministry)
    department = make.unit("P-D", "Sở Khoa học và Công nghệ Bắc Ninh", province)
    make.unit("P-E", "Sở Giáo dục Bắc Ninh", province)
    other = make.unit("Q", "Tỉnh Quảng Ninh", ministry)
    w = SimpleNamespace(ministry=ministry, province=province, department=department, other=other)
    w.admin = make.user("admin", ministry, email="admin@bo.gov.vn", name="Quản trị")
    w.head_p = make.user("head", province, email="head@p.gov.vn", name="Phạm Đức Long")
    w.head_d = make.user("head", department, email="head@pd.gov.vn", name="Đỗ Văn Khải")
    w.head_q = make.user("head", other, email="head@q.gov.vn", name="Lê Thị Hoa")
    w.lead_p = make.user("lead", department, email="lead@pd.gov.vn", name="Cao Thị Hạnh")
    w.lead_q = make.user("lead", other, email="lead@q.gov.vn", name="Trần Văn Nam")
    w.staff = make.user("staff", department, email="staff@pd.gov.vn", name="Ngô Văn Tùng")
    programme = Programme(name="Chuyển đổi số 2027", description="")
    db.session.add(programme)
    db.session.flush()
    challenge = Challenge(programme_id=programme.id, title="Thanh toán số", problem="")
    db.session.add(challenge)
    db.session.commit()
    w.programme = programme

    def pilot(title, stage, owner, unit, changed_days_ago):
        return make.pilot(
            stage,
            owner=owner,
            unit_=unit,
            complete=False,
            title=title,
            challenge_id=challenge.id,
            stage_changed_at=NOW - timedelta(days=changed_days_ago),
        )

    w.p1 = pilot("Hóa đơn điện tử tại chợ Đồng Xuân", "piloting", w.lead_p, department, 40)
    w.p2 = pilot("Học bạ số tiểu học", "proposed", w.lead_p, department, 5)
    w.p3 = pilot("Bệnh án điện tử huyện", "evaluating", w.lead_p, department, 10)
    w.p4 = pilot("Thanh toán viện phí QR", "rolling_out", w.lead_p, department, 12)
    w.q1 = pilot("Sổ sức khỏe điện tử", "piloting", w.lead_q, other, 50)

    def task(p, due, status="todo", done=None, title="Khảo sát hiện trạng"):
        t = Task(
            pilot_id=p.id,
            title=title,
            assignee_id=w.staff.id,
            due_date=due,
            status=status,
            completed_at=_done_at(done) if done else None,
        )
        db.session.add(t)
        return t

    task(w.p1, date(2027, 2, 28), "done", date(2027, 2, 26), "Tập huấn cán bộ")
    w.t2 = task(w.p1, date(2027, 3, 5), title="Lắp đặt máy tính tiền")
    task(w.p1, date(2027, 2, 18), "done", date(2027, 2, 23), "Ký thỏa thuận")
    task(w.p1, date(2027, 3, 15), title="Họp sơ kết")
    task(w.p1, date(2027, 3, 7), "cancelled", title="Việc đã hủy")
    w.tq = task(w.q1, date(2027, 3, 7), title="Tuyên truyền tại Quảng Ninh")
    kpi = Kpi(pilot_id=w.p1.id, name="Tỷ lệ hóa đơn", unit="%", baseline=Decimal(10))
    db.session.add(kpi)
    db.session.flush()
    db.session.add(
        Measurement(
            kpi_id=kpi.id,
            value=Decimal(30),
            measured_on=TODAY,
            status="submitted",
            submitted_by_id=w.lead_p.id,
        )
    )
    for unit, status, due in ((department, "done", TODAY), (other, "planned", date(2027, 3, 1))):
        db.session.add(
            RolloutTarget(
                pilot_id=w.p4.id,
                unit_id=unit.id,
                responsible_id=w.lead_p.id,
                due_date=due,
                status=status,
                done_on=due if status == "done" else None,
            )
        )
    days = lambda n: NOW - timedelta(days=n)  # noqa: E731
    _history(w.p3, days(30), "create")
    _history(w.p3, days(20), "transition", {"stage": "draft"}, {"stage": "proposed"})
    _history(w.p3, days(15), "transition", {"stage": "proposed"}, {"stage": "piloting"})
    _history(w.p3, days(10), "transition", {"stage": "piloting"}, {"stage": "evaluating"})
    _history(w.p2, days(8), "create")
    _history(w.p2, days(5), "transition", {"stage": "draft"}, {"stage": "proposed"})
    db.session.commit()
    return w
