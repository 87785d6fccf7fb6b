"""API: the exports as files (`GET /api/v1/exports/{what}.{csv,xlsx}`)."""

from __future__ import annotations

from pilotmgr.api import bp, user
from pilotmgr.exports.views import export_response


@bp.get("/exports/<what>.<fmt>")
def export_file(what, fmt):
    return export_response(user(), what, fmt)
