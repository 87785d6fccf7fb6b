"""API test organisations: `world` (two provinces, every role, one draft pilot) and `org`."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from pilotmgr.api import PROBLEM
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Kpi, Task


@pytest.fixture
def world(app, make):
    province = make.unit("BNH", "Tỉnh Bắc Ninh")
    department = make.unit("BNH-YT", "Sở Y tế Bắc Ninh", parent=province)
    other = make.unit("DNG", "Thành phố Đà Nẵng")
    w = SimpleNamespace(province=province, department=department, other=other)
    w.admin = make.user("admin", province, email="admin@bn.gov.vn")
    w.head = make.user("head", province, email="head@bn.gov.vn")
    w.other_head = make.user("head", other, email="head@dn.gov.vn")
    w.lead = make.user("lead", department, email="lead@bn.gov.vn")
    w.other_lead = make.user("lead", other, email="lead@dn.gov.vn")
    w.staff = make.user("staff", department, email="staff@bn.gov.vn")
    w.other_staff = make.user("staff", other, email="staff@dn.gov.vn")
    w.viewer = make.user("viewer", province, email="viewer@bn.gov.vn")
    w.pilot = make.pilot("draft", owner=w.lead, unit_=department)
    w.challenge_id = w.pilot.challenge_id
    w.task = db.session.scalar(select(Task).where(Task.pilot_id == w.pilot.id))
    w.kpi = db.session.scalar(select(Kpi).where(Kpi.pilot_id == w.pilot.id))
    return w


def is_problem(response, status: int) -> bool:
    """An RFC 9457 answer with the given status."""
    data = response.get_json(silent=True) or {}
    return (
        response.status_code == status
        and response.mimetype == "application/problem+json"
        and data.get("status") == status
        and bool(data.get("title"))
    )


@pytest.fixture
def org(make):
    ministry = make.unit("BO", "Bộ Tài chính")
    dept = make.unit("BO-CNTT", "Cục Tin học", parent=ministry)
    province = make.unit("TINH-BN", "UBND tỉnh Bắc Ninh")
    return {
        "ministry": ministry,
        "dept": dept,
        "province": province,
        "admin": make.user("admin", ministry, email="admin@example.vn"),
        "head": make.user("head", dept, email="head@example.vn"),
        "lead": make.user("lead", dept, email="lead@example.vn"),
        "staff": make.user("staff", dept, email="staff@example.vn"),
        "viewer": make.user("viewer", dept, email="viewer@example.vn"),
        "head_bn": make.user("head", province, email="head.bn@example.vn"),
        "lead_bn": make.user("lead", province, email="lead.bn@example.vn"),
    }


def assert_problem(response, status: int, *fields: str) -> dict:
    """An RFC 9457 answer with `status`; `fields` must be keys of its `errors`."""
    assert response.status_code == status, response.get_data(as_text=True)[:800]
    assert response.mimetype == PROBLEM
    data = response.get_json()
    assert data["status"] == status
    assert data["title"] and isinstance(data["detail"], str)
    for name in fields:
        assert name in data.get("errors", {}), data
    return data


def assert_page(data: dict, total: int | None = None) -> list:
    assert set(data) >= {"items", "total", "page", "per_page"}
    if total is not None:
        assert data["total"] == total
    return data["items"]
