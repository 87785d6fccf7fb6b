"""API: the caller's notifications."""

from flask import request

from pilotmgr.api import ok, page_json, page_params, user
from pilotmgr.core.routes import Routes
from pilotmgr.reminders import notifications
from pilotmgr.reminders.events import absolute

#: Attached to the API blueprint by the app factory.
routes = Routes()


def notification_json(n) -> dict:
    return {
        "id": n.id,
        "kind": n.kind,
        "title": n.title,
        "body": n.body,
        "url": absolute(n.url) if n.url else "",
        "created_at": n.created_at.isoformat(),
        "read": n.read_at is not None,
        "read_at": n.read_at.isoformat() if n.read_at else None,
    }


@routes.get("/notifications")
def list_notifications():
    page, per_page = page_params()
    unread = request.args.get("unread") in ("1", "true")
    found = notifications.list_notifications(user(), page, per_page, unread_only=unread)
    found.items = notifications.with_texts(found.items)
    data = page_json(found, notification_json)
    data["unread"] = notifications.unread_count(user())
    return data


@routes.post("/notifications/<notification_id>/read")
def read_notification(notification_id):
    note = notifications.mark_read(user(), notification_id)
    return ok(notification_json(notifications.with_texts([note])[0]))
