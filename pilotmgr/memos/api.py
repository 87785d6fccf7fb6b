"""API: issue a memo, download its stored PDF."""

from __future__ import annotations

from flask import url_for

from pilotmgr.api import body, created, user
from pilotmgr.core import output as o
from pilotmgr.core.routes import Routes
from pilotmgr.memos import service
from pilotmgr.memos.views import pdf_response
from pilotmgr.pilots import service as pilots

#: Attached to the API blueprint by the app factory.
routes = Routes()


class MemoOut(o.Output):
    id = o.integer()
    number = o.text()
    sha256 = o.text()
    url = o.method("pdf_url", o.text())

    def pdf_url(self, memo) -> str:
        return url_for("api.memo_pdf", memo_id=memo.id)


@routes.post("/pilots/<pilot_id>/memos", body=service.IssueInput, out=MemoOut, status=201)
def issue_memo(pilot_id):
    """Issue a decision memo (PDF frozen with its number and SHA-256)

    reissue_of re-issues a memo with the recorded decision filled in.
    """
    pilot = pilots.pilot_detail(user(), pilot_id)
    return created(MemoOut().dump(service.issue(user(), pilot, body())))


@routes.get("/memos/<memo_id>.pdf", produces=("application/pdf",))
def memo_pdf(memo_id):
    """An issued memo's stored PDF bytes"""
    return pdf_response(service.get_memo(user(), memo_id))
