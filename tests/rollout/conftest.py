"""A ministry pilot selected for rollout to provinces, and the people around it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import delete

from pilotmgr.extensions import db
from pilotmgr.rollout.models import RolloutTarget


def leveled(unit, kind: str):
    """A factory unit given its level (the factory leaves it unsaid)."""
    unit.kind = kind
    db.session.commit()
    return unit


@pytest.fixture
def org(make):
    ministry = leveled(make.unit("BO", "Bộ Khoa học và Công nghệ"), "ministry")
    cds = leveled(make.unit("BO-CDS", "Cục Chuyển đổi số quốc gia", ministry), "agency")
    bn = leveled(make.unit("BNH", "Tỉnh Bắc Ninh", ministry), "province")
    bn_dept = leveled(make.unit("BNH-KHCN", "Sở KH&CN Bắc Ninh", bn), "department")
    hn = leveled(make.unit("HNI", "Thành phố Hà Nội", ministry), "province")
    hcm = leveled(make.unit("HCM", "Thành phố Hồ Chí Minh", ministry), "province")
    w = SimpleNamespace(ministry=ministry, cds=cds, bn=bn, bn_dept=bn_dept, hn=hn, hcm=hcm)
    w.admin = make.user("admin", ministry, email="admin@bo.gov.vn")
    w.head = make.user("head", ministry, email="head@bo.gov.vn")
    w.lead = make.user("lead", cds, email="lead@bo.gov.vn")
    w.head_bn = make.user("head", bn, email="head@bacninh.gov.vn")
    w.head_bn_dept = make.user("head", bn_dept, email="head.khcn@bacninh.gov.vn")
    w.staff_bn = make.user("staff", bn_dept, email="staff@bacninh.gov.vn")
    w.head_hn = make.user("head", hn, email="head@hanoi.gov.vn")
    w.staff_hn = make.user("staff", hn, email="staff@hanoi.gov.vn")
    w.pilot = make.pilot("selected", owner=w.lead, unit_=cds, success_formula="Đúng – đủ")
    # The factory gives a selected pilot one done target; start from an empty plan.
    db.session.execute(delete(RolloutTarget).where(RolloutTarget.pilot_id == w.pilot.id))
    db.session.commit()
    return w


def add_target(pilot, unit, responsible=None, status="planned", due=None, wave=1, **extra):
    target = RolloutTarget(
        pilot_id=pilot.id,
        unit_id=unit.id,
        responsible_id=responsible.id if responsible else None,
        status=status,
        due_date=due,
        wave=wave,
        **extra,
    )
    db.session.add(target)
    db.session.commit()
    return target
