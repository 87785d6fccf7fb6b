"""The lifecycle through the API: each guard answers 409 with what is missing; roles as the table says."""

from datetime import timedelta

import pytest
from sqlalchemy import update

from pilotmgr.extensions import db
from pilotmgr.pilots import lifecycle
from pilotmgr.pilots.models import Pilot
from pilotmgr.rollout.models import RolloutTarget
from tests.api.conftest import is_problem


def _move(api, user, pilot, **data):
    return api(user).post(f"/pilots/{pilot.id}/transitions", json=data)


def _stage(pilot) -> str:
    db.session.expire_all()
    return db.session.get(Pilot, pilot.id).stage


def test_submitting_an_incomplete_draft_lists_everything_missing(world, api, make):
    pilot = make.pilot("draft", owner=world.lead, unit_=world.department, complete=False)

    response = _move(api, world.lead, pilot, to="proposed")

    assert is_problem(response, 409)
    missing = " ".join(response.get_json()["missing"])
    assert "KPI" in missing and "nhiệm vụ" in missing
    assert _stage(pilot) == "draft"


def test_a_complete_draft_is_submitted_by_its_owner_and_approved_by_the_head(world, api):
    assert _move(api, world.lead, world.pilot, to="proposed").get_json()["stage"] == "proposed"
    approved = _move(api, world.head, world.pilot, to="piloting", comment="Đồng ý")
    assert approved.status_code == 200
    assert _stage(world.pilot) == "piloting"
    history = api(world.lead).get(f"/pilots/{world.pilot.id}/history").get_json()["items"]
    moves = [
        (e["before"]["stage"], e["after"]["stage"]) for e in history if e["action"] == "transition"
    ]
    assert moves == [("draft", "proposed"), ("proposed", "piloting")]
    assert history[-1]["comment"] == "Đồng ý" and history[-1]["actor"] == world.head.email


def test_extending_a_pilot_needs_a_new_end_date_after_today(world, api, make):
    pilot = make.pilot("evaluating", owner=world.lead, unit_=world.department)
    past = (make.days(0) - timedelta(days=1)).isoformat()
    assert is_problem(_move(api, world.head, pilot, to="piloting", new_end_date=past), 409)
    future = (make.days(0) + timedelta(days=60)).isoformat()
    assert _move(api, world.head, pilot, to="piloting", new_end_date=future).status_code == 200
    assert db.session.get(Pilot, pilot.id).end_date.isoformat() == future


def test_rollout_needs_a_target_and_scaling_needs_every_target_done_and_the_regulation(
    world, api, make
):
    selected = make.pilot("selected", owner=world.lead, unit_=world.department)
    db.session.execute(
        RolloutTarget.__table__.delete().where(RolloutTarget.pilot_id == selected.id)
    )
    db.session.commit()
    assert is_problem(_move(api, world.head, selected, to="rolling_out"), 409)

    rolling = make.pilot("rolling_out", owner=world.lead, unit_=world.department)
    db.session.execute(
        update(RolloutTarget).where(RolloutTarget.pilot_id == rolling.id).values(status="planned")
    )
    db.session.commit()
    regulation = {"number": "15/2027/QĐ-UBND", "date": "2027-06-01", "issuer": "UBND tỉnh"}
    refused = _move(api, world.head, rolling, to="scaled", regulation=regulation)
    assert is_problem(refused, 409)
    db.session.execute(
        update(RolloutTarget).where(RolloutTarget.pilot_id == rolling.id).values(status="done")
    )
    db.session.commit()
    assert is_problem(_move(api, world.head, rolling, to="scaled"), 409)
    assert _move(api, world.head, rolling, to="scaled", regulation=regulation).status_code == 200


def test_closing_after_piloting_needs_a_comment_and_lessons(world, api, make):
    pilot = make.pilot("piloting", owner=world.lead, unit_=world.department)
    refused = _move(api, world.head, pilot, to="closed", outcome="stopped")
    assert is_problem(refused, 409)
    assert len(refused.get_json()["missing"]) == 2
    closed = _move(
        api,
        world.head,
        pilot,
        to="closed",
        outcome="stopped",
        comment="Dừng do thay đổi chính sách",
        lessons="Cần khảo sát nhu cầu trước",
    )
    assert closed.get_json() | {"version": 0} == {
        "stage": "closed",
        "outcome": "stopped",
        "version": 0,
    }


EDGES = sorted(
    {(s, t.target) for t in lifecycle.TRANSITIONS for s in t.sources if t.target != "closed"}
)


@pytest.mark.parametrize("source, target", EDGES, ids=[f"{s}->{t}" for s, t in EDGES])
def test_each_step_is_taken_by_its_role_and_refused_to_staff_and_to_other_provinces(
    world, api, make, source, target
):
    pilot = make.pilot(source, owner=world.lead, unit_=world.department)
    step = lifecycle.transitions_from(source, target)[0]
    data = {
        "to": target,
        "comment": "Ý kiến",
        "new_end_date": (make.days(0) + timedelta(days=30)).isoformat(),
        "decision_number": "7/QĐ-UBND",
        "decision_date": make.days(0).isoformat(),
        "regulation": {"number": "1/QĐ", "date": "2027-01-01", "issuer": "UBND"},
    }
    actor = world.lead if "owner" in step.actors else world.head

    assert is_problem(_move(api, world.staff, pilot, **data), 403)
    assert is_problem(_move(api, world.other_head, pilot, **data), 404)
    assert _move(api, actor, pilot, **data).status_code == 200
    assert _stage(pilot) == target
