"""The weekly leader digest: once per head per ISO week, through a real SMTP server, with a
one-page PDF a reader can open; a head who switched it off gets none."""

import io
from datetime import datetime
from email import message_from_bytes, policy

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from pilotmgr.dashboard.digest import queue_leader_digests
from pilotmgr.extensions import db
from pilotmgr.notices.outbox import send_outbox
from pilotmgr.reminders.models import OutboxMail
from tests.dashboard.conftest import ZONE
from tests.reminders.conftest import smtp  # noqa: F401  (the real SMTP server fixture)

MONDAY = datetime(2027, 3, 15, 7, 30, tzinfo=ZONE)


def _mails(server):
    return [
        message_from_bytes(m.original_content, policy=policy.default) for m in server.inbox.messages
    ]


def _queue_and_send(now, **kw):
    queued = queue_leader_digests(now, **kw)
    db.session.commit()
    send_outbox(now)
    return queued


def test_each_head_gets_one_digest_a_week_with_a_readable_pdf(world, smtp):  # noqa: F811
    assert _queue_and_send(MONDAY) == 3
    assert _queue_and_send(MONDAY.replace(hour=9)) == 0
    assert _queue_and_send(MONDAY.replace(day=17), force=True) == 0  # same ISO week
    mails = {m["To"]: m for m in _mails(smtp)}
    assert sorted(mails) == ["head@p.gov.vn", "head@pd.gov.vn", "head@q.gov.vn"]
    mail = mails["head@p.gov.vn"]
    assert "Tỉnh Bắc Ninh" in mail["Subject"] and "11" in mail["Subject"]
    text = mail.get_body(("plain",)).get_content()
    assert "Lắp đặt máy tính tiền" in text  # what is late
    # Nothing of Quảng Ninh's own pilot; its target of Bắc Ninh's pilot p4 is Bắc Ninh's to see.
    assert "Sổ sức khỏe điện tử" not in text and "Tuyên truyền tại Quảng Ninh" not in text
    assert "Tỉnh Quảng Ninh (Cao Thị Hạnh) — Thanh toán viện phí QR" in text
    (attachment,) = list(mail.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "pilotmgr-2027-W11.pdf"
    reader = PdfReader(io.BytesIO(attachment.get_content()))
    assert len(reader.pages) == 1
    page = reader.pages[0].extract_text()
    assert "Tỉnh Bắc Ninh" in page
    assert "Lắp đặt máy tính tiền" in page
    assert _queue_and_send(datetime(2027, 3, 22, 7, 45, tzinfo=ZONE)) == 3  # the next week


def test_nothing_is_sent_before_monday_0730_unless_forced(world, smtp):  # noqa: F811
    assert _queue_and_send(MONDAY.replace(hour=7, minute=29)) == 0
    assert _queue_and_send(datetime(2027, 3, 16, 9, 0, tzinfo=ZONE)) == 0
    assert _queue_and_send(datetime(2027, 3, 16, 9, 0, tzinfo=ZONE), force=True) == 3


def test_a_head_who_switched_it_off_gets_none(world, smtp, login):  # noqa: F811
    client = login(world.head_p)
    response = client.post(
        "/settings",
        data={
            "csrf_token": client.csrf,
            "lang": "vi",
            "email_mode": "single",
            "leader_digest": "0",
        },
    )
    assert response.status_code == 302
    assert _queue_and_send(MONDAY) == 2
    assert "head@p.gov.vn" not in {m["To"] for m in _mails(smtp)}


@pytest.mark.commits
def test_two_runs_at_once_queue_one_mail_per_head(app, world):
    import threading

    results = []

    def run():
        with app.app_context():
            results.append(queue_leader_digests(MONDAY))
            db.session.commit()
            db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = db.session.scalar(select(func.count()).select_from(OutboxMail))
    assert total == 3 and sum(results) == 3


def test_the_cli_sends_now(world, smtp, runner):  # noqa: F811
    result = runner.invoke(args=["digest", "send", "--now", "--email", "head@q.gov.vn"])
    assert result.exit_code == 0, result.output
    assert "digests queued: 1" in result.output
    assert [m["To"] for m in _mails(smtp)] == ["head@q.gov.vn"]


def test_the_scheduler_runs_it_on_monday_mornings():
    from pilotmgr.reminders.scheduler import JOBS

    (job,) = [j for j in JOBS if j[0] == "leader-digest"]
    assert job[3] == {"day_of_week": "mon", "hour": 7, "minute": 30}
