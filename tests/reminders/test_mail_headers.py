"""Headers every mail client reads right: subjects with their spaces, unique Message-IDs,
List-Unsubscribe with one click (RFC 8058), and a footer linking to the reader's settings."""

from datetime import date
from email import message_from_bytes, policy
from email.header import decode_header
from email.parser import BytesParser

import pytest
from sqlalchemy import select

from pilotmgr.extensions import db
from pilotmgr.notices.mail import message_id
from pilotmgr.notices.outbox import send_outbox
from pilotmgr.reminders.models import OutboxMail
from pilotmgr.reminders.service import scan
from tests.reminders.conftest import add_task, at

NOW = at("2027-03-16 08:30")
LONG_TITLES = [
    "tổng hợp tuần 49/2026 của Thành phố Hà Nội",
    "Báo cáo tổng hợp tuần 49/2026 của Thành phố Hà Nội về chuyển đổi số và thanh toán "
    "không dùng tiền mặt tại 12 quận huyện",
    "QR 12 Bắc Thành tuần Escalation tế Escalation Nội hợp 12 tuần tuần tổng hạn tổng "
    "pilotmgr: pilotmgr: Nội Hà",
    "Thành pilotmgr: đồng Ninh Y hợp vụ phố nhiệm 49/2026 phố Bắc 12 quá Bắc phố Sở 49/2026 12",
    "Lắp đặt mã QR tại 12 quầy thu phí của Sở Y tế Bắc Ninh, Sở Khoa học và Công nghệ Bắc "
    "Ninh và Ủy ban nhân dân huyện Gia Bình trước kỳ nghỉ Tết Nguyên đán",
]


def _raw_subject(raw: bytes) -> str:
    """The Subject header as it travelled, unfolded (CRLF + white space removed)."""
    header = message_from_bytes(raw, policy=policy.compat32)["Subject"]
    return str(header).replace("\r\n", "").replace("\n", "")


def _rfc2047_decode(value: str) -> str:
    # What RFC 2047 decoders do: white space between encoded-words is dropped, nothing added.
    return "".join(
        part.decode(charset or "ascii") if isinstance(part, bytes) else part
        for part, charset in decode_header(value)
    )


@pytest.mark.parametrize("title", LONG_TITLES)
def test_a_long_vietnamese_subject_keeps_its_spaces_in_every_decoder(org, make, smtp, title):
    add_task(make, org, date(2027, 3, 17), title=title)
    scan(NOW)
    db.session.commit()
    send_outbox(NOW)

    (envelope,) = smtp.inbox.messages
    raw = envelope.original_content
    expected = f"Còn 1 ngày làm việc: {title}"
    assert BytesParser(policy=policy.strict).parsebytes(raw)["Subject"] == expected
    assert _rfc2047_decode(_raw_subject(raw)) == expected
    assert all(len(line) <= 78 for line in raw.split(b"\r\n\r\n")[0].split(b"\r\n"))


def test_message_ids_name_the_installation_and_a_retry_keeps_the_same_id(org, make, smtp, app):
    app.config["PILOTMGR_BASE_URL"] = "https://thidiem.bacninh.gov.vn"
    add_task(make, org, date(2027, 3, 17))
    scan(NOW)
    db.session.commit()
    smtp.inbox.refuse[org.staff.email] = "451 4.3.0 Try again later"
    send_outbox(NOW)
    first_try = message_id(db.session.scalar(select(OutboxMail)))

    del smtp.inbox.refuse[org.staff.email]
    send_outbox(at("2027-03-16 09:30"))

    (envelope,) = smtp.inbox.messages
    header = message_from_bytes(envelope.original_content, policy=policy.strict)["Message-ID"]
    assert header == first_try
    local, domain = header.strip("<>").split("@")
    assert domain == "thidiem.bacninh.gov.vn"
    assert local.startswith("reminder-") and len(local.split(".")[-1]) == 16


def test_the_message_id_domain_can_be_set_and_differs_per_installation(org, make, smtp, app):
    app.config["MAIL_MESSAGE_ID_DOMAIN"] = "mail.pilotmgr.example"
    add_task(make, org, date(2027, 3, 17))
    scan(NOW)
    db.session.commit()
    send_outbox(NOW)
    mail = db.session.scalar(select(OutboxMail))
    token = mail.message_token

    assert message_id(mail) == f"<reminder-{mail.reminder_id}.{token}@mail.pilotmgr.example>"
    # The same reminder on another database (a rebuilt or second installation) gets another id.
    mail.message_token = None
    db.session.flush()
    assert message_id(mail) != f"<reminder-{mail.reminder_id}.{token}@mail.pilotmgr.example>"
    db.session.rollback()


def test_every_mail_offers_one_click_unsubscribe_and_links_its_footer_to_settings(org, make, smtp):
    add_task(make, org, date(2027, 3, 17))
    scan(NOW)
    db.session.commit()
    send_outbox(NOW)

    mail = message_from_bytes(smtp.inbox.messages[0].original_content, policy=policy.strict)
    unsubscribe = mail["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://127.0.0.1:5000/mail-settings/")
    assert unsubscribe.endswith("/unsubscribe>")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    settings = unsubscribe.strip("<>").removesuffix("/unsubscribe")
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert f"Cài đặt: {settings}" in text
    assert f'<a href="{settings}">Cài đặt</a>' in html
