"""Ticked targets updated together: one status, one note, one history entry naming the units;
all of them or none, a refused target named with the reason."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from pilotmgr.core.audit import HistoryEntry
from pilotmgr.extensions import db
from pilotmgr.pilots.history import describe
from pilotmgr.rollout.models import RolloutTarget
from tests.api.conftest import assert_problem
from tests.rollout.conftest import add_target


@pytest.fixture
def three(org, make):
    targets = {
        "bn": add_target(org.pilot, org.bn, org.head_bn, due=make.days(10)),
        "hn": add_target(org.pilot, org.hn, org.staff_hn, due=make.days(10)),
        "hcm": add_target(org.pilot, org.hcm, None, due=make.days(10), status="in_progress"),
    }
    org.pilot.stage = "rolling_out"
    db.session.commit()
    return targets


def _statuses(pilot) -> dict[str, str]:
    rows = db.session.scalars(select(RolloutTarget).where(RolloutTarget.pilot_id == pilot.id))
    return {t.unit.code: t.status for t in rows}


def _entries(pilot, action):
    return db.session.scalars(
        select(HistoryEntry).where(HistoryEntry.pilot_id == pilot.id, HistoryEntry.action == action)
    ).all()


def test_a_head_marks_ticked_targets_done_with_one_note_and_one_entry(org, api, make, three):
    ids = [three["bn"].id, three["hcm"].id]
    response = api(org.head).post(
        f"/pilots/{org.pilot.id}/rollout/bulk",
        json={"targets": ids, "status": "done", "note": "Đã vận hành, có biên bản."},
    )
    assert response.status_code == 200, response.get_json()
    assert {i["unit"] for i in response.get_json()["items"]} == {"BNH", "HCM"}
    assert _statuses(org.pilot) == {"BNH": "done", "HNI": "planned", "HCM": "done"}
    db.session.expire_all()
    done = db.session.get(RolloutTarget, three["bn"].id)
    assert done.note == "Đã vận hành, có biên bản." and done.done_on == make.days(0)
    (entry,) = _entries(org.pilot, "targets_done")
    assert entry.comment == "Đã vận hành, có biên bản."
    shown = describe(entry)
    assert shown["headline"] == "Ghi nhận đã phổ cập xong tại"
    assert shown["name"] == "Thành phố Hồ Chí Minh, Tỉnh Bắc Ninh"


def test_one_refused_target_stops_all_and_says_which_and_why(org, api, three):
    # Hà Nội's staff member answers for Hà Nội only.
    response = api(org.staff_hn).post(
        f"/pilots/{org.pilot.id}/rollout/bulk",
        json={"targets": [three["hn"].id, three["bn"].id], "status": "in_progress"},
    )
    assert_problem(response, 422, "targets")
    (message,) = response.get_json()["errors"]["targets"]
    assert message.startswith("Tỉnh Bắc Ninh: ")
    assert "chỉ đơn vị đó và lãnh đạo" in message
    assert _statuses(org.pilot)["HNI"] == "planned"  # nothing changed half-way
    assert not _entries(org.pilot, "targets_in_progress")


def test_someone_who_may_update_none_of_them_is_refused(org, api, three, make):
    viewer = make.user("viewer", org.ministry)
    body = {"targets": [three["bn"].id], "status": "done"}
    assert_problem(api(viewer).post(f"/pilots/{org.pilot.id}/rollout/bulk", json=body), 403)


def test_a_target_of_another_pilot_is_not_updated(org, api, make, three):
    other = make.pilot("rolling_out", owner=org.lead, unit_=org.cds)
    theirs = db.session.scalar(select(RolloutTarget).where(RolloutTarget.pilot_id == other.id))
    response = api(org.head).post(
        f"/pilots/{org.pilot.id}/rollout/bulk",
        json={"targets": [three["bn"].id, theirs.id], "status": "in_progress"},
    )
    assert_problem(response, 422, "targets")
    assert response.get_json()["errors"]["targets"] == [
        f"#{theirs.id}: không phải mục tiêu phổ cập của thí điểm này."
    ]


def test_blocking_together_needs_the_reason_in_the_note(org, api, three):
    url = f"/pilots/{org.pilot.id}/rollout/bulk"
    body = {"targets": [three["bn"].id, three["hn"].id], "status": "blocked"}
    assert_problem(api(org.head).post(url, json=body), 422, "note")
    ok = api(org.head).post(url, json=body | {"note": "Chưa có đường truyền"})
    assert ok.status_code == 200
    assert {i["blocked_reason"] for i in ok.get_json()["items"]} == {"Chưa có đường truyền"}


def test_a_stale_version_is_named_and_changes_nothing(org, api, three):
    target = three["bn"]
    response = api(org.head).post(
        f"/pilots/{org.pilot.id}/rollout/bulk",
        json={
            "targets": [{"id": target.id, "version": target.version + 1}, three["hn"].id],
            "status": "done",
        },
    )
    assert_problem(response, 422, "targets")
    assert "Tỉnh Bắc Ninh" in response.get_json()["errors"]["targets"][0]
    assert _statuses(org.pilot)["HNI"] == "planned"


def test_a_later_wave_waits_for_target_units_but_not_for_heads(org, api, make, three):
    later = add_target(
        org.pilot, make.unit("HPG", "Thành phố Hải Phòng", org.ministry), org.staff_hn
    )
    later.wave = 2
    db.session.commit()
    body = {"targets": [later.id, three["hn"].id], "status": "in_progress"}
    response = api(org.staff_hn).post(f"/pilots/{org.pilot.id}/rollout/bulk", json=body)
    assert_problem(response, 422, "targets")
    assert response.get_json()["errors"]["targets"] == [
        "Thành phố Hải Phòng: đợt 2 của mục tiêu này chưa mở (hiện đã mở đến đợt 1)."
    ]
    assert api(org.head).post(f"/pilots/{org.pilot.id}/rollout/bulk", json=body).status_code == 200


def test_the_board_ticks_and_applies_and_keeps_what_was_ticked_on_a_mistake(org, login, three):
    client = login(org.head)
    url = f"/pilots/{org.pilot.id}/rollout"
    page = client.get(url).get_data(as_text=True)
    assert page.count('name="targets"') == 3 and 'id="bulk-update"' in page
    ticked = [f"{three['bn'].id}:1", f"{three['hn'].id}:1"]
    failed = client.post(
        f"{url}/bulk",
        data={"csrf_token": client.csrf, "targets": ticked, "status": "blocked", "note": ""},
    )
    assert failed.status_code == 422
    html = failed.get_data(as_text=True)
    assert "Hãy nêu rõ lý do các mục tiêu bị vướng mắc." in html
    assert len(re.findall(r'name="targets"[^>]*checked', html)) == 2  # still ticked
    done = client.post(
        f"{url}/bulk",
        data={"csrf_token": client.csrf, "targets": ticked, "status": "done", "note": "Xong"},
    )
    assert done.status_code == 302
    assert _statuses(org.pilot) == {"BNH": "done", "HNI": "done", "HCM": "in_progress"}
    history = client.get(f"/pilots/{org.pilot.id}").get_data(as_text=True)
    assert "Ghi nhận đã phổ cập xong tại: <em>Thành phố Hà Nội, Tỉnh Bắc Ninh</em>" in history


def test_the_board_asks_to_tick_something(org, login, three):
    client = login(org.head)
    response = client.post(
        f"/pilots/{org.pilot.id}/rollout/bulk",
        data={"csrf_token": client.csrf, "status": "done", "note": ""},
    )
    assert response.status_code == 422
    assert "Hãy đánh dấu ít nhất một mục tiêu." in response.get_data(as_text=True)


def test_target_units_see_checkboxes_only_on_their_own_targets(org, login, three):
    page = login(org.staff_hn).get(f"/pilots/{org.pilot.id}/rollout").get_data(as_text=True)
    assert page.count('name="targets"') == 1
    assert f'value="{three["hn"].id}:1"' in page
