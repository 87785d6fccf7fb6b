"""Asking for a new due date: the assignee asks with a reason, the pilot's editors decide, the
due date moves only on approval, and everything is on record and told."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pilotmgr.core.audit import HistoryEntry
from pilotmgr.core.errors import PermissionDenied, ValidationFailed
from pilotmgr.extensions import db
from pilotmgr.pilots import due_requests
from pilotmgr.pilots.models import Task, TaskDueChange, TaskDueRequest
from pilotmgr.reminders.models import Notification
from tests.pilots.tasks_org import task_org


@pytest.fixture
def org(make):
    return task_org(make)


def _ask(org, make, days=30, reason="Chờ người dân trả phiếu sau Tết"):
    found = due_requests.request_due_date(
        org.staff, org.task, {"new_due_date": make.days(days), "reason": reason}
    )
    db.session.commit()
    return found


def _notes(kind):
    return list(db.session.scalars(select(Notification).where(Notification.kind == kind)))


def test_asking_records_a_pending_request_and_tells_the_owner(org, make):
    found = _ask(org, make)
    assert (found.status, found.old_due_date, found.new_due_date) == (
        "pending",
        make.days(14),
        make.days(30),
    )
    assert db.session.get(Task, org.task.id).due_date == make.days(14)  # not moved yet
    [note] = _notes("due_requested")
    assert note.user_id == org.lead.id
    assert note.params["due"] == make.days(30).isoformat()
    assert note.params["old_due"] == make.days(14).isoformat()
    assert note.params["reason"] == "Chờ người dân trả phiếu sau Tết"
    assert note.url == f"/my-work#due-request-{found.id}"
    entry = db.session.scalar(select(HistoryEntry).where(HistoryEntry.action == "due_request"))
    assert entry.comment == "Chờ người dân trả phiếu sau Tết"
    assert entry.after["title"] == org.task.title


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"new_due_date": "DAYS-30"}, "reason"),
        ({"reason": "Chậm"}, "new_due_date"),
        ({"new_due_date": "DAYS--1", "reason": "Chậm"}, "new_due_date"),
        ({"new_due_date": "DAYS-14", "reason": "Chậm"}, "new_due_date"),
        ({"new_due_date": "mai", "reason": "Chậm"}, "new_due_date"),
    ],
)
def test_a_request_needs_a_new_future_date_and_a_reason(org, make, data, field):
    data = {
        k: make.days(int(v.split("-", 1)[1])) if str(v).startswith("DAYS-") else v
        for k, v in data.items()
    }
    with pytest.raises(ValidationFailed) as refused:
        due_requests.request_due_date(org.staff, org.task, data)
    assert field in refused.value.errors
    db.session.rollback()
    assert db.session.scalar(select(TaskDueRequest.id)) is None


def test_one_request_at_a_time(org, make):
    _ask(org, make)
    with pytest.raises(ValidationFailed):
        _ask(org, make, days=40)


def test_only_the_assignee_asks_and_an_editor_changes_the_date_directly(org, make):
    with pytest.raises(PermissionDenied):
        due_requests.request_due_date(
            org.staff2, org.task, {"new_due_date": make.days(30), "reason": "Chậm"}
        )
    own = make.task(org.pilot, assignee=org.lead)
    with pytest.raises(ValidationFailed) as refused:
        due_requests.request_due_date(
            org.lead, own, {"new_due_date": make.days(30), "reason": "Chậm"}
        )
    assert "new_due_date" in refused.value.errors


def test_approval_moves_the_due_date_on_record_and_tells_the_assignee(org, make):
    found = _ask(org, make)
    due_requests.decide_due_request(
        org.lead, found, {"decision": "approve", "comment": "Hoàn thành trước Tết"}
    )
    db.session.commit()
    task = db.session.get(Task, org.task.id)
    assert task.due_date == make.days(30)
    assert (found.status, found.decided_by_id, found.decision_comment) == (
        "approved",
        org.lead.id,
        "Hoàn thành trước Tết",
    )
    change = db.session.scalar(select(TaskDueChange))
    assert (change.old_due_date, change.new_due_date) == (make.days(14), make.days(30))
    assert change.reason == "Chờ người dân trả phiếu sau Tết — Hoàn thành trước Tết"
    [note] = _notes("task_redated")
    assert note.user_id == org.staff.id and note.params["due"] == make.days(30).isoformat()


def test_a_head_above_may_decide_too(org, make):
    found = _ask(org, make)
    due_requests.decide_due_request(org.head, found, {"decision": "approve"})
    assert db.session.get(Task, org.task.id).due_date == make.days(30)


def test_declining_keeps_the_date_and_tells_the_requester_why(org, make):
    found = _ask(org, make)
    due_requests.decide_due_request(
        org.lead, found, {"decision": "decline", "comment": "Hạn báo cáo tỉnh không lùi được"}
    )
    db.session.commit()
    assert db.session.get(Task, org.task.id).due_date == make.days(14)
    assert found.status == "declined"
    [note] = _notes("due_declined")
    assert note.user_id == org.staff.id
    assert note.params["comment"] == "Hạn báo cáo tỉnh không lùi được"
    assert note.params["old_due"] == make.days(14).isoformat()
    entry = db.session.scalar(select(HistoryEntry).where(HistoryEntry.action == "due_decline"))
    assert entry.comment == "Hạn báo cáo tỉnh không lùi được"


def test_a_request_is_decided_once_and_only_by_an_editor(org, make):
    found = _ask(org, make)
    for who in (org.staff, org.staff2, org.viewer):
        with pytest.raises(PermissionDenied):
            due_requests.decide_due_request(who, found, {"decision": "approve"})
    with pytest.raises(ValidationFailed):
        due_requests.decide_due_request(org.lead, found, {"decision": "maybe"})
    due_requests.decide_due_request(org.lead, found, {"decision": "decline"})
    with pytest.raises(ValidationFailed) as refused:
        due_requests.decide_due_request(org.lead, found, {"decision": "approve"})
    assert "decision" in refused.value.errors


def test_a_request_on_a_task_that_closed_meanwhile_cannot_be_approved(org, make):
    from pilotmgr.pilots import tasks

    found = _ask(org, make)
    tasks.complete_task(org.staff, org.task, {"completion_note": "Đã xong sớm", "version": 1})
    with pytest.raises(ValidationFailed):
        due_requests.decide_due_request(org.lead, found, {"decision": "approve"})


def test_someone_who_cannot_see_the_pilot_cannot_find_the_request(org, make):
    from pilotmgr.core.errors import NotFound

    found = _ask(org, make)
    with pytest.raises(NotFound):
        due_requests.get_due_request(org.outsider, found.id)
    with pytest.raises(NotFound):
        due_requests.get_due_request(org.lead, 999_999)
