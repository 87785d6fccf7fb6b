"""API: the exports as files (`GET /api/v1/exports/{what}.{fmt}`)."""

from __future__ import annotations

from flask import request

from pilotmgr.api import user
from pilotmgr.core import validate as v
from pilotmgr.core.routes import Routes
from pilotmgr.exports import service, writers
from pilotmgr.exports.views import export_response

#: Attached to the API blueprint by the app factory.
routes = Routes()


@routes.get(
    "/exports/<what>.<fmt>",
    query=service.ExportQuery,
    produces=tuple(kind.partition(";")[0] for kind in writers.MIME.values()),
    path={
        "what": {"type": "string", "enum": list(service.WHATS)},
        "fmt": {"type": "string", "enum": list(service.FORMATS)},
    },
)
def export_file(what, fmt):
    """A list as a file (CSV with BOM or XLSX): pilots, tasks, kpis, rollout-targets, scoreboard

    The same filters as the lists; only what the caller may see.
    """
    # Malformed or unknown filters are refused here; the export reads them as the pages do.
    v.parse_query(request.args, service.ExportQuery)
    return export_response(user(), what, fmt)
