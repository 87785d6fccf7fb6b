"""Whom a memo is addressed to: the leadership that decides. A rollout beyond the pilot's
province goes up to the ministry, not to the province the pilot came from."""

from __future__ import annotations

from sqlalchemy import delete

from pilotmgr.core.clock import local_today
from pilotmgr.extensions import db
from pilotmgr.memos import service, snapshot
from pilotmgr.rollout.models import RolloutTarget
from tests.factories import days
from tests.memos.conftest import needs_poppler, pdftotext


def _flat(memo) -> str:
    return " ".join(pdftotext(memo.pdf).split())


def _target(pilot, unit, person):
    db.session.add(
        RolloutTarget(
            pilot_id=pilot.id, unit_id=unit.id, responsible_id=person.id, due_date=days(9)
        )
    )
    db.session.commit()


@needs_poppler
def test_a_rollout_within_the_province_is_addressed_to_the_province(app, org, selected):
    memo = service.issue(org["head"], selected, {"kind": "rollout", "lang": "vi"})
    flat = _flat(memo)
    assert "Kính gửi: Lãnh đạo Tỉnh Bắc Ninh" in flat
    assert memo.snapshot["recipient"] == "Tỉnh Bắc Ninh"


@needs_poppler
def test_a_rollout_to_another_province_is_addressed_to_the_ministry(app, make, org, selected):
    make.user("head", org["ministry"], name="Nguyễn Văn Thành")
    _target(selected, org["other"], org["other_head"])
    memo = service.issue(org["head"], selected, {"kind": "rollout", "lang": "vi"})
    flat = _flat(memo)
    assert "Kính gửi: Lãnh đạo Bộ Khoa học và Công nghệ" in flat
    assert "Lãnh đạo Tỉnh Bắc Ninh" not in flat
    # The place is still where the pilot's unit is; the proposal asks the ministry.
    assert "Bắc Ninh, ngày" in flat
    assert "Kính trình Lãnh đạo Bộ Khoa học và Công nghệ xem xét, phê duyệt phổ cập" in flat


@needs_poppler
def test_the_english_rollout_memo_names_the_same_leadership(app, make, org, selected):
    _target(selected, org["other"], org["other_head"])
    memo = service.issue(org["head"], selected, {"kind": "rollout", "lang": "en"})
    assert "To: The leadership of Bộ Khoa học và Công nghệ" in _flat(memo)


def test_other_memos_still_go_to_the_unit_above_the_pilot(app, org, selected):
    _target(selected, org["other"], org["other_head"])
    data = snapshot.build("selection", "vi", selected, org["head"], local_today())
    assert data["recipient"] == "Tỉnh Bắc Ninh"


def test_a_deciding_unit_without_a_head_passes_the_memo_to_the_nearest_one_above(app, make, org):
    """A division's pilot rolled out across its department: the department has no head in the
    system, so the memo goes to the province, whose head can decide."""
    division = make.unit("SKHCN-BN-P1", "Phòng Tin học", org["department"])
    sibling = make.unit("SKHCN-BN-P2", "Phòng Kế hoạch", org["department"])
    pilot = make.pilot("selected", owner=org["owner"], unit_=division)
    db.session.execute(delete(RolloutTarget).where(RolloutTarget.pilot_id == pilot.id))
    _target(pilot, sibling, org["owner"])
    data = snapshot.build("rollout", "vi", pilot, org["head"], local_today())
    assert data["recipient"] == "Tỉnh Bắc Ninh"
    make.user("head", org["department"])
    data = snapshot.build("rollout", "vi", pilot, org["head"], local_today())
    assert data["recipient"] == "Sở Khoa học và Công nghệ Bắc Ninh"
