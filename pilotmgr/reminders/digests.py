"""The daily digest: on each working day from 07:30, one mail per digest reader.

Each notification goes out in exactly one digest: it is made waiting (`digest_due`) for a
digest reader, and the digest that carries it clears the mark in the same transaction. So
Friday afternoon's, the weekend's and a holiday week's items go out on the next working
day, and a digest sent late in the morning does not repeat itself the day after.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from pilotmgr.auth.models import User
from pilotmgr.core.clock import local_zone
from pilotmgr.core.clock import now as clock_now
from pilotmgr.extensions import db
from pilotmgr.notices.messages import mail_domain, outbox_row, translator
from pilotmgr.notices.rules import DIGEST_AT
from pilotmgr.notices.workdays import calendar_around
from pilotmgr.reminders.models import Notification, OutboxMail


def digest_key(user_id: int, day) -> str:
    return f"<digest-{user_id}-{day.isoformat()}@{mail_domain()}>"


def is_due(now: datetime) -> bool:
    local = now.astimezone(local_zone())
    return local.time() >= DIGEST_AT and calendar_around(local.date()).is_working(local.date())


def waiting(now: datetime) -> dict[int, tuple[User, list[Notification]]]:
    """Each digest reader with the notifications waiting for their digest, oldest first."""
    rows = db.session.execute(
        select(Notification, User)
        .join(User, User.id == Notification.user_id)
        .where(
            Notification.digest_due,
            Notification.created_at <= now,
            User.email_mode == "digest",
            User.is_active_account,
        )
        .order_by(Notification.user_id, Notification.created_at, Notification.id)
    ).all()
    per_user: dict[int, tuple[User, list[Notification]]] = {}
    for note, user in rows:
        per_user.setdefault(user.id, (user, []))[1].append(note)
    return per_user


def send_digests(now: datetime | None = None) -> int:
    """Queue today's digest for every reader with something waiting; returns how many."""
    now = now or clock_now()
    if not is_due(now):
        return 0
    today = now.astimezone(local_zone()).date()
    per_user = waiting(now)
    keys = {user_id: digest_key(user_id, today) for user_id in per_user}
    # Today's digest already went (a second run, or a send after 07:30): the rest waits.
    done = set(
        db.session.scalars(
            select(OutboxMail.message_id).where(OutboxMail.message_id.in_(list(keys.values())))
        )
    )
    queued = 0
    for user_id, (user, notes) in per_user.items():
        if keys[user_id] not in done and _queue(user, notes, keys[user_id], today, now):
            queued += 1
    db.session.flush()
    return queued


def _queue(user: User, notes: list[Notification], key: str, today, now: datetime) -> bool:
    from pilotmgr.notices.notifications import with_texts

    base = current_app.config["PILOTMGR_BASE_URL"].rstrip("/")
    with force_locale(user.lang):
        tr = translator()
        subject = tr("pilotmgr: %(n)s reminders for today") % {"n": len(notes)}
        body = tr("Your deadlines and decisions as of %(day)s:") % {
            "day": today.strftime("%d/%m/%Y")
        }
        row = outbox_row(
            tr,
            user,
            subject,
            body,
            f"{base}/notifications",
            key.strip("<>"),
            now,
            with_texts(notes),
        )
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    # A concurrent run inserts nothing and gets no id back: only one digest carries the notes.
    mail_id = db.session.execute(
        dialect.insert(OutboxMail.__table__)
        .values(**row)
        .on_conflict_do_nothing(index_elements=["message_id"])
        .returning(OutboxMail.__table__.c.id)
    ).scalar()
    if mail_id is None:
        return False
    db.session.execute(
        update(Notification)
        .where(Notification.id.in_([n.id for n in notes]))
        .values(digest_due=False),
        execution_options={"synchronize_session": False},
    )
    return True
