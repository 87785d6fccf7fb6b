"""Events reach each person once, in the app and by mail, in the reader's own language."""

import email
from email.policy import default as default_policy

from sqlalchemy import select

from pilotmgr.extensions import db
from pilotmgr.notices.events import notify
from pilotmgr.notices.outbox import send_outbox
from pilotmgr.reminders.models import Notification, OutboxMail


def _sent_back(org, cause="history-1", **to):
    notes = notify(
        "sent_back",
        to.get("recipients", [org.lead, org.head_province]),
        cause=cause,
        actor=org.head_province,
        pilot=org.pilot,
        comment="Bổ sung chỉ tiêu về thời gian xử lý.",
    )
    db.session.commit()
    return notes


def test_each_recipient_gets_one_notification_and_the_actor_none(app, org):
    _sent_back(org)
    rows = db.session.scalars(select(Notification)).all()
    assert [n.user_id for n in rows] == [org.lead.id]
    assert rows[0].url == f"/pilots/{org.pilot.id}"


def test_the_same_event_twice_is_refused_by_its_key(app, org):
    import pytest
    from sqlalchemy.exc import IntegrityError

    _sent_back(org)
    with pytest.raises(IntegrityError):
        _sent_back(org)
    db.session.rollback()
    assert db.session.query(Notification).count() == 1


def test_the_notification_reads_in_the_readers_language_with_the_comment(app, org, login):
    _sent_back(org)
    page = login(org.lead).get("/notifications").get_data(as_text=True)
    assert f"Trả lại để hoàn thiện: {org.pilot.title}" in page
    assert "Phạm Đức Long đã trả lại thí điểm" in page
    assert "Ý kiến: “Bổ sung chỉ tiêu về thời gian xử lý.”" in page


def test_a_mail_is_queued_for_those_who_want_each_mail_and_delivered(app, org, smtp):
    org.lead.email_mode = "single"
    db.session.commit()
    _sent_back(org)
    mail = db.session.scalars(select(OutboxMail)).one()
    assert mail.to_addr == org.lead.email
    assert send_outbox()["sent"] == 1
    message = email.message_from_bytes(smtp.inbox.messages[0].content, policy=default_policy)
    assert message["Subject"] == f"Trả lại để hoàn thiện: {org.pilot.title}"
    text = message.get_body(("plain",)).get_content()
    assert "Bổ sung chỉ tiêu" in text and f"/pilots/{org.pilot.id}" in text


def test_no_mail_for_those_who_chose_the_digest_or_none(app, org):
    org.lead.email_mode = "digest"
    db.session.commit()
    _sent_back(org)
    assert db.session.query(OutboxMail).count() == 0
    assert db.session.query(Notification).count() == 1


def test_an_english_reader_gets_english(app, org, login):
    org.lead.lang = "en"
    db.session.commit()
    _sent_back(org)
    page = login(org.lead).get("/notifications").get_data(as_text=True)
    assert f"Sent back for changes: {org.pilot.title}" in page


def test_a_deactivated_user_is_not_notified(app, org):
    org.lead.is_active_account = False
    db.session.commit()
    assert _sent_back(org) == []
