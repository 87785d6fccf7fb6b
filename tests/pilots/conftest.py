"""A province above a department, its heads, a lead, staff, and people elsewhere."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from pilotmgr.extensions import db
from pilotmgr.reminders.models import Notification


@pytest.fixture
def org(app, make):
    province = make.unit("BNH", "Tỉnh Bắc Ninh")
    department = make.unit("BNH-YT", "Sở Y tế Bắc Ninh", parent=province)
    other = make.unit("DNG", "Thành phố Đà Nẵng")
    o = SimpleNamespace(province=province, department=department, other=other)
    o.head = make.user("head", province, email="long@bacninh.gov.vn", name="Phạm Đức Long")
    o.head_department = make.user(
        "head", department, email="khai@bacninh.gov.vn", name="Đỗ Văn Khải"
    )
    o.head_other = make.user("head", other, email="head@danang.gov.vn", name="Lê Văn Nam")
    o.lead = make.user("lead", department, email="hanh@bacninh.gov.vn", name="Cao Thị Hạnh")
    o.staff = make.user("staff", department, email="mai@bacninh.gov.vn", name="Vũ Thị Mai")
    o.outsider = make.user("staff", other, email="tung@danang.gov.vn", name="Ngô Văn Tùng")
    return o


def notified(kind: str | None = None) -> dict[int, list[Notification]]:
    """user id → the event notifications they got (of `kind`)."""
    query = select(Notification).where(Notification.key.is_not(None)).order_by(Notification.id)
    if kind:
        query = query.where(Notification.kind == kind)
    found: dict[int, list[Notification]] = {}
    for note in db.session.scalars(query):
        found.setdefault(note.user_id, []).append(note)
    return found
