"""API: a pilot's discussion (`GET, POST /api/v1/pilots/{id}/comments`)."""

from __future__ import annotations

from flask import request

from pilotmgr.api import body, created
from pilotmgr.api import user as caller
from pilotmgr.auth.models import User
from pilotmgr.core.routes import Routes
from pilotmgr.discussion import service
from pilotmgr.extensions import db
from pilotmgr.pilots import service as pilots

#: Attached to the API blueprint by the app factory.
routes = Routes()


def comment_json(comment, files=()) -> dict:
    author = db.session.get(User, comment.author_id)
    return {
        "id": comment.id,
        "pilot_id": comment.pilot_id,
        "author": author.email,
        "body": comment.body,
        "created_at": comment.created_at.isoformat(),
        "mentions": service.mentioned_emails(comment.body),
        "files": [
            {"id": f.id, "filename": f.filename, "sha256": f.sha256}
            for f in files
            if f.retracted_at is None
        ],
    }


@routes.get("/pilots/<pilot_id>/comments")
def list_comments(pilot_id):
    pilot = pilots.get_pilot(caller(), pilot_id)
    found = service.thread(caller(), pilot)
    items = [comment_json(c, found.files.get(c.id, ())) for c in found.comments]
    return {"items": items, "total": len(items), "page": 1, "per_page": max(len(items), 1)}


@routes.post("/pilots/<pilot_id>/comments")
def post_comment(pilot_id):
    """JSON `{"body"}`, or multipart with `body` and one or more `file`."""
    pilot = pilots.get_pilot(caller(), pilot_id)
    comment = service.post_comment(caller(), pilot, body(), request.files.getlist("file"))
    return created(comment_json(comment, service.files_of(comment)))
