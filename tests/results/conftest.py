"""A piloting pilot of a department, with the people around it, for the results tests."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from pilotmgr.extensions import db
from pilotmgr.pilots.models import Kpi


@pytest.fixture
def bn(app, make):
    """Sở Y tế Bắc Ninh pilots QR payments; its KPI has one approved value (60)."""
    province = make.unit("BNH", "Tỉnh Bắc Ninh")
    department = make.unit("BNH-YT", "Sở Y tế Bắc Ninh", parent=province)
    w = SimpleNamespace(province=province, department=department)
    w.head = make.user("head", province, email="long@bacninh.gov.vn", name="Phạm Đức Long")
    w.lead = make.user("lead", department, email="hanh@bacninh.gov.vn", name="Cao Thị Hạnh")
    w.staff = make.user("staff", department, email="tung@bacninh.gov.vn", name="Ngô Văn Tùng")
    w.other_staff = make.user("staff", department, email="mai@bacninh.gov.vn", name="Lê Thị Mai")
    w.viewer = make.user("viewer", province, email="xem@bacninh.gov.vn")
    w.stranger = make.user("staff", make.unit("DNG", "Thành phố Đà Nẵng"), email="an@danang.vn")
    w.pilot = make.pilot(
        "piloting", owner=w.lead, unit_=department, title="QR viện phí Bệnh viện Đa khoa tỉnh"
    )
    w.kpi = db.session.scalar(select(Kpi).where(Kpi.pilot_id == w.pilot.id))
    return w
