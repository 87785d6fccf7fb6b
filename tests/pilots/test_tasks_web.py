"""Task forms in the browser's place: posted as the pages post them (CSRF token included), a
failed one comes back with what was typed and the message beside its field, in Vietnamese."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from pilotmgr.extensions import db
from pilotmgr.pilots.models import Task, TaskDueRequest
from pilotmgr.results.models import Evidence
from tests.pilots.tasks_org import task_org
from tests.pilots.test_tasks import PDF


@pytest.fixture
def org(make):
    return task_org(make)


def _task(task_id) -> Task:
    db.session.expire_all()
    return db.session.get(Task, task_id)


def _field_error(html: str, field_id: str) -> str:
    """The message shown beside the field with this id (aria-describedby → the error div)."""
    match = re.search(
        rf'<div class="invalid-feedback[^"]*" id="{field_id}-error">([^<]*)</div>', html
    )
    assert match, f"no error beside #{field_id}"
    return match.group(1)


def test_staff_saves_the_task_status_from_the_pilot_page(org, login):
    """The bug of issue 15: the page posts its CSRF token and the assignee got 403."""
    client = login(org.staff)
    page = client.get(f"/pilots/{org.pilot.id}").get_data(as_text=True)
    assert f'id="task-status-{org.task.id}-status"' in page
    response = client.post(
        f"/pilots/tasks/{org.task.id}",
        data={"csrf_token": client.csrf, "status": "in_progress", "version": "1"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/pilots/{org.pilot.id}#task-{org.task.id}")
    assert _task(org.task.id).status == "in_progress"


def test_done_without_a_product_comes_back_on_my_work_with_the_message_beside_the_note(org, login):
    client = login(org.staff)
    response = client.post(
        f"/pilots/tasks/{org.task.id}/done",
        data={"csrf_token": client.csrf, "completion_note": "", "version": "1", "next": "my_work"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<title>Việc của tôi" in html
    message = _field_error(html, f"task-done-{org.task.id}-completion_note")
    assert message.startswith("Đã làm phải có sản phẩm")
    # The summary above the form names the field by its label, never by its code.
    assert f'href="#task-done-{org.task.id}-completion_note">Sản phẩm đã nộp</a>: Đã làm' in html
    assert _task(org.task.id).status == "todo"


def test_done_with_a_note_and_a_pdf_from_my_work(org, login):
    client = login(org.staff)
    response = client.post(
        f"/pilots/tasks/{org.task.id}/done",
        data={
            "csrf_token": client.csrf,
            "completion_note": "Đã tổng hợp 120 phiếu",
            "file": (io.BytesIO(PDF), "tong-hop.pdf"),
            "version": "1",
            "next": "my_work",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/my-work#task-{org.task.id}")
    task = _task(org.task.id)
    assert (task.status, task.completion_note) == ("done", "Đã tổng hợp 120 phiếu")
    evidence = db.session.scalar(select(Evidence))
    assert evidence.task_id == task.id and evidence.filename == "tong-hop.pdf"
    page = login(org.lead).get(f"/pilots/{org.pilot.id}").get_data(as_text=True)
    assert "Sản phẩm đã nộp: Đã tổng hợp 120 phiếu" in page
    assert f'href="/evidence/{evidence.id}">tong-hop.pdf</a>' in page


def test_a_wrong_due_date_in_a_request_keeps_what_was_typed(org, login):
    client = login(org.staff)
    response = client.post(
        f"/pilots/tasks/{org.task.id}/due-requests",
        data={
            "csrf_token": client.csrf,
            "new_due_date": "31/02/2027",
            "reason": "Chờ phiếu khảo sát",
            "next": "my_work",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    prefix = f"task-due-{org.task.id}-"
    assert _field_error(html, f"{prefix}new_due_date") == "Hãy nhập ngày theo dạng 31/12/2026."
    typed = re.search(rf'<input[^>]* id="{prefix}new_due_date"[^>]*>', html).group(0)
    assert 'value="31/02/2027"' in typed
    assert "Chờ phiếu khảo sát</textarea>" in html
    assert db.session.scalar(select(TaskDueRequest.id)) is None


def test_a_request_in_vietnamese_dates_reaches_the_owner_who_approves_it_from_my_work(
    org, login, make
):
    client = login(org.staff)
    new_due = make.days(40)
    response = client.post(
        f"/pilots/tasks/{org.task.id}/due-requests",
        data={
            "csrf_token": client.csrf,
            "new_due_date": new_due.strftime("%d/%m/%Y"),
            "reason": "Chờ phiếu khảo sát",
            "next": "my_work",
        },
    )
    assert response.status_code == 302
    found = db.session.scalar(select(TaskDueRequest))
    owner = login(org.lead)
    page = owner.get("/my-work").get_data(as_text=True)
    assert f'id="due-request-{found.id}"' in page
    assert "Vũ Thị Mai đề nghị lùi hạn" in page and "Chờ phiếu khảo sát" in page
    response = owner.post(
        f"/pilots/due-requests/{found.id}/decision",
        data={"csrf_token": owner.csrf, "decision": "approve", "comment": "", "next": "my_work"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/my-work#awaiting")
    assert _task(org.task.id).due_date == new_due


def test_the_owner_edits_a_task_and_a_blank_title_comes_back_on_the_pilot_page(org, login):
    client = login(org.lead)
    data = {
        "csrf_token": client.csrf,
        "title": "",
        "assignee": org.staff2.email,
        "due_date": org.task.due_date.strftime("%d/%m/%Y"),
        "priority": "high",
        "deliverable": "Báo cáo tổng hợp",
        "how": "",
        "due_change_reason": "",
        "version": "1",
    }
    failed = client.post(f"/pilots/tasks/{org.task.id}/edit", data=data)
    assert failed.status_code == 422
    html = failed.get_data(as_text=True)
    prefix = f"task-edit-{org.task.id}-"
    assert _field_error(html, f"{prefix}title") == "Trường này là bắt buộc."
    assert 'value="Báo cáo tổng hợp"' in html
    assert f'value="{org.staff2.email}"' in _tag(html, f"{prefix}assignee")
    ok = client.post(f"/pilots/tasks/{org.task.id}/edit", data=data | {"title": "Khảo sát 20 thôn"})
    assert ok.status_code == 302
    task = _task(org.task.id)
    assert (task.title, task.assignee_id, task.priority) == (
        "Khảo sát 20 thôn",
        org.staff2.id,
        "high",
    )


def test_a_new_task_takes_a_vietnamese_date_and_refuses_a_wrong_one_beside_the_field(org, login):
    client = login(org.lead)
    data = {
        "csrf_token": client.csrf,
        "title": "Tập huấn tổ công nghệ số",
        "assignee": org.staff2.email,
        "due_date": "32/12/2026",
        "priority": "normal",
        "deliverable": "Danh sách học viên",
        "how": "",
    }
    failed = client.post(f"/pilots/{org.pilot.id}/tasks", data=data)
    assert failed.status_code == 422
    html = failed.get_data(as_text=True)
    assert _field_error(html, "task-new-due_date") == "Hãy nhập ngày theo dạng 31/12/2026."
    assert 'value="Tập huấn tổ công nghệ số"' in html and '<details id="add-task" open>' in html
    ok = client.post(f"/pilots/{org.pilot.id}/tasks", data=data | {"due_date": "15/01/2027"})
    assert ok.status_code == 302
    task = db.session.scalar(select(Task).where(Task.title == "Tập huấn tổ công nghệ số"))
    assert task.due_date.isoformat() == "2027-01-15" and task.assignee_id == org.staff2.id


def test_cancelling_from_the_pilot_page_needs_a_reason(org, login):
    client = login(org.head)
    failed = client.post(
        f"/pilots/tasks/{org.task.id}/cancel",
        data={"csrf_token": client.csrf, "reason": "", "version": "1"},
    )
    assert failed.status_code == 422
    message = _field_error(failed.get_data(as_text=True), f"task-cancel-{org.task.id}-reason")
    assert message == "Trường này là bắt buộc."
    ok = client.post(
        f"/pilots/tasks/{org.task.id}/cancel",
        data={"csrf_token": client.csrf, "reason": "Trùng việc của Sở", "version": "1"},
    )
    assert ok.status_code == 302 and _task(org.task.id).status == "cancelled"


def test_the_pilot_page_offers_each_person_only_their_actions(org, login):
    staff_page = login(org.staff).get(f"/pilots/{org.pilot.id}").get_data(as_text=True)
    assert f"/pilots/tasks/{org.task.id}/done" in staff_page
    assert f"/pilots/tasks/{org.task.id}/due-requests" in staff_page
    assert f"/pilots/tasks/{org.task.id}/edit" not in staff_page
    assert f"/pilots/tasks/{org.task.id}/cancel" not in staff_page
    owner_page = login(org.lead).get(f"/pilots/{org.pilot.id}").get_data(as_text=True)
    assert f"/pilots/tasks/{org.task.id}/edit" in owner_page
    assert f"/pilots/tasks/{org.task.id}/due-requests" not in owner_page
    viewer_page = login(org.viewer).get(f"/pilots/{org.pilot.id}").get_data(as_text=True)
    assert f"/pilots/tasks/{org.task.id}" not in viewer_page
    assert "Khảo sát mức độ hài lòng" in viewer_page


def test_editing_a_task_of_someone_deactivated_keeps_them_assigned(org, login):
    org.staff.is_active_account = False
    db.session.commit()
    html = login(org.lead).get(f"/pilots/{org.pilot.id}").get_data(as_text=True)
    field = _tag(html, f"task-edit-{org.task.id}-assignee")
    assert f'value="{org.staff.email}"' in field and 'list="people"' in field
    # The list offers the people a task can be given to now; she is no longer among them.
    people = re.search(r'<datalist id="people">(.*?)</datalist>', html, re.S).group(1)
    assert org.staff.email not in people and org.staff2.email in people


def _tag(html: str, field_id: str) -> str:
    """The input element with that id."""
    return re.search(rf'<input[^>]* id="{field_id}"[^>]*>', html).group(0)
