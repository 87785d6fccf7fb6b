"""Delivery: in-app notifications, e-mail through a real SMTP server, exactly once."""

import threading
from datetime import date, timedelta
from email import message_from_bytes, policy

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from pilotmgr.extensions import db
from pilotmgr.notices.outbox import send_outbox
from pilotmgr.reminders.digests import send_digests
from pilotmgr.reminders.models import Notification, OutboxMail, Reminder
from pilotmgr.reminders.service import scan
from tests.reminders.conftest import add_task, at


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _mails(smtp):
    return [
        message_from_bytes(m.original_content, policy=policy.default) for m in smtp.inbox.messages
    ]


def test_a_due_reminder_reaches_the_inbox_once_in_vietnamese(org, make, smtp):
    add_task(make, org, date(2027, 3, 17), title="Tập huấn kỹ năng số cho thành viên tổ")
    now = at("2027-03-16 08:30")

    scan(now)
    db.session.commit()
    first = send_outbox(now)
    scan(now)
    db.session.commit()
    second = send_outbox(now)

    assert first == {"sent": 1, "failed": 0} and second == {"sent": 0, "failed": 0}
    (mail,) = _mails(smtp)
    assert mail["To"] == org.staff.email
    assert mail["Subject"] == "Còn 1 ngày làm việc: Tập huấn kỹ năng số cho thành viên tổ"
    assert mail["Message-ID"].startswith("<reminder-")
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "Tập huấn kỹ năng số cho thành viên tổ" in text and "17/03/2027" in text
    assert f"/pilots/{org.pilot.id}#task-" in html


def test_an_english_speaker_gets_english(org, make, smtp):
    org.staff.lang = "en"
    db.session.commit()
    add_task(make, org, date(2027, 3, 17), title="Install QR codes")
    scan(at("2027-03-17 08:30"))
    db.session.commit()
    send_outbox(at("2027-03-17 08:31"))
    assert _mails(smtp)[0]["Subject"] == "Due today: Install QR codes"


def test_smtp_down_keeps_the_mail_queued_with_its_error_and_sends_it_once_when_back(
    org, make, smtp
):
    add_task(make, org, date(2027, 3, 17))
    now = at("2027-03-16 08:30")
    scan(now)
    db.session.commit()
    smtp.stop()

    down = send_outbox(now)
    queued = db.session.scalar(select(OutboxMail))
    assert down == {"sent": 0, "failed": 1}
    assert queued.status == "pending" and queued.attempts == 1 and queued.last_error
    assert queued.next_attempt_at > now
    assert send_outbox(now) == {"sent": 0, "failed": 0}  # not yet time to retry

    smtp.start()
    later = now + timedelta(minutes=5)
    assert send_outbox(later) == {"sent": 1, "failed": 0}
    assert send_outbox(later + timedelta(hours=1)) == {"sent": 0, "failed": 0}
    assert len(smtp.inbox.messages) == 1


def _scan_in_thread(app, now, errors):
    try:
        with app.app_context():
            scan(now)
            db.session.commit()
            db.session.remove()
    except Exception as exc:  # reported to the test below
        errors.append(exc)


