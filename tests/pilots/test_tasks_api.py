"""The task routes of API v1: the PATCH contract kept, done with its note, asking for and deciding
on a new due date, the editors' edit fields, and 404 for what is not visible."""

from __future__ import annotations

import pytest

from pilotmgr.extensions import db
from pilotmgr.pilots.models import Task
from tests.api.conftest import assert_problem
from tests.pilots.tasks_org import task_org


@pytest.fixture
def org(make):
    return task_org(make)


def test_the_assignee_finishes_with_a_completion_note(org, api):
    refused = api(org.staff).patch(f"/tasks/{org.task.id}", json={"status": "done", "version": 1})
    assert_problem(refused, 422, "completion_note")
    done = api(org.staff).patch(
        f"/tasks/{org.task.id}",
        json={"status": "done", "completion_note": "Đã nộp 120 phiếu", "version": 1},
    )
    assert done.status_code == 200
    body = done.get_json()
    assert body["status"] == "done" and body["completion_note"] == "Đã nộp 120 phiếu"


def test_editors_edit_the_terms_and_cancel_with_a_reason(org, api):
    edited = api(org.lead).patch(
        f"/tasks/{org.task.id}",
        json={
            "title": "Khảo sát 20 thôn",
            "assignee": org.staff2.email,
            "priority": "high",
            "deliverable": "Báo cáo tổng hợp",
            "how": "Phiếu giấy",
            "version": 1,
        },
    )
    assert edited.status_code == 200, edited.get_json()
    body = edited.get_json()
    assert (body["title"], body["assignee"], body["priority"]) == (
        "Khảo sát 20 thôn",
        org.staff2.email,
        "high",
    )
    no_reason = api(org.lead).patch(
        f"/tasks/{org.task.id}", json={"status": "cancelled", "version": body["version"]}
    )
    assert_problem(no_reason, 422, "reason")
    cancelled = api(org.lead).patch(
        f"/tasks/{org.task.id}",
        json={"status": "cancelled", "reason": "Trùng việc", "version": body["version"]},
    )
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"


def test_asking_and_deciding_on_a_new_due_date(org, api, make):
    asked = api(org.staff).post(
        f"/tasks/{org.task.id}/due-requests",
        json={"new_due_date": make.days(30).isoformat(), "reason": "Chờ phiếu"},
    )
    assert asked.status_code == 201, asked.get_json()
    request = asked.get_json()
    assert request | {"id": 0, "created_at": ""} == {
        "id": 0,
        "task_id": org.task.id,
        "requested_by": org.staff.email,
        "old_due_date": make.days(14).isoformat(),
        "new_due_date": make.days(30).isoformat(),
        "reason": "Chờ phiếu",
        "status": "pending",
        "created_at": "",
        "decided_by": None,
        "decided_at": None,
        "decision_comment": "",
    }
    listed = api(org.lead).get(f"/tasks/{org.task.id}/due-requests").get_json()
    assert [r["id"] for r in listed["items"]] == [request["id"]] and listed["total"] == 1

    assert_problem(
        api(org.staff).post(
            f"/due-requests/{request['id']}/decision", json={"decision": "approve"}
        ),
        403,
    )
    decided = api(org.lead).post(
        f"/due-requests/{request['id']}/decision",
        json={"decision": "approve", "comment": "Đồng ý"},
    )
    assert decided.status_code == 200
    assert decided.get_json()["status"] == "approved"
    assert decided.get_json()["decided_by"] == org.lead.email
    db.session.expire_all()
    assert db.session.get(Task, org.task.id).due_date == make.days(30)
    again = api(org.lead).post(
        f"/due-requests/{request['id']}/decision", json={"decision": "decline"}
    )
    assert_problem(again, 422, "decision")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason": "Chậm"}, "new_due_date"),
        ({"new_due_date": "2027-02-30", "reason": "Chậm"}, "new_due_date"),
        ({"new_due_date": "2099-01-01"}, "reason"),
        ({"new_due_date": ["2099-01-01"], "reason": "Chậm"}, "new_due_date"),
    ],
)
def test_a_bad_request_is_a_422_naming_the_field(org, api, body, field):
    assert_problem(api(org.staff).post(f"/tasks/{org.task.id}/due-requests", json=body), 422, field)


def test_what_cannot_be_seen_is_404(org, api, make):
    asked = (
        api(org.staff)
        .post(
            f"/tasks/{org.task.id}/due-requests",
            json={"new_due_date": make.days(30).isoformat(), "reason": "Chờ phiếu"},
        )
        .get_json()
    )
    outsider = api(org.outsider)
    assert_problem(outsider.get(f"/tasks/{org.task.id}/due-requests"), 404)
    assert_problem(
        outsider.post(f"/due-requests/{asked['id']}/decision", json={"decision": "approve"}), 404
    )
    for bad in ("0", "abc", "99999999999999"):
        assert_problem(
            api(org.lead).post(f"/due-requests/{bad}/decision", json={"decision": "approve"}), 404
        )


def test_openapi_describes_the_task_routes_and_their_fields(api):
    spec = api(None).get("/openapi.json").get_json()
    patch = spec["paths"]["/tasks/{task_id}"]["patch"]["requestBody"]["content"]
    ref = patch["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    changes = spec["components"]["schemas"][ref]
    assert {"completion_note", "title", "assignee", "reason", "version"} <= set(
        changes["properties"]
    )
    # In a change every field may be left out but the version read.
    assert changes["required"] == ["version"]
    assert "post" in spec["paths"]["/tasks/{task_id}/due-requests"]
    assert "post" in spec["paths"]["/due-requests/{request_id}/decision"]
