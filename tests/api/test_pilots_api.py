"""Pilots, KPIs and tasks through the API: create, read, edit, visibility and stale versions."""

import pytest
from sqlalchemy import select

from pilotmgr.extensions import db
from pilotmgr.pilots.models import Task, TaskDueChange
from tests.api.conftest import is_problem


def _new_pilot(world, **change) -> dict:
    return {
        "title": "Thu viện phí bằng mã QR",
        "summary": "Thí điểm tại 12 quầy thu của bệnh viện tỉnh.",
        "challenge_id": world.challenge_id,
        "unit": "BNH-YT",
        "owner": world.lead.email,
        "start_date": "2026-12-01",
        "end_date": "2027-05-31",
        "budget": 350000000,
        "partner": "Ngân hàng BIDV",
    } | change


def test_a_lead_registers_a_draft_pilot_and_reads_its_readiness(world, api):
    response = api(world.lead).post("/pilots", json=_new_pilot(world))

    assert response.status_code == 201
    pilot = response.get_json()
    assert pilot["stage"] == "draft"
    assert pilot["owner"] == world.lead.email
    assert pilot["readiness"]["ok"] is False
    assert pilot["readiness"]["missing"]
    again = api(world.lead).get(f"/pilots/{pilot['id']}").get_json()
    assert again["title"] == "Thu viện phí bằng mã QR"
    assert again["version"] == pilot["version"]


def test_the_pilot_list_filters_and_paginates(world, api, make):
    for n in range(3):
        make.pilot("piloting", owner=world.lead, unit_=world.department, title=f"Công nghệ số {n}")
    caller = api(world.head)

    piloting = caller.get("/pilots?stage=piloting&per_page=2").get_json()
    by_unit = caller.get("/pilots?unit=BNH-YT&owner=lead@bn.gov.vn").get_json()
    folded = caller.get("/pilots?q=cong nghe so").get_json()

    assert piloting["total"] == 3 and len(piloting["items"]) == 2 and piloting["per_page"] == 2
    assert by_unit["total"] == 4
    assert folded["total"] == 3
    assert is_problem(caller.get("/pilots?stage=flying"), 422)
    assert is_problem(caller.get("/pilots?unit=NOPE"), 422)


def test_kpis_and_tasks_are_added_by_the_owner_and_listed(world, api):
    caller = api(world.lead)
    kpi = caller.post(
        f"/pilots/{world.pilot.id}/kpis",
        json={
            "name": "Tỷ lệ thanh toán không dùng tiền mặt",
            "unit": "%",
            "baseline": 8,
            "target": 60,
            "direction": "increase",
        },
    )
    task = caller.post(
        f"/pilots/{world.pilot.id}/tasks",
        json={
            "title": "Lắp đặt mã QR",
            "assignee": world.staff.email,
            "due_date": "2027-01-15",
            "priority": "high",
            "deliverable": "12 quầy",
        },
    )

    assert kpi.status_code == 201 and kpi.get_json()["target"] == 60
    assert task.status_code == 201 and task.get_json()["assignee"] == world.staff.email
    names = [k["name"] for k in caller.get(f"/pilots/{world.pilot.id}/kpis").get_json()["items"]]
    assert "Tỷ lệ thanh toán không dùng tiền mặt" in names
    tasks = caller.get(f"/pilots/{world.pilot.id}/tasks").get_json()
    assert tasks["total"] == 2


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"name": "", "baseline": 1, "target": 2, "direction": "increase"}, "name"),
        ({"name": "X", "baseline": "a", "target": 2, "direction": "increase"}, "baseline"),
        ({"name": "X", "baseline": 1, "target": 2, "direction": "sideways"}, "direction"),
    ],
)
def test_a_bad_kpi_gets_422(world, api, payload, field):
    response = api(world.lead).post(f"/pilots/{world.pilot.id}/kpis", json=payload)
    assert is_problem(response, 422)
    assert field in response.get_json()["errors"]


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"title": "", "due_date": "2027-01-01"}, "title"),
        ({"title": "X", "due_date": "tomorrow"}, "due_date"),
        ({"title": "X", "priority": "urgent"}, "priority"),
        ({"title": "X", "assignee": "nobody@x.vn"}, "assignee"),
    ],
)
def test_a_bad_task_gets_422(world, api, payload, field):
    response = api(world.lead).post(f"/pilots/{world.pilot.id}/tasks", json=payload)
    assert is_problem(response, 422)
    assert field in response.get_json()["errors"]


def test_others_may_not_add_kpis_or_tasks(world, api):
    for who in (world.staff, world.viewer):
        response = api(who).post(f"/pilots/{world.pilot.id}/tasks", json={"title": "X"})
        assert is_problem(response, 403)


def test_a_due_date_change_needs_a_reason_and_is_logged(world, api):
    caller = api(world.lead)
    task = world.task
    refused = caller.patch(
        f"/tasks/{task.id}", json={"due_date": "2027-03-01", "version": task.version}
    )
    assert is_problem(refused, 422)
    assert "due_change_reason" in refused.get_json()["errors"]

    moved = caller.patch(
        f"/tasks/{task.id}",
        json={
            "due_date": "2027-03-01",
            "due_change_reason": "Chờ nhà cung cấp giao thiết bị",
            "version": task.version,
        },
    )

    assert moved.status_code == 200
    assert moved.get_json()["due_date"] == "2027-03-01"
    change = db.session.scalar(select(TaskDueChange).where(TaskDueChange.task_id == task.id))
    assert change.reason == "Chờ nhà cung cấp giao thiết bị"


def test_the_assignee_changes_status_only_and_a_stale_update_changes_nothing(world, api, make):
    task = make.task(world.pilot, assignee=world.staff)
    caller = api(world.staff)
    version = task.version

    done = caller.patch(
        f"/tasks/{task.id}",
        json={"status": "done", "completion_note": "Danh sách đã ký", "version": version},
    )
    stale = caller.patch(f"/tasks/{task.id}", json={"status": "todo", "version": version})
    retitled = caller.patch(
        f"/tasks/{task.id}", json={"title": "Khác", "version": done.get_json()["version"]}
    )

    assert done.status_code == 200 and done.get_json()["completed_at"]
    assert is_problem(stale, 409)
    assert is_problem(retitled, 403)
    db.session.expire_all()
    assert db.session.get(Task, task.id).status == "done"


def test_bad_task_status_gets_422_and_strangers_get_404(world, api):
    task = world.task
    bad = api(world.lead).patch(f"/tasks/{task.id}", json={"status": "maybe", "version": 1})
    stranger = api(world.other_staff).patch(
        f"/tasks/{task.id}", json={"status": "done", "version": 1}
    )
    assert is_problem(bad, 422)
    assert is_problem(stranger, 404)
