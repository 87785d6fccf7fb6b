"""API: issue a memo, download its stored PDF."""

from __future__ import annotations

from flask import url_for

from pilotmgr.api import body, created, user
from pilotmgr.core.routes import Routes
from pilotmgr.memos import service
from pilotmgr.memos.views import pdf_response
from pilotmgr.pilots import service as pilots

#: Attached to the API blueprint by the app factory.
routes = Routes()


@routes.post("/pilots/<pilot_id>/memos")
def issue_memo(pilot_id):
    pilot = pilots.pilot_detail(user(), pilot_id)
    memo = service.issue(user(), pilot, body())
    return created(
        {
            "id": memo.id,
            "number": memo.number,
            "sha256": memo.sha256,
            "url": url_for("api.memo_pdf", memo_id=memo.id),
        }
    )


@routes.get("/memos/<memo_id>.pdf")
def memo_pdf(memo_id):
    return pdf_response(service.get_memo(user(), memo_id))
