"""Rollout targets remind like tasks: the person answerable for a unit, then their head."""

from datetime import date
from email import message_from_bytes, policy

import pytest
from icalendar import Calendar
from sqlalchemy import select, update

from pilotmgr.extensions import db
from pilotmgr.notices.outbox import send_outbox
from pilotmgr.pilots.models import Task
from pilotmgr.reminders.models import Reminder
from pilotmgr.reminders.service import scan
from pilotmgr.rollout.models import RolloutTarget
from tests.reminders.conftest import at

DUE = date(2027, 3, 17)  # a Wednesday


@pytest.fixture
def rollout(org, make):
    """A pilot rolling out, with nothing of its own that reminds (tests add the targets)."""
    pilot = make.pilot("rolling_out", owner=org.lead, unit_=org.department, title="Một cửa số")
    db.session.execute(update(Task).where(Task.pilot_id == pilot.id).values(status="done"))
    db.session.commit()
    return pilot


def add_target(make, org, pilot, due=DUE, wave=1, code="BNH-TC", name="Sở Tài chính Bắc Ninh"):
    unit = make.unit(code, name, parent=org.province)
    target = RolloutTarget(
        pilot_id=pilot.id,
        unit_id=unit.id,
        responsible_id=org.staff.id,
        due_date=due,
        status="in_progress",
        wave=wave,
    )
    db.session.add(target)
    db.session.commit()
    return target


def _steps(target=None):
    query = (
        select(Reminder.kind, Reminder.step, Reminder.recipient_id)
        .where(Reminder.subject_type == "rollout_target")
        .order_by(Reminder.id)
    )
    if target is not None:
        query = query.where(Reminder.subject_id == target.id)
    return [tuple(r) for r in db.session.execute(query)]


@pytest.mark.parametrize(
    "moment, expected",
    [
        ("2027-03-08 07:59", []),
        ("2027-03-08 08:30", [("before", "b7")]),
        ("2027-03-12 09:00", [("before", "b3")]),
        ("2027-03-16 08:30", [("before", "b1")]),
        ("2027-03-17 08:30", [("due", "due")]),
        ("2027-03-19 08:30", [("overdue", "o1")]),
        ("2027-03-23 08:30", [("overdue", "o2"), ("escalation", "esc")]),
    ],
)
def test_a_target_reminds_at_each_step_of_the_task_chain(org, make, rollout, moment, expected):
    target = add_target(make, org, rollout)
    scan(at(moment))
    db.session.commit()
    assert [(k, s) for k, s, _r in _steps(target)] == expected


def test_each_step_is_recorded_once_to_the_person_answerable(org, make, rollout):
    target = add_target(make, org, rollout)
    for moment in ("2027-03-08 08:30", "2027-03-08 10:00", "2027-03-17 08:30", "2027-03-17 16:00"):
        scan(at(moment))
        db.session.commit()
    assert _steps(target) == [("before", "b7", org.staff.id), ("due", "due", org.staff.id)]


def test_a_target_in_a_wave_not_yet_opened_gets_nothing_until_it_opens(org, make, rollout):
    target = add_target(make, org, rollout, wave=2)
    scan(at("2027-03-16 08:30"))
    db.session.commit()
    assert _steps() == []
    rollout.rollout_open_wave = 2
    db.session.commit()
    scan(at("2027-03-16 09:00"))
    assert _steps(target) == [("before", "b1", org.staff.id)]


def test_a_done_target_and_a_pilot_no_longer_rolling_out_go_quiet(org, make, rollout):
    done = add_target(make, org, rollout)
    done.status = "done"
    db.session.commit()
    scan(at("2027-03-16 08:30"))
    assert _steps() == []
    live = add_target(make, org, rollout, code="BNH-XD", name="Sở Xây dựng Bắc Ninh")
    rollout.stage = "scaled"
    db.session.commit()
    scan(at("2027-03-16 09:00"))
    assert _steps(live) == []


def test_a_new_due_date_plans_the_target_again(org, make, rollout):
    target = add_target(make, org, rollout)
    scan(at("2027-03-16 08:30"))
    target.due_date = date(2027, 3, 31)
    db.session.commit()
    scan(at("2027-03-22 08:30"))
    assert [s for _k, s, _r in _steps(target)] == ["b1", "b7"]


def test_escalation_reaches_the_head_of_the_responsible_persons_unit_once(org, make, rollout):
    target = add_target(make, org, rollout)
    for moment in ("2027-03-22 08:30", "2027-03-23 08:30", "2027-03-24 08:30", "2027-03-26 08:30"):
        scan(at(moment))
        db.session.commit()
    escalations = [(s, r) for k, s, r in _steps(target) if k == "escalation"]
    assert escalations == [("esc", org.head_department.id)]


def test_the_mail_names_the_unit_and_links_to_the_rollout_in_each_language(
    org, make, rollout, smtp
):
    add_target(make, org, rollout)
    scan(at("2027-03-16 08:30"))
    db.session.commit()
    send_outbox(at("2027-03-16 08:31"))
    org.staff.lang = "en"
    db.session.commit()
    scan(at("2027-03-17 08:30"))
    db.session.commit()
    send_outbox(at("2027-03-17 08:31"))

    vi, en = (
        message_from_bytes(m.original_content, policy=policy.default) for m in smtp.inbox.messages
    )
    assert vi["Subject"] == "Còn 1 ngày làm việc: phổ cập tại Sở Tài chính Bắc Ninh"
    assert en["Subject"] == "Due today: rollout in Sở Tài chính Bắc Ninh"
    text = vi.get_body(("plain",)).get_content()
    assert "Một cửa số" in text and "17/03/2027" in text
    assert f"/pilots/{rollout.id}#rollout" in en.get_body(("html",)).get_content()


def test_the_calendar_feed_lists_opened_targets(org, make, rollout, client, api):
    add_target(make, org, rollout)
    add_target(make, org, rollout, due=date(2027, 4, 1), wave=2, code="BNH-XD", name="Sở Xây dựng")
    url = api(org.staff).get("/me").get_json()["calendar_url"]

    response = client.get(url.replace("http://localhost", ""))

    events = Calendar.from_ical(response.data).walk("VEVENT")
    assert [(str(e["summary"]), e.decoded("dtstart")) for e in events] == [
        ("Phổ cập tại Sở Tài chính Bắc Ninh: Một cửa số", DUE)
    ]
    assert str(events[0]["url"]).endswith(f"/pilots/{rollout.id}#rollout")
