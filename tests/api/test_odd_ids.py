"""Odd ids in API addresses and bodies: a 404 or a 422, never a 500."""

import re

import pytest

from tests.api.conftest import assert_problem, is_problem

ODD_IDS = ["²", "٣", "0", "2147483648", "9223372036854775808", "9" * 30]
ID = re.compile(r"\{[a-z_]*id\}")


@pytest.mark.parametrize("raw", ODD_IDS)
def test_an_odd_id_in_any_api_address_is_a_404(world, api, raw):
    caller = api(world.admin)
    paths = api(None).get("/openapi.json").get_json()["paths"]
    with_id = [(m, p) for p, ops in paths.items() if ID.search(p) for m in ops]
    assert len(with_id) > 30
    for method, path in with_id:
        response = getattr(caller, method)(ID.sub(raw, path), json={"version": 1})
        assert is_problem(response, 404), (method, path, response.status_code)


@pytest.mark.parametrize("raw", ["²", "2147483648", 9223372036854775808, 1.5, True, "1,x"])
def test_odd_pilot_numbers_in_a_selection_are_a_422(world, api, raw):
    response = api(world.admin).post(
        f"/challenges/{world.challenge_id}/selection", json={"selected": [raw], "rationale": "x"}
    )
    assert response.status_code in (409, 422), response.get_data(as_text=True)
    assert response.status_code != 409 or raw == "1,x"


@pytest.mark.parametrize("raw", ["²", "2147483648", "9" * 30])
def test_an_odd_measurement_id_with_evidence_is_a_422(world, api, make, raw):
    import io

    pilot = make.pilot("piloting", owner=world.lead, unit_=world.department)
    response = api(world.lead).post(
        f"/pilots/{pilot.id}/evidence",
        data={"file": (io.BytesIO(b"%PDF-1.4 x"), "a.pdf"), "measurement_id": raw},
        content_type="multipart/form-data",
    )
    assert_problem(response, 422, "measurement_id")


@pytest.mark.parametrize("raw", ["²", "2147483648", "9" * 30])
def test_an_odd_programme_id_filter_is_a_422(world, api, raw):
    response = api(world.admin).get(f"/challenges?programme_id={raw}")
    assert_problem(response, 422, "programme_id")


@pytest.mark.parametrize("raw", ["²", 2147483648, 9223372036854775808, "9" * 30])
def test_an_odd_corrected_value_is_a_422(world, api, make, raw):
    from sqlalchemy import select

    from pilotmgr.extensions import db
    from pilotmgr.pilots.models import Kpi

    pilot = make.pilot("piloting", owner=world.lead, unit_=world.department)
    kpi = db.session.scalar(select(Kpi).where(Kpi.pilot_id == pilot.id))
    response = api(world.lead).post(
        f"/kpis/{kpi.id}/measurements",
        json={"value": 1, "measured_on": "2026-01-05", "corrects": raw, "reason": "Sai số"},
    )
    assert_problem(response, 422, "corrects")
