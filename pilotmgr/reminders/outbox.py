"""Deliver queued e-mail over SMTP after the commit; failures wait and retry with backoff."""

from __future__ import annotations

import contextlib
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from pilotmgr.auth.models import User
from pilotmgr.core.clock import local_zone
from pilotmgr.core.clock import now as clock_now
from pilotmgr.extensions import db
from pilotmgr.reminders.messages import describe, mail_bodies, mail_domain, outbox_row, translator
from pilotmgr.reminders.models import Notification, OutboxMail
from pilotmgr.reminders.rules import DIGEST_AT
from pilotmgr.reminders.workdays import calendar_around

BATCH = 200
#: A mail left "sending" this long was claimed by a process that died; it may be tried again.
STUCK_AFTER = timedelta(minutes=15)
MAX_BACKOFF = timedelta(hours=6)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after each failure, at most six hours."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def send_outbox(now: datetime | None = None, limit: int = 1000) -> dict:
    """Send every due mail once; commits per mail because SMTP cannot roll back."""
    now = now or clock_now()
    sent = failed = 0
    while sent + failed < limit:
        ids = db.session.scalars(
            select(OutboxMail.id)
            .where(
                or_(
                    and_(OutboxMail.status == "pending", OutboxMail.next_attempt_at <= now),
                    and_(OutboxMail.status == "sending", OutboxMail.claimed_at < now - STUCK_AFTER),
                )
            )
            .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
            .limit(min(BATCH, limit - sent - failed))
        ).all()
        if not ids:
            break
        mine = [i for i in ids if _claim(i, now)]
        db.session.commit()
        if not mine:
            continue
        s, f = _send_claimed(mine, now)
        sent, failed = sent + s, failed + f
        if f and not s:
            break  # the server is down: leave the rest for the next run
    return {"sent": sent, "failed": failed}


def _claim(mail_id: int, now: datetime) -> bool:
    """pending → sending for exactly one process (a conditional UPDATE)."""
    result = db.session.execute(
        update(OutboxMail)
        .where(
            OutboxMail.id == mail_id,
            or_(
                OutboxMail.status == "pending",
                and_(OutboxMail.status == "sending", OutboxMail.claimed_at < now - STUCK_AFTER),
            ),
        )
        .values(status="sending", claimed_at=now),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount == 1


def _send_claimed(ids: list[int], now: datetime) -> tuple[int, int]:
    mails = db.session.scalars(select(OutboxMail).where(OutboxMail.id.in_(ids))).all()
    _compose_reminder_mails(mails)
    sent = failed = 0
    try:
        smtp = _connect()
    except (OSError, smtplib.SMTPException) as exc:
        for mail in mails:
            _failed(mail, now, exc)
        db.session.commit()
        return 0, len(mails)
    try:
        for mail in mails:
            try:
                smtp.send_message(build_message(mail))
            except (OSError, smtplib.SMTPException) as exc:
                _failed(mail, now, exc)
                failed += 1
            else:
                mail.status, mail.sent_at, mail.last_error = "sent", clock_now(), ""
                mail.attempts += 1
                sent += 1
            db.session.commit()
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            smtp.quit()
    return sent, failed


def _compose_reminder_mails(mails: list[OutboxMail]) -> None:
    """A reminder's mail gets its texts when first sent, in the recipient's language."""
    todo = [m for m in mails if m.reminder_id and not m.text_body]
    if not todo:
        return
    texts = describe([m.reminder_id for m in todo])
    users = {
        u.id: u
        for u in db.session.scalars(select(User).where(User.id.in_({m.user_id for m in todo})))
    }
    for mail in todo:
        text, user = texts.get(mail.reminder_id), users.get(mail.user_id)
        if text is None or user is None:
            continue
        with force_locale(user.lang):
            body_text, body_html = mail_bodies(
                translator(), user.name, text.title, text.body, text.url
            )
        mail.subject, mail.text_body, mail.html_body = text.title[:500], body_text, body_html
    db.session.flush()


def _failed(mail: OutboxMail, now: datetime, exc: Exception) -> None:
    mail.attempts += 1
    mail.status = "pending"
    mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    mail.next_attempt_at = now + backoff(mail.attempts)


def _connect() -> smtplib.SMTP:
    config = current_app.config
    smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20)
    if config.get("MAIL_USE_TLS"):
        smtp.starttls()
    if config.get("MAIL_USERNAME"):
        smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    return smtp


def build_message(mail: OutboxMail) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = mail.subject
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = mail.to_addr
    message["Message-ID"] = mail.message_id
    message["Date"] = format_datetime(mail.created_at)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(mail.text_body)
    message.add_alternative(mail.html_body, subtype="html")
    # Attachments live in their own table (the leader digest's PDF); see attachments.py.
    from pilotmgr.reminders.attachments import attach_files

    attach_files(message, mail.id)
    return message


def send_digests(now: datetime | None = None) -> int:
    """On a working day after 07:30, queue one mail per digest user with the last day's news."""
    now = now or clock_now()
    local_now = now.astimezone(local_zone())
    today = local_now.date()
    if local_now.time() < DIGEST_AT or not calendar_around(today).is_working(today):
        return 0
    since = now - timedelta(days=1)
    notes = db.session.execute(
        select(Notification, User)
        .join(User, User.id == Notification.user_id)
        .where(User.email_mode == "digest", Notification.created_at > since)
        .order_by(Notification.user_id, Notification.created_at)
    ).all()
    per_user: dict[int, tuple[User, list[Notification]]] = {}
    for note, user in notes:
        per_user.setdefault(user.id, (user, []))[1].append(note)
    from pilotmgr.reminders.notifications import with_texts

    base = current_app.config["PILOTMGR_BASE_URL"].rstrip("/")
    rows = []
    for user, items in per_user.values():
        with force_locale(user.lang):
            tr = translator()
            subject = tr("pilotmgr: %(n)s reminders for today") % {"n": len(items)}
            body = tr("Your deadlines and decisions as of %(day)s:") % {
                "day": today.strftime("%d/%m/%Y")
            }
            key = f"digest-{user.id}-{today.isoformat()}@{mail_domain()}"
            url = f"{base}/notifications"
            rows.append(outbox_row(tr, user, subject, body, url, key, now, with_texts(items)))
    queued = set(
        db.session.scalars(
            select(OutboxMail.message_id).where(
                OutboxMail.message_id.in_([r["message_id"] for r in rows])
            )
        )
    )
    rows = [r for r in rows if r["message_id"] not in queued]
    if not rows:
        return 0
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    db.session.connection().execute(
        dialect.insert(OutboxMail.__table__).on_conflict_do_nothing(index_elements=["message_id"]),
        rows,
    )
    return len(rows)


def outbox_counts() -> dict[str, int]:
    return dict(
        db.session.execute(
            select(OutboxMail.status, func.count()).group_by(OutboxMail.status)
        ).all()
    )
