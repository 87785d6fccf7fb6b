"""The results API beside the pages: the same services, JSON in and out."""

from __future__ import annotations

from sqlalchemy import select

from pilotmgr.extensions import db
from pilotmgr.reminders.models import Notification
from pilotmgr.results.models import PilotEvaluator


def test_openapi_describes_retraction_and_evaluators(api):
    paths = api(None).get("/openapi.json").get_json()["paths"]
    retraction = paths["/evidence/{id}/retraction"]["post"]
    assert (
        "reason" in retraction["requestBody"]["content"]["application/json"]["schema"]["properties"]
    )
    assert "/pilots/{id}/evaluators" in paths


def test_a_head_names_an_evaluator_through_the_api(bn, api, make):
    pilot = make.pilot("evaluating", owner=bn.lead, unit_=bn.department)
    url = f"/pilots/{pilot.id}/evaluators"
    refused = api(bn.head).post(url, json={"evaluator": bn.stranger.email})
    assert refused.status_code == 422 and "evaluator" in refused.get_json()["errors"]
    assert api(bn.lead).post(url, json={"evaluator": bn.staff.email}).status_code == 403
    done = api(bn.head).post(url, json={"evaluator": bn.staff.email})
    assert done.status_code == 201
    assert done.get_json() == {"pilot_id": pilot.id, "evaluator": bn.staff.email}
    assert db.session.get(PilotEvaluator, (pilot.id, bn.staff.id))
    note = db.session.scalar(select(Notification).where(Notification.kind == "evaluator_named"))
    assert note.user_id == bn.staff.id


def test_api_values_stay_json_numbers(bn, api):
    day = bn.pilot.start_date.isoformat()
    created = api(bn.staff).post(
        f"/kpis/{bn.kpi.id}/measurements", json={"value": 12.5, "measured_on": day}
    )
    assert created.status_code == 201 and created.get_json()["value"] == 12.5
    written = api(bn.staff).post(
        f"/kpis/{bn.kpi.id}/measurements", json={"value": "12,5", "measured_on": day}
    )
    assert written.status_code == 422 and "value" in written.get_json()["errors"]
