"""API: a pilot's discussion (`GET, POST /api/v1/pilots/{pilot_id}/comments`)."""

from __future__ import annotations

from flask import request

from pilotmgr.api import body, created
from pilotmgr.api import user as caller
from pilotmgr.api.openapi import page_of
from pilotmgr.auth.service import email_of
from pilotmgr.core import output as o
from pilotmgr.core.routes import Routes
from pilotmgr.discussion import service
from pilotmgr.pilots import service as pilots

#: Attached to the API blueprint by the app factory.
routes = Routes()


class CommentFileOut(o.Output):
    id = o.integer()
    filename = o.text()
    sha256 = o.text()


class CommentOut(o.Output):
    """A comment with its author's e-mail, the e-mails it mentions and its files (those not
    retracted). `files`: comment id → its files, when the caller read them already."""

    id = o.integer()
    pilot_id = o.integer()
    author = o.method("author_email", o.text())
    body = o.text()
    created_at = o.moment()
    mentions = o.method("mentioned", o.strings())
    files = o.method("shown_files", o.nested(CommentFileOut, many=True))

    def __init__(self, *args, files: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.files_by_comment = files

    def author_email(self, comment) -> str:
        # The thread loaded its authors: no query per comment.
        return email_of(comment.author_id)

    def mentioned(self, comment) -> list[str]:
        return service.mentioned_emails(comment.body)

    def shown_files(self, comment) -> list[dict]:
        if self.files_by_comment is None:
            files = service.files_of(comment)
        else:
            files = self.files_by_comment.get(comment.id, ())
        return CommentFileOut(many=True).dump([f for f in files if f.retracted_at is None])


@routes.get("/pilots/<pilot_id>/comments", out=page_of(CommentOut))
def list_comments(pilot_id):
    """The pilot's discussion, oldest first"""
    pilot = pilots.get_pilot(caller(), pilot_id)
    found = service.thread(caller(), pilot)
    items = CommentOut(many=True, files=found.files).dump(found.comments)
    return {"items": items, "total": len(items), "page": 1, "per_page": max(len(items), 1)}


@routes.post("/pilots/<pilot_id>/comments", body=service.CommentInput, out=CommentOut, status=201)
def post_comment(pilot_id):
    """Write in the pilot's discussion; @e-mail mentions notify (only people who may see the pilot)

    Multipart with `body` and one or more `file` parts attaches files.
    """
    pilot = pilots.get_pilot(caller(), pilot_id)
    comment = service.post_comment(caller(), pilot, body(), request.files.getlist("file"))
    return created(CommentOut().dump(comment))
