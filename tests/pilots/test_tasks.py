"""Task rules: who may change what, the product of a finished task, re-dating and cancelling on
record, and who is told."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from pilotmgr.core.audit import HistoryEntry
from pilotmgr.core.errors import PermissionDenied, ValidationFailed
from pilotmgr.extensions import db
from pilotmgr.pilots import tasks
from pilotmgr.pilots.models import Task, TaskDueChange
from pilotmgr.reminders.models import Notification
from pilotmgr.results.models import Evidence
from tests.pilots.tasks_org import task_org

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def org(make):
    return task_org(make)


def _notes(kind: str | None = None) -> list[Notification]:
    query = select(Notification).order_by(Notification.id)
    if kind:
        query = query.where(Notification.kind == kind)
    return list(db.session.scalars(query))


def _history(task, action="update") -> list[HistoryEntry]:
    return list(
        db.session.scalars(
            select(HistoryEntry)
            .where(
                HistoryEntry.object_type == "task",
                HistoryEntry.object_id == task.id,
                HistoryEntry.action == action,
            )
            .order_by(HistoryEntry.id)
        )
    )


def _pdf(name="bao-cao.pdf") -> FileStorage:
    return FileStorage(io.BytesIO(PDF), filename=name, content_type="application/pdf")


# --- assigning -------------------------------------------------------------------------


def test_a_new_task_tells_its_assignee_and_not_the_actor(org, make):
    task = tasks.add_task(
        org.lead,
        org.pilot,
        {"title": "Tập huấn", "assignee": org.staff2.email, "due_date": make.days(5)},
    )
    db.session.commit()
    [note] = _notes("task_assigned")
    assert note.user_id == org.staff2.id
    assert note.params["task"] == "Tập huấn" and note.params["due"] == make.days(5).isoformat()
    assert note.url == f"/pilots/{org.pilot.id}#task-{task.id}"
    assert task.priority == "normal" and task.status == "todo"


def test_a_viewer_cannot_be_given_a_task(org):
    with pytest.raises(ValidationFailed) as refused:
        tasks.add_task(org.lead, org.pilot, {"title": "Đọc báo cáo", "assignee": org.viewer.email})
    assert "assignee" in refused.value.errors


def test_handing_a_task_over_tells_both_people(org):
    tasks.update_task(org.lead, org.task, {"assignee": org.staff2.email, "version": 1})
    db.session.commit()
    assert [n.user_id for n in _notes("task_assigned")] == [org.staff2.id]
    [gone] = _notes("task_unassigned")
    assert gone.user_id == org.staff.id and gone.params["assignee"] == "Ngô Văn Tùng"


# --- the assignee's work ---------------------------------------------------------------


def test_the_assignee_starts_the_task_and_nobody_else_is_told(org):
    tasks.update_task(org.staff, org.task, {"status": "in_progress", "version": 1})
    db.session.commit()
    assert org.task.status == "in_progress" and org.task.completed_at is None
    assert _notes() == []


def test_done_without_a_product_is_refused_where_a_deliverable_is_named(org):
    with pytest.raises(ValidationFailed) as refused:
        tasks.complete_task(org.staff, org.task, {"completion_note": "  ", "version": 1})
    assert refused.value.errors["completion_note"][0].startswith("Đã làm phải có sản phẩm")
    db.session.rollback()
    assert db.session.get(Task, org.task.id).status == "todo"


def test_done_with_a_note_keeps_the_note_and_the_moment(org):
    tasks.complete_task(org.staff, org.task, {"completion_note": "Đã nộp 120 phiếu", "version": 1})
    db.session.commit()
    assert org.task.status == "done" and org.task.completed_at is not None
    assert org.task.completion_note == "Đã nộp 120 phiếu"
    [entry] = _history(org.task)
    assert entry.after == {"status": "done", "completion_note": "Đã nộp 120 phiếu"}


def test_done_with_a_file_stores_it_as_the_tasks_evidence(org):
    tasks.complete_task(org.staff, org.task, {"completion_note": "", "file": _pdf(), "version": 1})
    db.session.commit()
    [found] = db.session.scalars(select(Evidence)).all()
    assert (found.task_id, found.pilot_id, found.filename) == (
        org.task.id,
        org.pilot.id,
        "bao-cao.pdf",
    )
    assert tasks.products(org.pilot.id) == {org.task.id: [found]}
    assert org.task.status == "done"


def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_changes(org):
    fake = FileStorage(io.BytesIO(b"MZ\x90\x00binary"), filename="bao-cao.pdf")
    with pytest.raises(ValidationFailed) as refused:
        tasks.complete_task(org.staff, org.task, {"file": fake, "version": 1})
    assert "file" in refused.value.errors
    db.session.rollback()
    assert db.session.scalar(select(Evidence.id)) is None


def test_a_task_without_a_deliverable_may_be_done_without_a_note(org, make):
    task = make.task(org.pilot, assignee=org.staff, deliverable="")
    tasks.update_task(org.staff, task, {"status": "done", "version": task.version})
    assert task.status == "done"


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Tên khác"},
        {"assignee": "tung@bacninh.gov.vn"},
        {"due_date": "2099-01-01", "due_change_reason": "Chậm"},
        {"status": "cancelled", "reason": "Không cần"},
    ],
)
def test_the_assignee_may_not_change_the_terms_of_the_task(org, change):
    before = (org.task.title, org.task.assignee_id, org.task.due_date, org.task.status)
    with pytest.raises(PermissionDenied):
        tasks.update_task(org.staff, org.task, change | {"version": 1})
    db.session.rollback()
    found = db.session.get(Task, org.task.id)
    assert (found.title, found.assignee_id, found.due_date, found.status) == before


def test_others_may_not_update_the_task(org):
    with pytest.raises(PermissionDenied):
        tasks.update_task(org.staff2, org.task, {"status": "in_progress", "version": 1})


# --- the editors' corrections ------------------------------------------------------------


def test_an_editor_moves_the_due_date_with_a_reason_on_record_and_the_assignee_is_told(org, make):
    old = org.task.due_date
    with pytest.raises(ValidationFailed) as refused:
        tasks.update_task(org.lead, org.task, {"due_date": make.days(30), "version": 1})
    assert "due_change_reason" in refused.value.errors
    db.session.rollback()

    tasks.update_task(
        org.lead,
        db.session.get(Task, org.task.id),
        {"due_date": make.days(30), "due_change_reason": "Chờ thiết bị", "version": 1},
    )
    db.session.commit()
    change = db.session.scalar(select(TaskDueChange))
    assert (change.old_due_date, change.new_due_date, change.reason) == (
        old,
        make.days(30),
        "Chờ thiết bị",
    )
    [note] = _notes("task_redated")
    assert note.user_id == org.staff.id
    assert note.params["due"] == make.days(30).isoformat()
    assert note.params["old_due"] == old.isoformat() and note.params["reason"] == "Chờ thiết bị"


def test_an_editor_edits_title_deliverable_how_and_priority_on_record(org):
    tasks.update_task(
        org.head,
        org.task,
        {
            "title": "Khảo sát 20 thôn",
            "deliverable": "Báo cáo tổng hợp",
            "how": "Phiếu giấy và trực tuyến",
            "priority": "high",
            "version": 1,
        },
    )
    db.session.commit()
    [entry] = _history(org.task)
    assert entry.before["title"] == "Khảo sát mức độ hài lòng"
    assert entry.after == {
        "title": "Khảo sát 20 thôn",
        "deliverable": "Báo cáo tổng hợp",
        "how": "Phiếu giấy và trực tuyến",
        "priority": "high",
    }
    assert _notes() == []  # same person, same date: nobody needs telling


def test_cancelling_needs_a_reason_and_tells_the_assignee(org):
    with pytest.raises(ValidationFailed) as refused:
        tasks.cancel_task(org.lead, org.task, {"reason": " ", "version": 1})
    assert "reason" in refused.value.errors
    db.session.rollback()

    task = db.session.get(Task, org.task.id)
    tasks.cancel_task(org.lead, task, {"reason": "Đã có số liệu của Cục Thống kê", "version": 1})
    db.session.commit()
    assert task.status == "cancelled"
    [entry] = _history(task)
    assert entry.comment == "Đã có số liệu của Cục Thống kê"
    [note] = _notes("task_cancelled")
    assert note.user_id == org.staff.id and note.params["reason"].startswith("Đã có số liệu")


def test_a_cancelled_task_is_closed_to_its_assignee(org):
    tasks.cancel_task(org.lead, org.task, {"reason": "Không cần nữa", "version": 1})
    with pytest.raises(ValidationFailed):
        tasks.update_task(org.staff, org.task, {"status": "in_progress", "version": 2})
    with pytest.raises(ValidationFailed):
        tasks.complete_task(org.staff, org.task, {"completion_note": "Xong", "version": 2})


def test_only_editors_cancel(org):
    with pytest.raises(PermissionDenied):
        tasks.cancel_task(org.staff, org.task, {"reason": "Không muốn làm", "version": 1})


def test_a_finished_task_is_reopened_before_it_can_be_cancelled(org):
    tasks.complete_task(org.staff, org.task, {"completion_note": "Xong", "version": 1})
    with pytest.raises(ValidationFailed):
        tasks.cancel_task(org.lead, org.task, {"reason": "Nhầm", "version": 2})
    tasks.update_task(org.lead, org.task, {"status": "in_progress", "version": 2})
    assert org.task.status == "in_progress" and org.task.completed_at is None
