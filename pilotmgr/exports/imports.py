"""The bulk import pages: download the template, upload for a dry run, then commit."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from pilotmgr.core.errors import ValidationFailed
from pilotmgr.exports import importer, labels, writers
from pilotmgr.exports.sheets import BadFile, template_rows
from pilotmgr.extensions import db

bp = Blueprint("imports", __name__)
TOKEN = re.compile(r"^[0-9a-f]{32}\.(xlsx|csv)$")


def _allowed() -> None:
    if not importer.may_import(current_user):
        abort(403)


def _max_bytes() -> int:
    return current_app.config["PILOTMGR_IMPORT_MAX_MB"] * 1024 * 1024


def _store() -> Path:
    path = Path(current_app.config["PILOTMGR_UPLOAD_DIR"]) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _saved(token: str) -> Path | None:
    """The uploaded file kept between the dry run and the commit, only for its uploader."""
    if not TOKEN.match(token or ""):
        return None
    path = _store() / f"{current_user.id}-{token}"
    return path if path.is_file() else None


@bp.get("/import")
@login_required
def index():
    _allowed()
    return render_template("exports/import.html", plan=None, token=None, max_mb=_max_bytes() >> 20)


@bp.get("/import/template.<fmt>")
@login_required
def template(fmt):
    _allowed()
    rows = template_rows(current_user)
    if fmt == "csv":
        data = writers.to_csv(rows[0], rows[1:])
    elif fmt == "xlsx":
        data = writers.to_xlsx(rows[0], rows[1:], title=str(labels.SHEET_TITLES["import"]))
    else:
        abort(404)
    response = Response(data, mimetype=writers.MIME[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="pilotmgr-import.{fmt}"'
    return response


@bp.post("/import")
@login_required
def dry_run():
    _allowed()
    too_big = str(_l("The file is larger than %(n)s MB.", n=_max_bytes() >> 20))
    if (request.content_length or 0) > _max_bytes() + 64 * 1024:
        return render_template(
            "exports/import.html", plan=None, token=None, error=too_big, max_mb=_max_bytes() >> 20
        ), 413
    upload = request.files.get("file")
    data = upload.read(_max_bytes() + 1) if upload else b""
    if len(data) > _max_bytes():
        return render_template(
            "exports/import.html", plan=None, token=None, error=too_big, max_mb=_max_bytes() >> 20
        ), 413
    name = (upload.filename or "").lower() if upload else ""
    try:
        if not data:
            raise BadFile(str(_l("Choose a file to import.")))
        plan = importer.plan(current_user, name, data)
    except BadFile as exc:
        return render_template(
            "exports/import.html",
            plan=None,
            token=None,
            error=exc.detail,
            max_mb=_max_bytes() >> 20,
        ), 422
    token = None
    if plan.ok:
        token = f"{secrets.token_hex(16)}.{'xlsx' if name.endswith('.xlsx') else 'csv'}"
        (_store() / f"{current_user.id}-{token}").write_bytes(data)
    return render_template(
        "exports/import.html", plan=plan, token=token, max_mb=_max_bytes() >> 20
    ), (200 if plan.ok else 422)


@bp.post("/import/commit")
@login_required
def commit():
    _allowed()
    token = request.form.get("token", "")
    path = _saved(token)
    if path is None:
        flash(_l("The checked file is no longer available; upload it again."), "danger")
        return redirect(url_for("imports.index"))
    try:
        plan = importer.commit(current_user, f"upload.{token.rsplit('.', 1)[1]}", path.read_bytes())
        db.session.commit()
    except (ValidationFailed, BadFile) as exc:
        db.session.rollback()
        messages = exc.errors.get("file", []) if isinstance(exc, ValidationFailed) else []
        flash(" ".join(messages) or str(exc.detail), "danger")
        return redirect(url_for("imports.index"))
    finally:
        path.unlink(missing_ok=True)
    flash(_l("%(n)s pilots imported.", n=plan.new_pilots), "success")
    return redirect(url_for("pilots.index"))