@pytest.mark.commits
def test_two_scans_at_once_record_and_deliver_each_reminder_once(app, org, make):
    for n in range(20):
        add_task(make, org, date(2027, 3, 17), title=f"Nhiệm vụ {n}")
    now = at("2027-03-22 08:30")
    errors = []
    threads = [threading.Thread(target=_scan_in_thread, args=(app, now, errors)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    db.session.expire_all()
    assert errors == []
    # 20 overdue reminders to the assignee and 20 escalations to the department's head
    assert _count(Reminder) == 40
    assert _count(Reminder, Reminder.status == "sent") == 40
    assert _count(Notification) == 40
    assert _count(OutboxMail) == 40


@pytest.mark.commits
def test_two_senders_at_once_send_each_mail_once(app, org, make, smtp):
    for n in range(10):
        add_task(make, org, date(2027, 3, 17), title=f"Nhiệm vụ {n}")
    now = at("2027-03-17 08:30")
    scan(now)
    db.session.commit()
    errors = []

    def send():
        try:
            with app.app_context():
                send_outbox(now)
                db.session.remove()
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=send) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert len(smtp.inbox.messages) == 10


def test_a_digest_user_gets_one_mail_a_day_instead_of_each_reminder(org, make, smtp):
    org.staff.email_mode = "digest"
    db.session.commit()
    for n in range(3):
        add_task(make, org, date(2027, 3, 17), title=f"Nhiệm vụ {n}")
    scan(at("2027-03-16 08:30"))
    db.session.commit()
    assert _count(OutboxMail) == 0

    assert send_digests(at("2027-03-17 07:00")) == 0  # before 07:30
    send_digests(at("2027-03-17 07:31"))
    send_digests(at("2027-03-17 09:00"))
    db.session.commit()
    send_outbox(at("2027-03-17 09:00"))

    (mail,) = _mails(smtp)
    assert "3" in mail["Subject"]
    body = mail.get_body(("plain",)).get_content()
    assert all(f"Nhiệm vụ {n}" in body for n in range(3))


def test_e_mail_off_means_in_app_only(org, make, smtp):
    org.staff.email_mode = "off"
    db.session.commit()
    add_task(make, org, date(2027, 3, 17))
    scan(at("2027-03-16 08:30"))
    assert _count(Notification) == 1 and _count(OutboxMail) == 0


def test_notifications_page_badge_and_mark_read(org, make, login):
    add_task(make, org, date(2027, 3, 17), title="Lắp đặt mã QR")
    add_task(make, org, date(2027, 3, 18), title="Báo cáo tuần")
    scan(at("2027-03-16 08:30"))
    db.session.commit()
    client = login(org.staff)

    page = client.get("/my-work").get_data(as_text=True)
    assert 'id="unread-count"' in page and ">2</span>" in page
    listing = client.get("/notifications").get_data(as_text=True)
    assert "Lắp đặt mã QR" in listing
    note = db.session.scalar(select(Notification).order_by(Notification.id))
    client.post(f"/notifications/{note.id}/read", data={"csrf_token": client.csrf})
    assert ">1</span>" in client.get("/my-work").get_data(as_text=True)
    client.post("/notifications/read-all", data={"csrf_token": client.csrf})
    assert 'id="unread-count"' not in client.get("/my-work").get_data(as_text=True)


def test_notifications_api_shows_only_the_callers_own(org, make, api):
    add_task(make, org, date(2027, 3, 17))
    scan(at("2027-03-16 08:30"))
    db.session.commit()
    note = db.session.scalar(select(Notification))

    mine = api(org.staff).get("/notifications?unread=1").get_json()
    theirs = api(org.lead).post(f"/notifications/{note.id}/read")
    read = api(org.staff).post(f"/notifications/{note.id}/read")

    assert mine["total"] == 1 and mine["unread"] == 1
    assert theirs.status_code == 404
    assert read.status_code == 200 and read.get_json()["read"] is True
    assert api(org.staff).get("/notifications?unread=1").get_json()["total"] == 0
    assert api(org.staff).post("/notifications/abc/read").status_code == 404


def test_the_calendar_feed_lists_open_deadlines_and_parses(org, make, client, api):
    add_task(make, org, date(2027, 3, 17), title="Lắp đặt mã QR")
    done = add_task(make, org, date(2027, 3, 18), title="Đã xong")
    done.status = "done"
    db.session.commit()
    url = api(org.staff).get("/me").get_json()["calendar_url"]

    response = client.get(url.replace("http://localhost", ""))

    assert response.status_code == 200 and response.mimetype == "text/calendar"
    events = [e for e in Calendar.from_ical(response.data).walk("VEVENT")]
    assert [(str(e["summary"]), e.decoded("dtstart")) for e in events] == [
        ("Lắp đặt mã QR", date(2027, 3, 17))
    ]
    assert client.get("/calendar/not-a-secret.ics").status_code == 404


def test_a_due_date_stored_before_dates_were_bounded_still_gives_a_feed(org, make, client, api):
    add_task(make, org, date(9999, 12, 31), title="Hạn nhập nhầm")
    url = api(org.staff).get("/me").get_json()["calendar_url"]
    response = client.get(url.replace("http://localhost", ""))
    assert response.status_code == 200
    (event,) = Calendar.from_ical(response.data).walk("VEVENT")
    assert event.decoded("dtstart") == date(9999, 12, 31)


@pytest.mark.parametrize("moment", ["2027-03-16T08:30:00+07:00", "2027-03-16T08:30"])
def test_the_commands_take_a_simulated_now(org, make, runner, smtp, moment):
    add_task(make, org, date(2027, 3, 17))
    scanned = runner.invoke(args=["reminders", "scan", "--now", moment])
    again = runner.invoke(args=["reminders", "scan", "--now", moment])
    sent = runner.invoke(args=["outbox", "send", "--now", moment])
    assert "1 reminders planned, 1 delivered" in scanned.output
    assert "0 reminders planned" in again.output
    assert "1 sent" in sent.output
    bad = runner.invoke(args=["reminders", "scan", "--now", "tomorrow"])
    assert bad.exit_code != 0 and "ISO" in bad.output
