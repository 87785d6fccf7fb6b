"""A user's notifications: list, count unread, mark read. Only ever the caller's own."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update

from pilotmgr.core import validate as v
from pilotmgr.core.clock import now
from pilotmgr.core.errors import NotFound
from pilotmgr.core.pagination import Page, paginate
from pilotmgr.core.query import Query
from pilotmgr.extensions import db
from pilotmgr.notices.events import compose
from pilotmgr.notices.messages import describe
from pilotmgr.reminders.models import Notification


class NotificationQuery(Query):
    """`?unread=1` (or true) keeps the unread ones only."""

    unread = v.boolean()


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
    from pilotmgr.core.validate import row_id

    note = db.session.get(Notification, n) if (n := row_id(notification_id)) else None
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


@dataclass
class NotificationView:
    """A notification with its text, composed now in the reader's language."""

    id: int
    kind: str
    created_at: object
    read_at: object
    title: str
    body: str
    url: str


def with_texts(notes: list[Notification]) -> list[NotificationView]:
    """Each notification with its text in the active language: a reminder's or an event's."""
    texts = describe([n.reminder_id for n in notes if n.reminder_id])
    views = []
    for n in notes:
        if n.reminder_id:
            text = texts.get(n.reminder_id)
            title, body, url = (text.title, text.body, text.url) if text else ("", "", "")
        else:
            title, body = compose(n.kind, n.params or {})
            url = n.url
        views.append(
            NotificationView(
                id=n.id,
                kind=n.kind,
                created_at=n.created_at,
                read_at=n.read_at,
                title=title,
                body=body,
                url=url,
            )
        )
    return views
