"""Target units act for themselves: who may update a target, and what an update needs."""

from __future__ import annotations

import io

import pytest

from pilotmgr.extensions import db
from pilotmgr.pilots.permissions import can_update_target
from pilotmgr.pilots.transitions import transition
from pilotmgr.results.models import Evidence
from pilotmgr.rollout.models import RolloutTarget
from tests.api.conftest import assert_problem
from tests.rollout.conftest import add_target

#: kind of person → may they update Bắc Ninh's target (status 200, or the refusal they get)?
WHO = {
    "responsible": 200,  # the Bắc Ninh staff member named responsible
    "head_of_target": 200,  # head of the province that is the target
    "head_above_target": 200,  # head of the ministry (above both the pilot and the target)
    "admin": 200,
    "owner": 403,  # the pilot's owner plans the rollout but does not act for the province
    "head_below_target": 404,  # head of a department under Bắc Ninh: not the target unit
    # Another target unit of the same pilot sees the board, not Bắc Ninh's target itself.
    "other_target_head": 404,  # head of Hà Nội, another target of the same pilot
    "other_target_staff": 404,  # staff of Hà Nội, another target
    "stranger": 404,  # a Hồ Chí Minh City lead with nothing to do with the pilot
}


def _person(org, make, kind):
    return {
        "responsible": org.staff_bn,
        "head_of_target": org.head_bn,
        "head_above_target": org.head,
        "admin": org.admin,
        "owner": org.lead,
        "head_below_target": org.head_bn_dept,
        "other_target_head": org.head_hn,
        "other_target_staff": org.staff_hn,
        "stranger": make.user("lead", org.hcm),
    }[kind]


@pytest.fixture
def rolling(org, make):
    bn = add_target(org.pilot, org.bn, org.staff_bn, due=make.days(10))
    add_target(org.pilot, org.hn, org.staff_hn, due=make.days(10))
    org.pilot.stage = "rolling_out"
    db.session.commit()
    return bn


@pytest.mark.parametrize("kind", list(WHO))
def test_who_may_update_a_target(org, make, api, rolling, kind):
    person = _person(org, make, kind)
    expected = WHO[kind]
    assert can_update_target(person, rolling) == (expected == 200)
    response = api(person).patch(
        f"/rollout-targets/{rolling.id}",
        json={"status": "in_progress", "note": "Đã cử đầu mối", "version": rolling.version},
    )
    assert response.status_code == expected, response.get_json()
    db.session.expire_all()
    found = db.session.get(RolloutTarget, rolling.id)
    assert found.status == ("in_progress" if expected == 200 else "planned")


def test_target_units_wait_for_the_approval_while_heads_may_already_adjust(org, rolling):
    org.pilot.stage = "selected"
    db.session.commit()
    assert not can_update_target(org.staff_bn, rolling)
    assert not can_update_target(org.head_bn, rolling)
    assert can_update_target(org.head, rolling)


def test_nobody_updates_targets_once_the_pilot_is_scaled(org, rolling):
    org.pilot.stage = "scaled"
    db.session.commit()
    assert not can_update_target(org.staff_bn, rolling)
    assert not can_update_target(org.admin, rolling)


def test_blocked_needs_a_reason(org, api, rolling):
    caller = api(org.staff_bn)
    url = f"/rollout-targets/{rolling.id}"
    assert_problem(
        caller.patch(url, json={"status": "blocked", "version": rolling.version}),
        422,
        "blocked_reason",
    )
    assert_problem(
        caller.patch(
            url, json={"status": "blocked", "blocked_reason": "  ", "version": rolling.version}
        ),
        422,
        "blocked_reason",
    )
    ok = caller.patch(
        url,
        json={"status": "blocked", "blocked_reason": "Thiếu đường truyền", "version": 1},
    )
    assert ok.status_code == 200
    assert ok.get_json()["blocked_reason"] == "Thiếu đường truyền"
    # Leaving "blocked" clears the reason from the row (it stays in the history).
    unblocked = caller.patch(url, json={"status": "in_progress", "version": 2}).get_json()
    assert unblocked["blocked_reason"] == ""


