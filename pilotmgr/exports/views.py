"""Downloads of the lists as CSV or Excel, and the bulk import pages."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from pilotmgr.core.errors import NotFound
from pilotmgr.exports import labels, service, writers

bp = Blueprint("exports", __name__)


def export_response(user, what: str, fmt: str) -> Response:
    """The file of one export for `user`, filtered by the request's query arguments."""
    from pilotmgr.pilots.views import _list_filters

    if what not in service.WHATS or fmt not in service.FORMATS:
        raise NotFound(str(_l("No such export.")))
    filters = _list_filters()
    filters["q"] = "".join(ch for ch in filters.get("q") or "" if ch >= " ")
    header, rows = service.dataset(user, what, filters, request.args)
    if fmt == "csv":
        data = writers.to_csv(header, rows)
    else:
        data = writers.to_xlsx(header, rows, title=str(labels.SHEET_TITLES[what]))
    stamp = datetime.now().strftime("%Y%m%d-%H%M")
    response = Response(data, mimetype=writers.MIME[fmt])
    response.headers["Content-Disposition"] = (
        f'attachment; filename="pilotmgr-{what}-{stamp}.{fmt}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.app_template_global()
def export_url(what: str, fmt: str, args) -> str:
    """The download link of an export carrying the page's filters (never its own names)."""
    from flask import url_for

    kept = {k: v for k, v in args.items() if k not in ("what", "fmt", "page", "per_page")}
    return url_for("exports.download", what=what, fmt=fmt, **kept)


@bp.get("/exports/<what>.<fmt>")
@login_required
def download(what, fmt):
    return export_response(current_user, what, fmt)
