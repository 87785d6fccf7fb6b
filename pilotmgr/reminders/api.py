"""API: the caller's notifications."""

from flask import request

from pilotmgr.api import ok, page_json, page_params, user
from pilotmgr.core import output as o
from pilotmgr.core import validate as v
from pilotmgr.core.pagination import PageQuery
from pilotmgr.core.routes import Routes
from pilotmgr.notices import notifications
from pilotmgr.notices.events import absolute

#: Attached to the API blueprint by the app factory.
routes = Routes()


class NotificationOut(o.Output):
    id = o.integer()
    kind = o.text()
    title = o.text()
    body = o.text()
    url = o.method("address", o.text())
    created_at = o.moment()
    read = o.method("is_read", o.boolean())
    read_at = o.moment(null=True)

    def address(self, note) -> str:
        return absolute(note.url) if note.url else ""

    def is_read(self, note) -> bool:
        return note.read_at is not None


class NotificationPage(o.Output):
    """A page of the caller's notifications, and how many of all of them are unread."""

    items = o.nested(NotificationOut, many=True)
    total = o.integer()
    page = o.integer()
    per_page = o.integer()
    unread = o.integer()


@routes.get(
    "/notifications", query=(PageQuery, notifications.NotificationQuery), out=NotificationPage
)
def list_notifications():
    """The caller's notifications (?unread=1 for unread only)"""
    page, per_page = page_params()
    unread = v.parse_query(request.args, notifications.NotificationQuery)["unread"]
    found = notifications.list_notifications(user(), page, per_page, unread_only=bool(unread))
    found.items = notifications.with_texts(found.items)
    data = page_json(found, NotificationOut)
    data["unread"] = notifications.unread_count(user())
    return data


@routes.post("/notifications/<notification_id>/read", out=NotificationOut)
def read_notification(notification_id):
    """Mark one of the caller's notifications read"""
    note = notifications.mark_read(user(), notification_id)
    return ok(NotificationOut().dump(notifications.with_texts([note])[0]))
