"""The rollout plan: a whole subtree in one action, one unit at a time, heads as default."""

from __future__ import annotations

from sqlalchemy import select

from pilotmgr.core.audit import HistoryEntry
from pilotmgr.extensions import db
from pilotmgr.rollout.models import RolloutTarget
from tests.api.conftest import assert_problem
from tests.rollout.conftest import add_target


def _targets(pilot):
    return {
        t.unit.code: t
        for t in db.session.scalars(select(RolloutTarget).where(RolloutTarget.pilot_id == pilot.id))
    }


def test_every_unit_under_the_ministry_becomes_a_target_in_one_action(org, api, make):
    response = api(org.head).post(
        f"/pilots/{org.pilot.id}/rollout/targets",
        json={"under": "BO", "due_date": make.days(30).isoformat(), "wave": 1},
    )
    assert response.status_code == 201, response.get_json()
    assert {i["unit"] for i in response.get_json()["items"]} == {"BO-CDS", "BNH", "HNI", "HCM"}
    targets = _targets(org.pilot)
    assert set(targets) == {"BO-CDS", "BNH", "HNI", "HCM"}  # direct children only
    # Each target unit's head answers for it; a unit without a head has nobody yet.
    assert targets["BNH"].responsible_id == org.head_bn.id
    assert targets["HNI"].responsible_id == org.head_hn.id
    assert targets["HCM"].responsible_id is None
    assert all(t.status == "planned" and t.due_date == make.days(30) for t in targets.values())
    created = db.session.scalars(
        select(HistoryEntry).where(
            HistoryEntry.object_type == "rollouttarget", HistoryEntry.action == "create"
        )
    ).all()
    assert len(created) == 4


def test_a_subtree_again_adds_only_the_units_not_yet_targeted(org, api, make):
    caller = api(org.lead)
    body = {"unit": "HNI", "due_date": make.days(10).isoformat()}
    assert caller.post(f"/pilots/{org.pilot.id}/rollout/targets", json=body).status_code == 201
    again = caller.post(
        f"/pilots/{org.pilot.id}/rollout/targets",
        json={"under": "BO", "due_date": make.days(40).isoformat(), "wave": 2},
    )
    assert again.status_code == 201
    targets = _targets(org.pilot)
    assert len(targets) == 4
    assert targets["HNI"].due_date == make.days(10) and targets["HNI"].wave == 1
    assert targets["BNH"].wave == 2


def test_naming_a_unit_already_targeted_is_refused(org, api, make):
    caller = api(org.head)
    body = {"unit": "BNH", "due_date": make.days(10).isoformat(), "responsible": org.lead.email}
    assert caller.post(f"/pilots/{org.pilot.id}/rollout/targets", json=body).status_code == 201
    assert _targets(org.pilot)["BNH"].responsible_id == org.lead.id
    assert_problem(caller.post(f"/pilots/{org.pilot.id}/rollout/targets", json=body), 422, "unit")


def test_a_target_needs_a_due_date_and_either_a_unit_or_a_parent(org, api, make):
    caller = api(org.head)
    url = f"/pilots/{org.pilot.id}/rollout/targets"
    assert_problem(caller.post(url, json={"unit": "BNH"}), 422, "due_date")
    assert_problem(caller.post(url, json={"due_date": make.days(3).isoformat()}), 422, "unit")
    assert_problem(
        caller.post(url, json={"unit": "NOPE", "due_date": make.days(3).isoformat()}), 422, "unit"
    )
    assert not _targets(org.pilot)


def test_only_planners_add_targets_and_only_while_the_pilot_is_selected_or_rolling_out(
    org, api, make
):
    url = f"/pilots/{org.pilot.id}/rollout/targets"
    body = {"under": "BO", "due_date": make.days(3).isoformat()}
    assert_problem(api(org.head_bn).post(url, json=body), 404)  # not a target unit: unseen
    add_target(org.pilot, org.bn, org.head_bn)
    assert_problem(api(org.head_bn).post(url, json=body), 403)  # a target unit: sees, not plans
    piloting = make.pilot("piloting", owner=org.lead, unit_=org.cds)
    assert_problem(api(org.head).post(f"/pilots/{piloting.id}/rollout/targets", json=body), 403)
    assert set(_targets(org.pilot)) == {"BNH"}


def test_the_web_form_adds_every_province_of_the_ministry(org, login, make):
    client = login(org.head)
    response = client.post(
        f"/pilots/{org.pilot.id}/rollout/targets",
        data={
            "csrf_token": client.csrf,
            "mode": "under",
            "under": "BO",
            "unit": "HNI",
            "responsible": "",
            "due_date": make.days(20).isoformat(),
            "wave": "1",
        },
    )
    assert response.status_code == 302
    assert set(_targets(org.pilot)) == {"BO-CDS", "BNH", "HNI", "HCM"}