def test_the_web_form_re_renders_with_the_message_when_the_reason_is_missing(org, login, rolling):
    client = login(org.staff_bn)
    response = client.post(
        f"/rollout-targets/{rolling.id}",
        data={
            "csrf_token": client.csrf,
            "status": "blocked",
            "blocked_reason": "",
            "note": "Đang chờ",
            "version": rolling.version,
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "is-invalid" in html and 'id="update-target"' in html
    assert "Đang chờ" in html  # what was typed is kept
    db.session.expire_all()
    assert db.session.get(RolloutTarget, rolling.id).status == "planned"


def test_a_stale_version_is_refused_and_changes_nothing(org, api, rolling):
    caller = api(org.staff_bn)
    url = f"/rollout-targets/{rolling.id}"
    assert caller.patch(url, json={"status": "in_progress", "version": 1}).status_code == 200
    assert_problem(caller.patch(url, json={"status": "done", "version": 1}), 409)
    assert_problem(caller.patch(url, json={"status": "done"}), 422, "version")
    db.session.expire_all()
    assert db.session.get(RolloutTarget, rolling.id).status == "in_progress"


def test_done_records_the_day_and_reopening_clears_it(org, api, make, rolling):
    caller = api(org.staff_bn)
    done = caller.patch(f"/rollout-targets/{rolling.id}", json={"status": "done", "version": 1})
    assert done.get_json()["done_on"] == make.days(0).isoformat()
    again = caller.patch(
        f"/rollout-targets/{rolling.id}", json={"status": "in_progress", "version": 2}
    )
    assert again.get_json()["done_on"] is None


def test_only_planners_move_a_due_date(org, api, make, rolling):
    body = {"due_date": make.days(40).isoformat(), "version": 1}
    assert_problem(api(org.staff_bn).patch(f"/rollout-targets/{rolling.id}", json=body), 403)
    assert_problem(api(org.head_hn).patch(f"/rollout-targets/{rolling.id}", json=body), 404)
    # The owner plans the rollout (dates, people, waves) without acting for the province.
    moved = api(org.lead).patch(f"/rollout-targets/{rolling.id}", json=body)
    assert moved.get_json()["due_date"] == make.days(40).isoformat()
    status = {"status": "done", "version": 2}
    assert_problem(api(org.lead).patch(f"/rollout-targets/{rolling.id}", json=status), 403)
    moved = api(org.head).patch(
        f"/rollout-targets/{rolling.id}", json={"due_date": make.days(45).isoformat(), "version": 2}
    )
    assert moved.get_json()["due_date"] == make.days(45).isoformat()


def test_a_later_wave_waits_until_a_head_opens_it(org, api, login, make, rolling):
    later = add_target(org.pilot, org.hcm, org.staff_bn, due=make.days(60), wave=2)
    body = {"status": "in_progress", "version": 1}
    assert_problem(api(org.staff_bn).patch(f"/rollout-targets/{later.id}", json=body), 409)
    client = login(org.head)
    response = client.post(
        f"/pilots/{org.pilot.id}/rollout/waves", data={"csrf_token": client.csrf}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert org.pilot.rollout_open_wave == 2
    assert api(org.staff_bn).patch(f"/rollout-targets/{later.id}", json=body).status_code == 200


def test_the_target_unit_attaches_evidence_to_its_own_target(org, login, rolling):
    client = login(org.head_bn)
    response = client.post(
        f"/rollout-targets/{rolling.id}/evidence",
        data={
            "csrf_token": client.csrf,
            "note": "Biên bản nghiệm thu",
            "file": (io.BytesIO(b"%PDF-1.4 bien ban"), "bien-ban.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    found = db.session.query(Evidence).one()
    assert found.rollout_target_id == rolling.id and found.pilot_id == org.pilot.id
    page = client.get(f"/rollout-targets/{rolling.id}").get_data(as_text=True)
    assert "bien-ban.pdf" in page
    assert client.get(f"/evidence/{found.id}").data.startswith(b"%PDF")


def test_a_stranger_cannot_attach_evidence(org, login, make, rolling):
    client = login(org.head_hn)
    response = client.post(
        f"/rollout-targets/{rolling.id}/evidence",
        data={"csrf_token": client.csrf, "file": (io.BytesIO(b"%PDF-1.4"), "x.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 404  # another target unit does not see this target
    assert db.session.query(Evidence).count() == 0


def test_the_decision_is_stored_on_the_pilot_when_a_head_approves(org, make):
    add_target(org.pilot, org.bn, org.head_bn, due=make.days(5))
    transition(
        org.head,
        org.pilot,
        {"to": "rolling_out", "decision_number": "12/QĐ-BKHCN", "decision_date": "2026-11-20"},
    )
    assert org.pilot.rollout_decision_number == "12/QĐ-BKHCN"
    assert org.pilot.rollout_decision_date.isoformat() == "2026-11-20"
