"""The lifecycle through the API: each guard's `missing` and bad requests.

Who may take which step is checked once, at service level (tests/pilots/test_lifecycle_matrix.py);
the HTTP wiring of each step once per step (tests/api/test_transitions_api.py)."""

from datetime import timedelta

import pytest

from pilotmgr.extensions import db
from pilotmgr.pilots.models import Kpi, Pilot, Task
from pilotmgr.results.models import Evaluation, Measurement
from pilotmgr.rollout.models import RolloutTarget
from tests.api.conftest import assert_problem
from tests.pilots.test_lifecycle_matrix import (
    _request,
    world,  # noqa: F401  (fixture)
)


def _delete(model, *where):
    db.session.query(model).filter(*where).delete(synchronize_session=False)
    db.session.commit()


def _no_kpis(p):
    _delete(Measurement, Measurement.kpi_id.in_(db.session.query(Kpi.id).filter_by(pilot_id=p.id)))
    _delete(Kpi, Kpi.pilot_id == p.id)


def _unmeasured(p):
    _delete(Measurement, Measurement.kpi_id.in_(db.session.query(Kpi.id).filter_by(pilot_id=p.id)))


def _open_target(p):
    db.session.query(RolloutTarget).filter_by(pilot_id=p.id).update({"status": "in_progress"})
    db.session.commit()


#: (from, to, how the data is spoiled, request changes, how many things are missing)
GUARDS = [
    ("draft", "proposed", lambda p: setattr(p, "summary", ""), {}, 1),
    ("draft", "proposed", _no_kpis, {}, 1),
    ("draft", "proposed", lambda p: _delete(Task, Task.pilot_id == p.id), {}, 1),
    ("draft", "proposed", lambda p: setattr(p, "challenge_id", None), {}, 1),
    ("proposed", "draft", None, {"comment": " "}, 1),
    ("piloting", "evaluating", _unmeasured, {}, 1),
    ("piloting", "evaluating", _no_kpis, {}, 1),
    ("evaluating", "piloting", None, {"new_end_date": "TODAY"}, 1),
    ("evaluating", "piloting", None, {"new_end_date": None}, 1),
    ("evaluating", "selected", lambda p: _delete(Evaluation, Evaluation.pilot_id == p.id), {}, 1),
    (
        "selected",
        "rolling_out",
        lambda p: _delete(RolloutTarget, RolloutTarget.pilot_id == p.id),
        {},
        1,
    ),
    ("selected", "rolling_out", None, {"decision_number": "", "decision_date": None}, 2),
    ("rolling_out", "scaled", _open_target, {}, 1),
    ("rolling_out", "scaled", None, {"regulation": {}}, 3),
    ("rolling_out", "scaled", None, {"regulation": None}, 3),
    ("piloting", "closed", None, {"lessons": "", "outcome": "stopped"}, 1),
    ("draft", "closed", None, {"comment": "", "outcome": "rejected"}, 1),
]


@pytest.mark.parametrize(
    ("source", "target", "spoil", "change", "count"),
    GUARDS,
    ids=[f"{g[0]}->{g[1]}#{i}" for i, g in enumerate(GUARDS)],
)
def test_failed_guard_answers_missing(world, make, api, source, target, spoil, change, count):  # noqa: F811
    pilot = make.pilot(stage=source, owner=world["owner"], unit_=world["dept"])
    if spoil:
        spoil(pilot)
        db.session.commit()
    today = make.days(0)
    data = _request(target, change.get("outcome"), today) | change
    if data.get("new_end_date") == "TODAY":
        data["new_end_date"] = today.isoformat()
    actor = world["owner"] if (source, target) == ("draft", "proposed") else world["head_of_unit"]
    response = api(actor).post(f"/pilots/{pilot.id}/transitions", json=data)
    problem = assert_problem(response, 409)
    assert len(problem["missing"]) == count, problem["missing"]
    assert all(isinstance(m, str) and m for m in problem["missing"])
    db.session.expire_all()
    assert db.session.get(Pilot, pilot.id).stage == source


def test_extension_moves_end_date(world, make, api):  # noqa: F811
    pilot = make.pilot(stage="evaluating", owner=world["owner"], unit_=world["dept"])
    new_end = make.days(0) + timedelta(days=45)
    response = api(world["head_above"]).post(
        f"/pilots/{pilot.id}/transitions",
        json={"to": "piloting", "comment": "Gia hạn", "new_end_date": new_end.isoformat()},
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["stage"] == "piloting"
    assert api(world["owner"]).get(f"/pilots/{pilot.id}").get_json()["end_date"] == str(new_end)


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"to": "flying"}, 422),
        ({"to": "scaled"}, 409),
        ({"to": None}, 422),
        ({}, 422),
        ({"to": "closed", "outcome": "vanished", "comment": "x"}, 422),
        ({"to": "piloting", "new_end_date": "không"}, 422),
        ({"to": ["piloting"]}, 422),
    ],
)
def test_bad_transition_requests(world, make, api, data, status):  # noqa: F811
    pilot = make.pilot(stage="evaluating", owner=world["owner"], unit_=world["dept"])
    response = api(world["head_of_unit"]).post(f"/pilots/{pilot.id}/transitions", json=data)
    assert_problem(response, status)
