"""KPIs and tasks of a pilot, and PATCH /tasks/{id} with its due-date rule."""

import pytest

from pilotmgr.extensions import db
from pilotmgr.pilots.models import Task
from tests.api.conftest import assert_page, assert_problem

KPI = {"name": "Tỷ lệ hồ sơ", "unit": "%", "baseline": 40, "target": 70, "direction": "increase"}


@pytest.fixture
def pilot(org, make):
    return make.pilot(owner=org["lead"], unit_=org["dept"])


def test_kpis(org, api, pilot):
    response = api(org["lead"]).post(f"/pilots/{pilot.id}/kpis", json=KPI)
    assert response.status_code == 201, response.get_json()
    kpi = response.get_json()
    assert kpi | {"id": 0, "version": 0} == KPI | {
        "id": 0,
        "version": 0,
        "pilot_id": pilot.id,
    }
    items = assert_page(api(org["viewer"]).get(f"/pilots/{pilot.id}/kpis").get_json(), 2)
    assert kpi in items


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"baseline": 70}, "target"),
        # JSON carries types: a number sent as text is refused.
        ({"baseline": "70.0"}, "baseline"),
        ({"direction": "sideways"}, "direction"),
        ({"direction": None}, "direction"),
        ({"target": "nhiều"}, "target"),
        ({"baseline": "NaN"}, "baseline"),
        ({"baseline": "1e400"}, "baseline"),
        ({"name": ""}, "name"),
        ({"unit": "x" * 41}, "unit"),
    ],
)
def test_kpi_field_errors(org, api, pilot, change, field):
    response = api(org["lead"]).post(f"/pilots/{pilot.id}/kpis", json=KPI | change)
    assert_problem(response, 422, field)


@pytest.mark.parametrize("who", ["staff", "viewer"])
@pytest.mark.parametrize("what", ["kpis", "tasks"])
def test_adding_needs_an_editor(org, api, pilot, who, what):
    data = KPI if what == "kpis" else {"title": "Việc"}
    assert_problem(api(org[who]).post(f"/pilots/{pilot.id}/{what}", json=data), 403)


def test_tasks(org, api, make, pilot):
    data = {
        "title": "Tập huấn",
        "assignee": "staff@example.vn",
        "due_date": make.days(10).isoformat(),
        "priority": "high",
        "deliverable": "Danh sách học viên",
        "how": "Trực tuyến",
    }
    response = api(org["lead"]).post(f"/pilots/{pilot.id}/tasks", json=data)
    assert response.status_code == 201, response.get_json()
    task = response.get_json()
    assert {k: task[k] for k in data} == data
    assert task["status"] == "todo" and task["completed_at"] is None
    assert task in assert_page(api(org["viewer"]).get(f"/pilots/{pilot.id}/tasks").get_json(), 2)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"assignee": "ai@example.vn"}, "assignee"),
        ({"priority": "urgent"}, "priority"),
        ({"due_date": "2026-13-01"}, "due_date"),
        ({"title": ""}, "title"),
    ],
)
def test_task_field_errors(org, api, pilot, change, field):
    response = api(org["lead"]).post(f"/pilots/{pilot.id}/tasks", json={"title": "T"} | change)
    assert_problem(response, 422, field)


@pytest.fixture
def task(org, make, pilot):
    return make.task(pilot, assignee=org["staff"])


def test_the_assignee_finishes_with_a_note_but_may_not_move_the_due_date(org, api, make, task):
    moved = api(org["staff"]).patch(
        f"/tasks/{task.id}",
        json={
            "version": task.version,
            "due_date": make.days(30).isoformat(),
            "due_change_reason": "Chờ số liệu",
        },
    )
    assert_problem(moved, 403)
    response = api(org["staff"]).patch(
        f"/tasks/{task.id}",
        json={"version": task.version, "status": "done", "completion_note": "Đã nộp báo cáo"},
    )
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert data["status"] == "done" and data["completed_at"]
    assert data["completion_note"] == "Đã nộp báo cáo"
    assert data["due_date"] == task.due_date.isoformat()


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"due_date": "NEW", "due_change_reason": "Chờ số liệu"}, 403, None),
        ({"status": "finished"}, 422, "status"),
        ({"completion_note": ""}, 422, "completion_note"),
        ({"status": "cancelled", "reason": "Không cần"}, 403, None),
        ({"due_date": "mai"}, 422, "due_date"),
        ({"version": None}, 422, "version"),
        ({"version": 0}, 422, "version"),
        ({"version": 77}, 409, None),
        ({"title": "Đổi tên"}, 403, None),
    ],
)
def test_task_patch_refusals_change_nothing(org, api, make, task, change, status, field):
    before = (task.status, task.due_date, task.title, task.version)
    data = {"version": task.version, "status": "done"} | change
    if data.get("due_date") == "NEW":
        data["due_date"] = make.days(40).isoformat()
    response = api(org["staff"]).patch(f"/tasks/{task.id}", json=data)
    assert_problem(response, status, *([field] if field else []))
    db.session.expire_all()
    found = db.session.get(Task, task.id)
    assert (found.status, found.due_date, found.title, found.version) == before


@pytest.mark.parametrize("who", ["viewer", "lead_bn"])
def test_task_patch_by_others(org, api, task, who):
    response = api(org[who]).patch(f"/tasks/{task.id}", json={"version": 1, "status": "done"})
    assert_problem(response, 403 if who == "viewer" else 404)


@pytest.mark.parametrize("task_id", ["0", "999999", "abc", "99999999999999999999"])
def test_missing_task_is_404(org, api, task_id):
    assert_problem(api(org["admin"]).patch(f"/tasks/{task_id}", json={"version": 1}), 404)
