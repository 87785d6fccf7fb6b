"""A user's notifications: list, count unread, mark read. Only ever the caller's own."""

from __future__ import annotations

from sqlalchemy import func, select, update

from pilotmgr.core.clock import now
from pilotmgr.core.errors import NotFound
from pilotmgr.core.pagination import Page, paginate
from pilotmgr.extensions import db
from pilotmgr.reminders.models import Notification


def list_notifications(user, page: int, per_page: int, unread_only: bool = False) -> Page:
    query = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return paginate(
        query.order_by(Notification.created_at.desc(), Notification.id.desc()), page, per_page
    )


def unread_count(user) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def mark_read(user, notification_id) -> Notification:
    note = (
        db.session.get(Notification, int(notification_id))
        if str(notification_id).isdigit()
        else None
    )
    if note is None or note.user_id != user.id:
        raise NotFound()
    if note.read_at is None:
        note.read_at = now()
        db.session.flush()
    return note


def mark_all_read(user) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=now()),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount
