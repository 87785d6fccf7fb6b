"""Dates far in the past or future are refused with a 422, never a 500."""

import pytest
from sqlalchemy import select

from pilotmgr.auth.models import User
from pilotmgr.core import validate as v
from pilotmgr.core.errors import ValidationFailed
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Kpi, Task
from tests.api.conftest import assert_problem

FAR = ["0001-01-01", "1899-12-31", "2201-01-01", "9999-12-31"]


@pytest.mark.parametrize("raw", FAR)
def test_iso_date_refuses_years_outside_1900_to_2200(app, raw):
    with pytest.raises(ValidationFailed) as caught:
        v.parse({"day": raw}, {"day": v.iso_date()})
    assert "1900" in caught.value.errors["day"][0]


@pytest.mark.parametrize("raw", ["1900-01-01", "2200-12-31"])
def test_iso_date_takes_the_first_and_last_years(app, raw):
    assert v.parse({"day": raw}, {"day": v.iso_date()})["day"].isoformat() == raw


@pytest.mark.parametrize("raw", FAR)
def test_a_far_date_in_the_api_is_a_422(world, api, make, raw):
    lead = api(world.lead)
    pilot = {"title": "Thí điểm", "unit": "BNH-YT", "owner": "lead@bn.gov.vn"}
    assert_problem(lead.post("/pilots", json=pilot | {"end_date": raw}), 422, "end_date")
    assert_problem(
        lead.post(f"/pilots/{world.pilot.id}/tasks", json={"title": "Việc", "due_date": raw}),
        422,
        "due_date",
    )
    running = make.pilot("piloting", owner=world.lead, unit_=world.department)
    task = db.session.scalar(select(Task).where(Task.pilot_id == running.id))
    kpi = db.session.scalar(select(Kpi).where(Kpi.pilot_id == running.id))
    assert_problem(
        api(db.session.get(User, task.assignee_id) if task.assignee_id else world.lead).post(
            f"/tasks/{task.id}/due-requests", json={"new_due_date": raw, "reason": "Chậm"}
        ),
        422,
        "new_due_date",
    )
    assert_problem(
        lead.post(f"/kpis/{kpi.id}/measurements", json={"value": 1, "measured_on": raw}),
        422,
        "measured_on",
    )


def test_the_vietnamese_message_names_the_years(world, api):
    world.lead.lang = "vi"
    response = api(world.lead).post(
        "/pilots",
        json={
            "title": "Thí điểm",
            "unit": "BNH-YT",
            "owner": "lead@bn.gov.vn",
            "end_date": "9999-12-31",
        },
    )
    message = assert_problem(response, 422, "end_date")["errors"]["end_date"][0]
    assert "1900" in message and "2200" in message and "Must" not in message
