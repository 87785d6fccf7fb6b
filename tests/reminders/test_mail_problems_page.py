"""Admins see the mail that failed or waits for a retry, with its error, and can queue it again."""

from datetime import date

import pytest
from sqlalchemy import select

from pilotmgr.extensions import db
from pilotmgr.notices.outbox import send_outbox
from pilotmgr.reminders.models import OutboxMail
from pilotmgr.reminders.service import scan
from tests.reminders.conftest import add_task, at

NOW = at("2027-03-16 08:30")


@pytest.fixture
def troubled(org, make, smtp):
    for person in (org.staff, org.lead, org.head_department):
        add_task(make, org, date(2027, 3, 17), assignee=person, title=f"Việc của {person.name}")
    scan(NOW)
    db.session.commit()
    smtp.inbox.refuse[org.staff.email] = "550 5.1.1 Hộp thư không tồn tại"
    smtp.inbox.refuse[org.lead.email] = "451 4.7.1 Greylisted, try again"
    send_outbox(NOW)
    org.admin = make.user("admin", org.province, email="admin@bn.gov.vn")
    db.session.commit()
    return org


def test_the_page_lists_failed_and_retrying_mail_with_its_error_in_vietnamese(troubled, login):
    html = login(troubled.admin).get("/admin/mail").get_data(as_text=True)
    assert "Thư chưa gửi được" in html
    assert troubled.staff.email in html and "550 5.1.1" in html and "Không gửi được" in html
    assert troubled.lead.email in html and "451 4.7.1" in html and "Đang thử lại" in html
    assert troubled.head_department.email not in html  # delivered


def test_the_page_is_in_english_for_an_english_admin(troubled, login):
    troubled.admin.lang = "en"
    db.session.commit()
    html = login(troubled.admin).get("/admin/mail").get_data(as_text=True)
    assert "Undelivered mail" in html and "Retrying" in html and "Failed" in html


@pytest.mark.parametrize("role", ["head", "lead", "staff"])
def test_only_admins_see_the_page(troubled, login, role):
    person = {"head": troubled.head_department, "lead": troubled.lead, "staff": troubled.staff}
    assert login(person[role]).get("/admin/mail").status_code == 403


def test_a_failed_mail_queued_again_is_delivered_once_the_cause_is_fixed(troubled, login, smtp):
    client = login(troubled.admin)
    failed = db.session.scalar(select(OutboxMail).where(OutboxMail.status == "failed"))
    del smtp.inbox.refuse[troubled.staff.email]

    response = client.post(f"/admin/mail/{failed.id}/retry", data={"csrf_token": client.csrf})
    assert response.status_code == 302
    assert (
        client.post("/admin/mail/999999/retry", data={"csrf_token": client.csrf}).status_code == 404
    )
    send_outbox(at("2027-03-16 08:40"))

    db.session.expire_all()
    assert db.session.get(OutboxMail, failed.id).status == "sent"
    assert sum(troubled.staff.email in m.rcpt_tos for m in smtp.inbox.messages) == 1
