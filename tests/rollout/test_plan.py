"""The rollout plan by level: the provinces, a province's departments, a unit's children or one
unit; a preview first; one action, one history entry naming its units; heads by default."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pilotmgr.core.audit import HistoryEntry
from pilotmgr.extensions import db
from pilotmgr.pilots.history import describe
from pilotmgr.reminders.models import Notification
from pilotmgr.rollout.models import RolloutTarget
from tests.api.conftest import assert_problem
from tests.rollout.conftest import add_target


def _targets(pilot):
    return {
        t.unit.code: t
        for t in db.session.scalars(select(RolloutTarget).where(RolloutTarget.pilot_id == pilot.id))
    }


def _plan_entries(pilot):
    return db.session.scalars(
        select(HistoryEntry).where(
            HistoryEntry.pilot_id == pilot.id, HistoryEntry.action == "plan_targets"
        )
    ).all()


def _notes(kind):
    return db.session.scalars(select(Notification).where(Notification.kind == kind)).all()


def test_the_provinces_level_takes_every_province_and_no_agency_of_the_ministry(org, api, make):
    response = api(org.head).post(
        f"/pilots/{org.pilot.id}/rollout/targets",
        json={"level": "provinces", "due_date": make.days(30).isoformat()},
    )
    assert response.status_code == 201, response.get_json()
    targets = _targets(org.pilot)
    assert set(targets) == {"BNH", "HNI", "HCM"}  # not the Cục, not Bắc Ninh's department
    # Each province's head answers for it; a province without a head has nobody yet.
    assert targets["BNH"].responsible_id == org.head_bn.id
    assert targets["HNI"].responsible_id == org.head_hn.id
    assert targets["HCM"].responsible_id is None
    assert all(t.status == "planned" and t.wave == 1 for t in targets.values())


def test_one_planning_action_is_one_history_entry_naming_its_units(org, api, make):
    api(org.head).post(
        f"/pilots/{org.pilot.id}/rollout/targets",
        json={"level": "provinces", "due_date": make.days(30).isoformat()},
    )
    (entry,) = _plan_entries(org.pilot)
    assert sorted(entry.after["units"]) == ["BNH", "HCM", "HNI"]
    assert entry.after["without_responsible"] == ["HCM"]
    shown = describe(entry)
    assert shown["headline"] == "Lập kế hoạch phổ cập tới"
    for name in ("Tỉnh Bắc Ninh", "Thành phố Hà Nội", "Thành phố Hồ Chí Minh"):
        assert name in shown["name"]
    assert not db.session.scalars(
        select(HistoryEntry).where(HistoryEntry.object_type == "rollouttarget")
    ).all()


def test_each_responsible_person_is_told_once_with_their_units(org, api, make):
    caller = api(org.lead)
    due = make.days(30)
    caller.post(
        f"/pilots/{org.pilot.id}/rollout/targets",
        json={
            "level": "provinces",
            "due_date": due.isoformat(),
            "responsible": org.staff_hn.email,
        },
    )
    (note,) = _notes("target_assigned")  # one person answers for all three: one notification
    assert note.user_id == org.staff_hn.id
    assert {"Tỉnh Bắc Ninh", "Thành phố Hà Nội"} <= set(note.params["unit"].split(", "))
    assert note.params["due"] == due.isoformat()
    assert note.url == f"/pilots/{org.pilot.id}/rollout"


def test_the_departments_level_takes_the_departments_of_one_province(org, api, make):
    response = api(org.head).post(
        f"/pilots/{org.pilot.id}/rollout/targets",
        json={"level": "departments", "parent": "BNH", "due_date": make.days(30).isoformat()},
    )
    assert response.status_code == 201
    assert set(_targets(org.pilot)) == {"BNH-KHCN"}
    (note,) = _notes("target_assigned")
    assert note.user_id == org.head_bn_dept.id
    assert note.url.startswith("/rollout-targets/")


def test_the_first_api_forms_still_work_every_unit_under_one_or_one_unit(org, api, make):
    caller = api(org.head)
    url = f"/pilots/{org.pilot.id}/rollout/targets"
    body = {"unit": "HNI", "due_date": make.days(10).isoformat()}
    assert caller.post(url, json=body).status_code == 201
    again = caller.post(url, json={"under": "BO", "due_date": make.days(40).isoformat(), "wave": 2})
    assert again.status_code == 201
    targets = _targets(org.pilot)
    assert set(targets) == {"BO-CDS", "BNH", "HNI", "HCM"}  # direct children only
    assert targets["HNI"].due_date == make.days(10) and targets["HNI"].wave == 1
    assert targets["BNH"].wave == 2
    assert len(_plan_entries(org.pilot)) == 2


def test_the_preview_lists_the_units_and_who_answers_for_them_and_changes_nothing(org, api, make):
    add_target(org.pilot, org.hn, org.head_hn)
    response = api(org.head).post(
        f"/pilots/{org.pilot.id}/rollout/preview",
        json={"level": "provinces", "due_date": make.days(30).isoformat()},
    )
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    rows = {i["unit"]: i for i in data["items"]}
    assert set(rows) == {"BNH", "HNI", "HCM"}
    assert rows["HNI"]["already_targeted"] and not rows["BNH"]["already_targeted"]
    assert rows["BNH"]["responsible"] == org.head_bn.email
    assert data["without_responsible"] == ["HCM"] and data["new"] == 2
    assert set(_targets(org.pilot)) == {"HNI"}


def test_only_the_units_kept_from_the_preview_are_created(org, api, make):
    response = api(org.head).post(
        f"/pilots/{org.pilot.id}/rollout/targets",
        json={"level": "provinces", "units": ["BNH", "HNI"], "due_date": make.days(9).isoformat()},
    )
    assert response.status_code == 201
    assert set(_targets(org.pilot)) == {"BNH", "HNI"}


@pytest.mark.parametrize(
    ("units", "message"),
    [
        (["BO-CDS"], "BO-CDS không thuộc các đơn vị của cấp đã chọn."),
        (["HNI"], "Thành phố Hà Nội đã là đơn vị phổ cập."),
        ([], "Hãy chọn ít nhất một đơn vị."),
    ],
)
def test_units_outside_the_level_or_already_planned_are_refused(org, api, make, units, message):
    add_target(org.pilot, org.hn, org.head_hn)
    response = api(org.head).post(
        f"/pilots/{org.pilot.id}/rollout/targets",
        json={"level": "provinces", "units": units, "due_date": make.days(9).isoformat()},
    )
    assert_problem(response, 422, "units")
    assert message in response.get_json()["errors"]["units"]
    assert set(_targets(org.pilot)) == {"HNI"}


def test_naming_a_unit_already_targeted_is_refused(org, api, make):
    caller = api(org.head)
    body = {"unit": "BNH", "due_date": make.days(10).isoformat(), "responsible": org.lead.email}
    assert caller.post(f"/pilots/{org.pilot.id}/rollout/targets", json=body).status_code == 201
    assert _targets(org.pilot)["BNH"].responsible_id == org.lead.id
    assert_problem(caller.post(f"/pilots/{org.pilot.id}/rollout/targets", json=body), 422, "unit")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"unit": "BNH", "due_date": ""}, "due_date"),
        ({}, "unit"),
        ({"unit": "NOPE"}, "unit"),
        ({"level": "everywhere"}, "level"),
        ({"level": "departments"}, "parent"),
        ({"level": "unit"}, "unit"),
        ({"level": "provinces", "due_date": "2020-01-01"}, "due_date"),
        ({"level": "provinces", "wave": 0}, "wave"),
        ({"level": "provinces", "units": {"a": 1}}, "units"),
    ],
)
def test_a_plan_needs_a_level_its_unit_and_a_due_date_to_come(org, api, make, body, field):
    data = {"due_date": make.days(3).isoformat()} | body
    response = api(org.head).post(f"/pilots/{org.pilot.id}/rollout/targets", json=data)
    assert_problem(response, 422, field)
    assert not _targets(org.pilot)


def test_only_planners_plan_and_only_while_the_pilot_is_selected_or_rolling_out(org, api, make):
    url = f"/pilots/{org.pilot.id}/rollout/targets"
    body = {"level": "provinces", "due_date": make.days(3).isoformat()}
    assert_problem(api(org.head_bn).post(url, json=body), 404)  # not a target unit: unseen
    add_target(org.pilot, org.bn, org.head_bn)
    assert_problem(api(org.head_bn).post(url, json=body), 403)  # a target unit: sees, not plans
    assert_problem(api(org.head_bn).post(f"/pilots/{org.pilot.id}/rollout/preview", json=body), 403)
    piloting = make.pilot("piloting", owner=org.lead, unit_=org.cds)
    assert_problem(api(org.head).post(f"/pilots/{piloting.id}/rollout/targets", json=body), 403)
    assert set(_targets(org.pilot)) == {"BNH"}
