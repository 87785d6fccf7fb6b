"""API: the exports as files (`GET /api/v1/exports/{what}.{csv,xlsx}`)."""

from __future__ import annotations

from pilotmgr.api import user
from pilotmgr.core.routes import Routes
from pilotmgr.exports.views import export_response

#: Attached to the API blueprint by the app factory.
routes = Routes()


@routes.get("/exports/<what>.<fmt>")
def export_file(what, fmt):
    return export_response(user(), what, fmt)
