"""A province, a department, people, and a selected pilot with figures worth a memo."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal

import pytest

from pilotmgr.extensions import db
from pilotmgr.rollout.models import RolloutTarget
from tests.factories import days

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)


def pdftotext(data: bytes, *args: str) -> str:
    """What a reader's PDF viewer shows: the text poppler extracts from the bytes."""
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *args, "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode()


@pytest.fixture
def org(make):
    ministry = make.unit("BKHCN", "Bộ Khoa học và Công nghệ")
    province = make.unit("BN", "Tỉnh Bắc Ninh", ministry)
    department = make.unit("SKHCN-BN", "Sở Khoa học và Công nghệ Bắc Ninh", province)
    other = make.unit("QN", "Tỉnh Quảng Ninh", ministry)
    return {
        "ministry": ministry,
        "province": province,
        "department": department,
        "other": other,
        "owner": make.user("lead", department, name="Nguyễn Thị Hằng"),
        "head": make.user("head", province, name="Trần Văn Đức"),
        "other_head": make.user("head", other),
        "viewer": make.user("viewer", province),
        "staff": make.user("staff", other),
    }


@pytest.fixture
def selected(make, org):
    """A selected pilot: two KPIs with approved (and one unapproved) values, three targets."""
    pilot = make.pilot(
        "selected",
        owner=org["owner"],
        unit_=org["department"],
        title="Thí điểm một cửa điện tử cấp xã",
        budget=Decimal("450000000"),
        partner="Viettel Bắc Ninh",
        success_formula="Đúng người, đúng việc, dữ liệu đúng – đủ – sạch – sống.",
    )
    second = make.kpi(
        pilot,
        name="Thời gian giải quyết hồ sơ",
        unit="ngày",
        baseline=12,
        target=5,
        direction="decrease",
    )
    make.measurement(second, org["owner"], value=7)
    make.measurement(second, org["owner"], value=999, status="submitted")
    # The factory's pilot already has memo 1 of the year (a row without a rendered PDF).
    for n, name in enumerate(("Xã Đông Tiến", "Phường Kinh Bắc"), start=1):
        unit = make.unit(f"BN-X{n}", name, org["province"])
        db.session.add(
            RolloutTarget(
                pilot_id=pilot.id,
                unit_id=unit.id,
                responsible_id=org["owner"].id,
                due_date=days(30 * n),
                wave=n,
            )
        )
    db.session.commit()
    return pilot
