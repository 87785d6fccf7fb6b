"""Reaching `scaled`: every target done and the regulation recorded; then a benefit review."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from pilotmgr.core.clock import add_months
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Task
from pilotmgr.results.models import Evidence
from tests.api.conftest import assert_problem
from tests.rollout.conftest import add_target
from tests.servers import logged_in, second_server

REGULATION = {
    "number": "15/2026/QĐ-UBND",
    "date": "2026-10-01",
    "issuer": "UBND tỉnh Bắc Ninh",
    "title": "Quy định bắt buộc áp dụng dịch vụ công trực tuyến toàn trình",
}


def _rolling(org, make, *statuses):
    for unit, status in zip((org.bn, org.hn, org.hcm), statuses, strict=False):
        add_target(org.pilot, unit, org.staff_bn, status=status, due=make.days(5))
    org.pilot.stage = "rolling_out"
    db.session.commit()


def test_one_open_target_keeps_the_pilot_from_scaling(org, api, make):
    _rolling(org, make, "done", "done", "in_progress")
    response = api(org.head).post(
        f"/pilots/{org.pilot.id}/transitions",
        json={"to": "scaled", "comment": "Hoàn thành", "regulation": REGULATION},
    )
    problem = assert_problem(response, 409)
    assert len(problem["missing"]) == 1 and "1" in problem["missing"][0]
    db.session.expire_all()
    assert org.pilot.stage == "rolling_out" and org.pilot.regulation_number == ""


def test_scaling_records_the_regulation_readable_on_the_pilot(org, api, make):
    _rolling(org, make, "done", "done")
    response = api(org.head).post(
        f"/pilots/{org.pilot.id}/transitions",
        json={"to": "scaled", "comment": "Hoàn thành", "regulation": REGULATION},
    )
    assert response.status_code == 200, response.get_json()
    pilot = api(org.staff_bn).get(f"/pilots/{org.pilot.id}").get_json()
    assert pilot["stage"] == "scaled"
    assert pilot["regulation"] | {"file": None} == REGULATION | {"file": None}


def test_scaling_schedules_a_benefit_review_for_the_owner(org, api, make, app):
    app.config["PILOTMGR_BENEFIT_REVIEW_MONTHS"] = 3
    _rolling(org, make, "done")
    api(org.head).post(
        f"/pilots/{org.pilot.id}/transitions",
        json={"to": "scaled", "comment": "Xong", "regulation": REGULATION},
    )
    review = db.session.scalars(
        select(Task).where(Task.pilot_id == org.pilot.id).order_by(Task.id.desc())
    ).first()
    assert review.assignee_id == org.lead.id and review.status == "todo"
    assert review.due_date == add_months(make.days(0), 3)
    assert review.deliverable


def test_months_are_added_as_calendar_months():
    from datetime import date

    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 1, 15), 6) == date(2026, 7, 15)


@pytest.mark.commits
def test_the_regulation_file_downloads_byte_for_byte_from_another_server(
    org, login, make, database_uri, tmp_path
):
    _rolling(org, make, "done")
    client = login(org.head)
    data = b"%PDF-1.4 quyet dinh\n" + bytes(range(256)) * 4
    client.post(
        f"/pilots/{org.pilot.id}/regulation",
        data={
            "csrf_token": client.csrf,
            **REGULATION,
            "file": (io.BytesIO(data), "Quyết định.pdf"),
        },
        content_type="multipart/form-data",
    )
    found = db.session.scalar(select(Evidence).where(Evidence.purpose == "regulation"))
    with second_server(database_uri, tmp_path) as second:
        response = logged_in(second.test_client(), org.lead).get(f"/evidence/{found.id}")
    assert response.status_code == 200 and response.data == data
    assert response.mimetype == "application/pdf"
    assert (
        "filename*=UTF-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh.pdf"
        in response.headers["Content-Disposition"]
    )


def test_a_head_records_the_regulation_with_its_file_on_the_web(org, login, make, api):
    _rolling(org, make, "done")
    client = login(org.head)
    response = client.post(
        f"/pilots/{org.pilot.id}/regulation",
        data={
            "csrf_token": client.csrf,
            **REGULATION,
            "file": (io.BytesIO(b"%PDF-1.4 quyet dinh"), "quyet-dinh-15.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = client.get(f"/pilots/{org.pilot.id}").get_data(as_text=True)
    assert "15/2026/QĐ-UBND" in page and "quyet-dinh-15.pdf" in page
    found = db.session.scalar(select(Evidence).where(Evidence.purpose == "regulation"))
    assert found.filename == "quyet-dinh-15.pdf"
    regulation = api(org.head).get(f"/pilots/{org.pilot.id}").get_json()["regulation"]
    assert regulation["file"]["sha256"] == found.sha256
    # With the regulation on record, the transition needs no regulation in its body.
    moved = api(org.head).post(
        f"/pilots/{org.pilot.id}/transitions", json={"to": "scaled", "comment": "Xong"}
    )
    assert moved.status_code == 200


def test_only_heads_record_the_regulation(org, login, make):
    _rolling(org, make, "done")
    client = login(org.lead)
    response = client.post(
        f"/pilots/{org.pilot.id}/regulation", data={"csrf_token": client.csrf, **REGULATION}
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert org.pilot.regulation_number == ""
