"""One mail that fails never holds back the others: each is built and sent on its own."""

from datetime import date, timedelta
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select

from pilotmgr.extensions import db
from pilotmgr.notices.outbox import send_outbox
from pilotmgr.reminders.models import OutboxMail
from pilotmgr.reminders.service import scan
from tests.reminders.conftest import add_task, at

NOW = at("2027-03-16 08:30")


@pytest.fixture
def three_mails(org, make):
    """A reminder each for the staff member, the lead and the department head, queued."""
    for person in (org.staff, org.lead, org.head_department):
        add_task(make, org, date(2027, 3, 17), assignee=person, title=f"Việc của {person.name}")
    scan(NOW)
    db.session.commit()
    return org


def _delivered(smtp) -> dict[str, int]:
    counts: dict[str, int] = {}
    for envelope in smtp.inbox.messages:
        for address in envelope.rcpt_tos:
            counts[address] = counts.get(address, 0) + 1
    return counts


def _row(address: str) -> OutboxMail:
    db.session.expire_all()
    return db.session.scalar(select(OutboxMail).where(OutboxMail.to_addr == address))


def _send_for_a_day(start):
    """The scheduler's minute job, every few minutes for a day."""
    for minutes in range(0, 24 * 60, 7):
        send_outbox(start + timedelta(minutes=minutes))


def test_a_stored_title_with_a_line_break_is_sent_on_one_line_and_the_others_go_too(
    three_mails, make, smtp
):
    org = three_mails
    task = add_task(make, org, date(2027, 3, 17), assignee=org.staff, title="placeholder")
    # As stored before titles were cleaned on input (an Excel cell with Alt+Enter).
    task.title = "Tổng hợp\r\nbáo cáo tuần"
    db.session.commit()
    scan(NOW)
    db.session.commit()

    assert send_outbox(NOW) == {"sent": 4, "failed": 0}
    _send_for_a_day(NOW)

    assert _delivered(smtp) == {org.staff.email: 2, org.lead.email: 1, org.head_department.email: 1}
    subjects = {
        message_from_bytes(m.original_content, policy=policy.strict)["Subject"]
        for m in smtp.inbox.messages
    }
    assert "Còn 1 ngày làm việc: Tổng hợp báo cáo tuần" in subjects


def test_a_mail_that_cannot_be_built_is_failed_with_its_error_and_the_others_are_delivered(
    three_mails, smtp
):
    org = three_mails
    broken = _row(org.lead.email)
    broken.to_addr = "lead@bn.gov.vn\r\nBcc: everyone@example.org"
    db.session.commit()

    result = send_outbox(NOW)
    _send_for_a_day(NOW)

    assert result == {"sent": 2, "failed": 1}
    assert _delivered(smtp) == {org.staff.email: 1, org.head_department.email: 1}
    db.session.expire_all()
    failed = db.session.get(OutboxMail, broken.id)
    assert failed.status == "failed" and failed.attempts == 1
    assert "ValueError" in failed.last_error


def test_a_5xx_refusal_fails_that_mail_for_good_and_the_others_are_delivered_once(
    three_mails, smtp
):
    org = three_mails
    smtp.inbox.refuse[org.lead.email] = "550 5.1.1 No such mailbox"

    assert send_outbox(NOW) == {"sent": 2, "failed": 1}
    _send_for_a_day(NOW)

    assert _delivered(smtp) == {org.staff.email: 1, org.head_department.email: 1}
    refused = _row(org.lead.email)
    assert refused.status == "failed" and refused.attempts == 1
    assert "550" in refused.last_error and "No such mailbox" in refused.last_error


def test_a_4xx_refusal_retries_later_and_is_delivered_once_the_server_takes_it(three_mails, smtp):
    org = three_mails
    smtp.inbox.refuse[org.lead.email] = "450 4.2.1 Mailbox busy, try later"

    assert send_outbox(NOW) == {"sent": 2, "failed": 1}
    waiting = _row(org.lead.email)
    assert waiting.status == "pending" and waiting.attempts == 1 and "450" in waiting.last_error
    assert waiting.next_attempt_at > NOW
    assert send_outbox(NOW) == {"sent": 0, "failed": 0}  # not yet its time

    del smtp.inbox.refuse[org.lead.email]
    _send_for_a_day(NOW + timedelta(minutes=1))

    assert _delivered(smtp) == {org.staff.email: 1, org.lead.email: 1, org.head_department.email: 1}
    assert _row(org.lead.email).status == "sent"


def test_an_outage_keeps_every_mail_queued_and_each_is_delivered_once_after_it(three_mails, smtp):
    org = three_mails
    smtp.stop()

    down = send_outbox(NOW)
    rows = db.session.scalars(select(OutboxMail)).all()
    assert down == {"sent": 0, "failed": 3}
    assert {(r.status, r.attempts) for r in rows} == {("pending", 1)}
    assert all("ConnectionRefusedError" in r.last_error for r in rows)

    smtp.start()
    _send_for_a_day(NOW + timedelta(minutes=2))

    assert _delivered(smtp) == {org.staff.email: 1, org.lead.email: 1, org.head_department.email: 1}
    assert {r.status for r in db.session.scalars(select(OutboxMail))} == {"sent"}


def test_a_mail_still_refused_after_many_retries_ends_as_failed(three_mails, smtp):
    org = three_mails
    smtp.inbox.refuse[org.lead.email] = "451 4.3.0 Temporary failure"

    for day in range(4):
        _send_for_a_day(NOW + timedelta(days=day))

    given_up = _row(org.lead.email)
    assert given_up.status == "failed" and "451" in given_up.last_error
    assert _delivered(smtp) == {org.staff.email: 1, org.head_department.email: 1}
