"""Deliver queued e-mail over SMTP after the commit, each mail on its own.

A mail that cannot be sent as it is (it cannot be built, or the server refuses it with a 5xx)
is marked failed with its error, for the admins' mail page; a temporary failure (no
connection, a 4xx) waits and retries with backoff. Either way the other mails go on.
"""

from __future__ import annotations

import contextlib
import secrets
import smtplib
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import and_, func, or_, select, update

from pilotmgr.auth.models import User
from pilotmgr.core.clock import now as clock_now
from pilotmgr.extensions import db
from pilotmgr.notices.mail import build_message
from pilotmgr.notices.mail_links import settings_url
from pilotmgr.notices.messages import describe, mail_bodies, translator
from pilotmgr.reminders.models import OutboxMail

BATCH = 200
#: A mail left "sending" this long was claimed by a process that died; it may be tried again.
STUCK_AFTER = timedelta(minutes=15)
MAX_BACKOFF = timedelta(hours=6)
#: After this many temporary failures (about a day and a half of retries) a mail is failed.
MAX_ATTEMPTS = 14


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after each failure, at most six hours."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _claimable(now: datetime):
    return or_(
        and_(OutboxMail.status == "pending", OutboxMail.next_attempt_at <= now),
        and_(OutboxMail.status == "sending", OutboxMail.claimed_at < now - STUCK_AFTER),
    )


def send_outbox(now: datetime | None = None, limit: int = 1000) -> dict:
    """Send every due mail once; commits per mail because SMTP cannot roll back."""
    now = now or clock_now()
    sent = failed = 0
    while sent + failed < limit:
        ids = db.session.scalars(
            select(OutboxMail.id)
            .where(_claimable(now))
            .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
            .limit(min(BATCH, limit - sent - failed))
        ).all()
        if not ids:
            break
        mine = [i for i in ids if _claim(i, now)]
        db.session.commit()
        if not mine:
            continue
        s, f, server_down = _send_claimed(mine, now)
        sent, failed = sent + s, failed + f
        if server_down:
            break  # the rest waits for the next run
    return {"sent": sent, "failed": failed}


def _claim(mail_id: int, now: datetime) -> bool:
    """pending → sending for exactly one process (a conditional UPDATE)."""
    result = db.session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == mail_id, _claimable(now))
        .values(status="sending", claimed_at=now),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount == 1


class _Connection:
    """One SMTP session for a batch, opened when first needed and again after a drop."""

    def __init__(self):
        self.smtp: smtplib.SMTP | None = None

    def get(self) -> smtplib.SMTP:
        if self.smtp is None:
            self.smtp = _connect()
        return self.smtp

    def close(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self.smtp.quit()
        self.smtp = None


def _send_claimed(ids: list[int], now: datetime) -> tuple[int, int, bool]:
    mails = db.session.scalars(
        select(OutboxMail).where(OutboxMail.id.in_(ids)).order_by(OutboxMail.id)
    ).all()
    _prepare(mails)
    sent = failed = 0
    down: _ServerDown | None = None
    connection = _Connection()
    try:
        for mail in mails:
            if mail.status != "sending":
                failed += 1  # could not be composed; already marked failed
            elif down is not None:
                _retry(mail, now, down.cause)
                failed += 1
            else:
                outcome = _send_one(connection, mail, now)
                sent, failed = sent + (outcome is None), failed + (outcome is not None)
                down = outcome if isinstance(outcome, _ServerDown) else None
            db.session.commit()
    finally:
        connection.close()
    return sent, failed, down is not None


class _ServerDown(Exception):
    """The SMTP server cannot be reached: every mail after this one waits too."""

    def __init__(self, cause: Exception):
        super().__init__(str(cause))
        self.cause = cause


def _send_one(connection: _Connection, mail: OutboxMail, now: datetime) -> Exception | None:
    """Send one mail and record the outcome on its row; the error if it was not sent."""
    try:
        message = build_message(mail)
    except Exception as exc:  # noqa: BLE001 — a mail that cannot be built never will be
        return _give_up(mail, exc)
    try:
        smtp = connection.get()
    except (OSError, smtplib.SMTPException) as exc:
        _retry(mail, now, exc)
        return _ServerDown(exc)
    try:
        smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _text in exc.recipients.values()]
        return _refused(mail, now, exc, min(codes, default=550))
    except smtplib.SMTPResponseException as exc:  # sender or data refused
        connection.close()  # a 421 closes the session; a fresh one costs little
        return _refused(mail, now, exc, exc.smtp_code)
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        connection.close()
        return _retry(mail, now, exc)
    except Exception as exc:  # noqa: BLE001 — e.g. an address the server cannot take
        return _give_up(mail, exc)
    mail.status, mail.sent_at, mail.last_error = "sent", clock_now(), ""
    mail.attempts += 1
    return None


def _refused(mail: OutboxMail, now: datetime, exc: Exception, code: int) -> Exception:
    if code >= 500:
        return _give_up(mail, exc)
    return _retry(mail, now, exc)


def _error_text(exc: Exception) -> str:
    """The server's own words where it gave some ("550 5.1.1 …"), for the admins' page."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        replies = [_reply(code, text) for code, text in exc.recipients.values()]
        text = "; ".join(replies)
    elif isinstance(exc, smtplib.SMTPResponseException):
        text = _reply(exc.smtp_code, exc.smtp_error)
    else:
        text = str(exc)
    return f"{type(exc).__name__}: {text}"[:2000]


def _reply(code: int, text) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {words}"


def _retry(mail: OutboxMail, now: datetime, exc: Exception) -> Exception:
    mail.attempts += 1
    if mail.attempts >= MAX_ATTEMPTS:
        return _give_up(mail, exc, counted=True)
    mail.status = "pending"
    mail.last_error = _error_text(exc)
    mail.next_attempt_at = now + backoff(mail.attempts)
    return exc


def _give_up(mail: OutboxMail, exc: Exception, counted: bool = False) -> Exception:
    if not counted:
        mail.attempts += 1
    mail.status = "failed"
    mail.last_error = _error_text(exc)
    return exc


def _prepare(mails: list[OutboxMail]) -> None:
    """Draw each Message-ID's random part and compose the reminders' texts, before sending.

    Committed first, so a mail sent twice (the process died after the server took it) keeps
    its Message-ID and the reader's client shows it once.
    """
    try:
        _compose_reminder_mails(mails)
    except Exception:  # noqa: BLE001 — find the one that fails, send the others
        db.session.rollback()
        for mail in mails:
            _compose_alone(mail)
    for mail in mails:
        if mail.status == "sending" and not mail.message_token:
            mail.message_token = secrets.token_hex(8)
    db.session.commit()


def _compose_alone(mail: OutboxMail) -> None:
    try:
        _compose_reminder_mails([mail])
        db.session.commit()
    except Exception as exc:  # noqa: BLE001 — recorded on the row for the admins
        db.session.rollback()
        _give_up(mail, exc)
        db.session.commit()


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
                translator(),
                user.name,
                text.title,
                text.body,
                text.url,
                settings=settings_url(user, mail.category),
            )
        mail.subject, mail.text_body, mail.html_body = text.title[:500], body_text, body_html
    db.session.flush()


def _connect() -> smtplib.SMTP:
    config = current_app.config
    smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20)
    if config.get("MAIL_USE_TLS"):
        smtp.starttls()
    if config.get("MAIL_USERNAME"):
        smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    return smtp


def outbox_counts() -> dict[str, int]:
    return dict(
        db.session.execute(
            select(OutboxMail.status, func.count()).group_by(OutboxMail.status)
        ).all()
    )
