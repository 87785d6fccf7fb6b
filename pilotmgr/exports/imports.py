"""The bulk import pages: download the template, upload for a dry run, then commit."""

from __future__ import annotations

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
from pilotmgr.exports import importer, labels, uploads, writers
from pilotmgr.exports.forms import ImportCommitForm, ImportForm
from pilotmgr.exports.sheets import BadFile, template_rows
from pilotmgr.extensions import db

bp = Blueprint("imports", __name__)


def _allowed() -> None:
    if not importer.may_import(current_user):
        abort(403)


def _max_bytes() -> int:
    return current_app.config["PILOTMGR_IMPORT_MAX_MB"] * 1024 * 1024


def _page(status: int = 200, form=None, **context):
    return render_template(
        "exports/import.html",
        form=form or ImportForm(formdata=None, id_prefix="import-"),
        commit_form=context.pop("commit_form", None),
        plan=context.pop("plan", None),
        max_mb=_max_bytes() >> 20,
        **context,
    ), status


@bp.get("/import")
@login_required
def index():
    _allowed()
    return _page()


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
        return _page(413, error=too_big)
    form = ImportForm(id_prefix="import-")
    if not form.validate_on_submit():
        return _page(400, form)
    upload = form.file.data
    data = upload.read(_max_bytes() + 1) if upload else b""
    if len(data) > _max_bytes():
        form.file.errors = [too_big]
        return _page(413, form)
    name = (upload.filename or "").lower() if upload else ""
    try:
        if not data:
            raise BadFile(str(_l("Choose a file to import.")))
        plan = importer.plan(current_user, name, data)
    except BadFile as exc:
        form.file.errors = [str(exc.detail)]
        return _page(422, form)
    commit_form = None
    if plan.ok:
        token = uploads.keep(current_user, name, data)
        db.session.commit()
        commit_form = ImportCommitForm(formdata=None, data={"token": token}, id_prefix="import-")
    return _page(200 if plan.ok else 422, form, plan=plan, commit_form=commit_form)


@bp.post("/import/commit")
@login_required
def commit():
    _allowed()
    form = ImportCommitForm(id_prefix="import-")
    token = form.token.data or "" if form.validate_on_submit() else ""
    kept = uploads.take(current_user, token)
    # Taken once, whatever the import gives: a file that fails is checked again from scratch.
    db.session.commit()
    if kept is None:
        flash(_l("The checked file is no longer available; upload it again."), "danger")
        return redirect(url_for("imports.index"))
    try:
        plan = importer.commit(current_user, *kept)
        db.session.commit()
    except (ValidationFailed, BadFile) as exc:
        db.session.rollback()
        messages = exc.errors.get("file", []) if isinstance(exc, ValidationFailed) else []
        flash(" ".join(messages) or str(exc.detail), "danger")
        return redirect(url_for("imports.index"))
    flash(_l("%(n)s pilots imported.", n=plan.new_pilots), "success")
    return redirect(url_for("pilots.index"))
