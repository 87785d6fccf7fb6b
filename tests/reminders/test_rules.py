"""Working days and the steps of each reminder chain."""

from datetime import date

import pytest
from sqlalchemy import select

from pilotmgr.extensions import db
from pilotmgr.notices.rules import DEFAULT_RULES, reference_day, task_step
from pilotmgr.notices.workdays import WorkCalendar, calendar_around
from pilotmgr.reminders.models import CalendarDay, Reminder
from pilotmgr.reminders.service import scan
from tests.reminders.conftest import add_task, at


def _steps(task=None):
    query = select(Reminder.kind, Reminder.step, Reminder.recipient_id).order_by(Reminder.id)
    if task is not None:
        query = query.where(Reminder.subject_type == "task", Reminder.subject_id == task.id)
    return [tuple(r) for r in db.session.execute(query)]


def test_weekends_and_tet_are_not_working_days():
    cal = WorkCalendar(date(2027, 1, 1), date(2027, 12, 31))
    assert not cal.is_working(date(2027, 2, 6))  # Tết Đinh Mùi
    assert not cal.is_working(date(2027, 2, 10))
    assert not cal.is_working(date(2027, 3, 13))  # a Saturday
    assert cal.is_working(date(2027, 2, 11))
    assert cal.shift(date(2027, 2, 11), -1) == date(2027, 2, 3)  # the day before Tết began
    assert cal.between(date(2027, 2, 3), date(2027, 2, 11)) == 1


def test_admins_days_off_and_make_up_days_change_the_calendar(app):
    db.session.add(CalendarDay(day=date(2027, 3, 15), working=False, note="Nghỉ bù"))
    db.session.add(CalendarDay(day=date(2027, 3, 13), working=True, note="Làm bù"))
    db.session.commit()
    cal = calendar_around(date(2027, 3, 1))
    assert not cal.is_working(date(2027, 3, 15))
    assert cal.is_working(date(2027, 3, 13))


@pytest.mark.parametrize(
    "moment, expected",
    [
        ("2027-03-08 07:59", None),  # before 08:00 on the 7th working day before
        ("2027-03-08 08:00", ("before", "b7")),
        ("2027-03-12 09:00", ("before", "b3")),
        ("2027-03-16 08:00", ("before", "b1")),
        ("2027-03-17 08:00", ("due", "due")),
        ("2027-03-18 08:00", ("overdue", "o1")),
        ("2027-03-19 10:00", ("overdue", "o1")),
        ("2027-03-22 08:00", ("overdue", "o2")),
        ("2027-03-24 08:00", ("overdue", "o3")),
    ],
)
def test_the_latest_due_step_of_a_task_chain(moment, expected):
    cal = WorkCalendar(date(2027, 1, 1), date(2027, 12, 31))
    due = date(2027, 3, 17)  # a Wednesday
    step = task_step(cal, due, reference_day(cal, at(moment)), DEFAULT_RULES)
    assert ((step.kind, step.step) if step else None) == expected


def test_each_step_is_recorded_once_at_its_moment(org, make):
    task = add_task(make, org, date(2027, 3, 17))
    for moment in ("2027-03-08 08:30", "2027-03-08 09:00", "2027-03-12 08:30", "2027-03-12 16:00"):
        scan(at(moment))
        db.session.commit()
    assert _steps(task) == [("before", "b7", org.staff.id), ("before", "b3", org.staff.id)]


def test_after_downtime_only_the_latest_step_is_sent(org, make):
    task = add_task(make, org, date(2027, 3, 17))
    scan(at("2027-03-08 08:30"))  # b7 sent, then the server is down for a week
    scan(at("2027-03-16 11:00"))
    db.session.commit()
    assert [s for _k, s, _r in _steps(task)] == ["b7", "b1"]


def test_nothing_is_sent_on_a_weekend_or_during_tet(org, make):
    add_task(make, org, date(2027, 2, 11))
    assert str(scan(at("2027-02-06 09:00"))).startswith("not a working day")
    assert str(scan(at("2027-03-13 09:00"))).startswith("not a working day")
    db.session.commit()
    assert _steps() == []
    scan(at("2027-02-11 08:05"))
    assert [(k, s) for k, s, _r in _steps()] == [("due", "due")]


def test_a_done_or_cancelled_task_and_a_closed_pilot_go_quiet(org, make):
    done = add_task(make, org, date(2027, 3, 17))
    done.status = "done"
    cancelled = add_task(make, org, date(2027, 3, 17))
    cancelled.status = "cancelled"
    db.session.commit()
    scan(at("2027-03-16 08:30"))
    assert _steps() == []
    live = add_task(make, org, date(2027, 3, 17))
    org.pilot.stage = "closed"
    db.session.commit()
    scan(at("2027-03-16 08:30"))
    assert _steps(live) == []


def test_a_scaled_pilot_goes_quiet_but_its_benefit_review_reminds(org, make):
    from datetime import UTC, datetime

    old = add_task(make, org, date(2027, 3, 17))
    org.pilot.stage = "scaled"
    org.pilot.stage_changed_at = datetime(2027, 1, 5, tzinfo=UTC)
    old.created_at = datetime(2027, 1, 4, tzinfo=UTC)
    db.session.commit()
    review = add_task(make, org, date(2027, 3, 17), assignee=org.lead, title="Đánh giá hiệu quả")
    review.created_at = datetime(2027, 1, 5, 1, tzinfo=UTC)
    db.session.commit()
    scan(at("2027-03-16 08:30"))
    assert _steps(old) == []
    assert _steps(review) == [("before", "b1", org.lead.id)]


def test_a_new_due_date_plans_again(org, make):
    task = add_task(make, org, date(2027, 3, 17))
    scan(at("2027-03-16 08:30"))
    task.due_date = date(2027, 3, 31)
    db.session.commit()
    scan(at("2027-03-22 08:30"))  # 7 working days before the new date
    assert [s for _k, s, _r in _steps(task)] == ["b1", "b7"]


def test_escalation_reaches_the_head_of_the_assignees_unit_once_and_nobody_else(org, make):
    task = add_task(make, org, date(2027, 3, 17))
    for moment in ("2027-03-22 08:30", "2027-03-23 08:30", "2027-03-24 08:30"):
        scan(at(moment))
    escalations = [(s, r) for k, s, r in _steps(task) if k == "escalation"]
    assert escalations == [("esc", org.head_department.id)]


def test_decisions_waiting_more_than_five_working_days_remind_the_heads_who_may_decide(org, make):
    proposed = make.pilot("proposed", owner=org.lead, unit_=org.department)
    proposed.stage_changed_at = at("2027-03-01 10:00")
    db.session.commit()
    scan(at("2027-03-08 09:00"))  # five working days later: not yet
    assert [r for r in _steps() if r[0] == "decision"] == []
    scan(at("2027-03-09 09:00"))
    recipients = {r for k, _s, r in _steps() if k == "decision"}
    assert recipients == {org.head_department.id, org.head_province.id}


def test_the_owner_hears_before_the_pilot_ends(org, make):
    org.pilot.end_date = date(2027, 3, 31)
    db.session.commit()
    scan(at("2027-03-17 09:00"))  # 10 working days before
    scan(at("2027-03-26 09:00"))  # 3 working days before
    ends = [(s, r) for k, s, r in _steps() if k == "pilot_end"]
    assert ends == [("e10", org.lead.id), ("e3", org.lead.id)]
