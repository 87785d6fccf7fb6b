"""A target that has not started leaves the plan with a reason, on record, its person told."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from pilotmgr.core.audit import HistoryEntry
from pilotmgr.extensions import db
from pilotmgr.pilots.history import describe
from pilotmgr.reminders.models import Notification
from pilotmgr.results.models import Evidence
from pilotmgr.rollout.models import RolloutTarget
from tests.api.conftest import assert_problem
from tests.rollout.conftest import add_target


@pytest.fixture
def planned(org, make):
    return add_target(org.pilot, org.bn, org.head_bn, due=make.days(20))


def _remove(api, who, target, reason="Tỉnh đã làm theo mô hình riêng"):
    return api(who).delete(f"/rollout-targets/{target.id}", json={"reason": reason})


def test_a_planner_removes_a_planned_target_with_a_reason_on_record(org, api, planned):
    target_id = planned.id
    assert _remove(api, org.lead, planned).status_code == 204
    assert db.session.get(RolloutTarget, target_id) is None
    entry = db.session.scalar(select(HistoryEntry).where(HistoryEntry.action == "remove_target"))
    assert entry.object_id == target_id and entry.unit_code == "BNH"
    assert entry.comment == "Tỉnh đã làm theo mô hình riêng"
    shown = describe(entry)
    assert (shown["headline"], shown["name"]) == ("Gỡ khỏi kế hoạch phổ cập", "Tỉnh Bắc Ninh")
    (note,) = db.session.scalars(select(Notification).where(Notification.kind == "target_removed"))
    assert note.user_id == org.head_bn.id
    assert note.params["reason"] == "Tỉnh đã làm theo mô hình riêng"
    assert note.params["unit"] == "Tỉnh Bắc Ninh"


def test_a_reason_is_required(org, api, planned):
    assert_problem(_remove(api, org.head, planned, reason="  "), 422, "reason")
    assert db.session.get(RolloutTarget, planned.id) is not None


@pytest.mark.parametrize(
    "started",
    [{"status": "in_progress"}, {"note": "Đã cử đầu mối"}, {"status": "done"}],
)
def test_a_target_that_has_started_stays(org, api, planned, started):
    for name, value in started.items():
        setattr(planned, name, value)
    db.session.commit()
    response = _remove(api, org.head, planned)
    assert_problem(response, 422, "reason")
    assert db.session.get(RolloutTarget, planned.id) is not None


def test_a_target_with_evidence_stays(org, api, login, planned):
    org.pilot.stage = "rolling_out"
    db.session.commit()
    client = login(org.head_bn)
    client.post(
        f"/rollout-targets/{planned.id}/evidence",
        data={"csrf_token": client.csrf, "file": (io.BytesIO(b"%PDF-1.4 x"), "bien-ban.pdf")},
        content_type="multipart/form-data",
    )
    assert db.session.query(Evidence).count() == 1
    response = _remove(api, org.head, planned)
    assert_problem(response, 422, "reason")
    assert "minh chứng" in response.get_json()["errors"]["reason"][0]


def test_only_planners_remove(org, api, planned):
    assert_problem(_remove(api, org.head_bn, planned), 403)
    assert_problem(_remove(api, org.staff_hn, planned), 404)
    assert db.session.get(RolloutTarget, planned.id) is not None


def test_the_target_page_offers_removal_and_keeps_the_typed_reason_on_a_mistake(
    org, login, planned
):
    client = login(org.head)
    page = client.get(f"/rollout-targets/{planned.id}").get_data(as_text=True)
    assert 'id="remove-target"' in page and 'id="remove-reason"' in page
    response = client.post(
        f"/rollout-targets/{planned.id}/removal", data={"csrf_token": client.csrf, "reason": ""}
    )
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    response = client.post(
        f"/rollout-targets/{planned.id}/removal",
        data={"csrf_token": client.csrf, "reason": "Trùng kế hoạch của tỉnh"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/pilots/{org.pilot.id}/rollout")
    history = client.get(f"/pilots/{org.pilot.id}").get_data(as_text=True)
    assert "Gỡ khỏi kế hoạch phổ cập: <em>Tỉnh Bắc Ninh</em>" in history
    assert "Trùng kế hoạch của tỉnh" in history


def test_a_started_target_page_says_why_it_cannot_be_removed(org, login, planned):
    planned.status = "in_progress"
    db.session.commit()
    page = login(org.head).get(f"/rollout-targets/{planned.id}").get_data(as_text=True)
    assert "Chỉ gỡ được mục tiêu chưa bắt đầu; mục tiêu này đang ở trạng thái “đang làm”." in page
    assert 'id="remove-reason"' not in page
