"""The daily digest carries each notification exactly once, whatever the weekday or holiday."""

from datetime import timedelta
from email import message_from_bytes, policy

import pytest
import time_machine

from pilotmgr.extensions import db
from pilotmgr.notices.events import notify
from pilotmgr.notices.outbox import send_outbox
from pilotmgr.reminders.digests import send_digests
from tests.reminders.conftest import at


@pytest.fixture
def reader(org):
    org.staff.email_mode = "digest"
    db.session.commit()
    return org


def happens(org, moment: str, label: str) -> None:
    """Something the digest reader is told about, at that local moment."""
    with time_machine.travel(at(moment), tick=False):
        notify(
            "submitted", [org.staff], cause=label, actor=org.lead, pilot=org.pilot, comment=label
        )
        db.session.commit()


def digest_run(moment: str) -> int:
    """The scheduler's digest job at that local moment, then the outbox job."""
    with time_machine.travel(at(moment), tick=False):
        queued = send_digests()
        db.session.commit()
        send_outbox()
    return queued


def every_morning(first: str, days: int) -> None:
    start = at(f"{first} 07:30")
    for n in range(days):
        digest_run((start + timedelta(days=n)).strftime("%Y-%m-%d %H:%M"))


def carried(smtp) -> list[list[str]]:
    """The labels each delivered digest carried, in the order they were sent."""
    found = []
    for envelope in smtp.inbox.messages:
        text = message_from_bytes(envelope.original_content, policy=policy.default)
        body = text.get_body(("plain",)).get_content()
        found.append(sorted(w.strip("“”.") for w in body.split() if w.startswith("“item-")))
    return found


def test_fridays_items_after_the_send_and_the_weekends_go_out_on_monday(reader, smtp):
    happens(reader, "2027-03-18 10:00", "item-thursday")
    every_morning("2027-03-19", 1)  # Friday 07:30
    happens(reader, "2027-03-19 10:00", "item-friday")
    happens(reader, "2027-03-20 09:00", "item-saturday")
    happens(reader, "2027-03-21 20:00", "item-sunday")
    every_morning("2027-03-20", 3)  # Saturday, Sunday: nothing; Monday 07:30
    digest_run("2027-03-22 11:00")  # a second run on Monday sends nothing more

    assert carried(smtp) == [
        ["item-thursday"],
        ["item-friday", "item-saturday", "item-sunday"],
    ]


def test_a_tet_holiday_week_sends_nothing_until_the_first_working_day_then_everything(reader, smtp):
    # Tết 2027: Thursday 4 to Wednesday 10 February are days off.
    every_morning("2027-02-03", 1)
    happens(reader, "2027-02-03 15:00", "item-before")
    happens(reader, "2027-02-05 09:00", "item-eve")
    happens(reader, "2027-02-08 09:00", "item-holiday")

    for day in range(4, 11):
        assert digest_run(f"2027-02-{day:02d} 07:30") == 0
    assert digest_run("2027-02-11 07:30") == 1

    assert carried(smtp) == [["item-before", "item-eve", "item-holiday"]]


def test_a_late_send_does_not_repeat_next_morning_and_nothing_is_lost(reader, smtp):
    happens(reader, "2027-03-14 18:00", "item-sunday")
    every_morning("2027-03-15", 1)  # Monday 07:30
    happens(reader, "2027-03-15 12:00", "item-monday")
    happens(reader, "2027-03-16 09:00", "item-tuesday-early")
    digest_run("2027-03-16 10:00")  # the scheduler was down at 07:30; sent at 10:00
    happens(reader, "2027-03-16 11:00", "item-tuesday-late")
    every_morning("2027-03-17", 2)  # Wednesday, Thursday

    assert carried(smtp) == [
        ["item-sunday"],
        ["item-monday", "item-tuesday-early"],
        ["item-tuesday-late"],
    ]


def test_a_single_mail_reader_gets_each_item_on_its_own_and_no_digest(org, smtp):
    happens(org, "2027-03-19 10:00", "item-friday")
    every_morning("2027-03-20", 3)
    assert len(smtp.inbox.messages) == 1
    assert carried(smtp) == [["item-friday"]]
