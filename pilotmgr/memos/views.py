"""Memo pages: preview, issue, download, and the public verification page."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from pilotmgr.core.web import commit
from pilotmgr.memos import decisions as _decisions  # noqa: F401  (records decisions on transitions)
from pilotmgr.memos import render, service
from pilotmgr.memos.models import MEMO_KINDS
from pilotmgr.pilots import lifecycle
from pilotmgr.pilots import service as pilots

bp = Blueprint("memos", __name__)


@bp.record_once
def _template_helpers(state):
    """The pilot page includes the memos block; this gives it its data."""
    state.app.jinja_env.globals.update(pilot_memos=lambda pilot: pilot_memos(current_user, pilot))


def pilot_memos(user, pilot) -> dict:
    forward = [t for t in lifecycle.allowed_transitions(user, pilot) if t.forward]
    head_step = next((t for t in forward if "head" in t.actors and "owner" not in t.actors), None)
    return {
        "memos": service.memos_for(pilot),
        "decisions": service.decisions_for(pilot),
        "can_issue": service.can_issue(user, pilot),
        "kinds": [(k, render.kind_labels()[k], service.missing_for(k, pilot)) for k in MEMO_KINDS],
        "decide_step": head_step if lifecycle.actor_roles(user, pilot) & {"head"} else None,
    }


def pdf_response(memo) -> Response:
    response = Response(memo.pdf, mimetype="application/pdf")
    filename = f"to-trinh-{memo.number.replace('/', '-')}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-SHA256"] = memo.sha256
    return response


@bp.get("/pilots/<int:pilot_id>/memos/preview")
@login_required
def preview(pilot_id):
    pilot = pilots.pilot_detail(current_user, pilot_id)
    kind = request.args.get("kind", "pilot_approval")
    lang = request.args.get("lang", current_user.lang or "vi")
    data = service.preview(current_user, pilot, kind, lang)
    return render.render_html(data, for_pdf=False)


@bp.post("/pilots/<int:pilot_id>/memos")
@login_required
def issue(pilot_id):
    pilot = pilots.pilot_detail(current_user, pilot_id)
    memo = service.issue(current_user, pilot, request.form)
    commit()
    flash(_l("Memo %(number)s issued.", number=memo.number), "success")
    return redirect(url_for("pilots.detail", pilot_id=pilot.id, _anchor="memos"))


@bp.get("/memos/<int:memo_id>.pdf")
@login_required
def download(memo_id):
    return pdf_response(service.get_memo(current_user, memo_id))


@bp.get("/memos/verify/<sha256>")
def verify(sha256):
    """Public: was a memo with this hash issued? Only its number, date, unit and title."""
    memo = service.find_by_hash(sha256)
    facts = service.public_facts(memo) if memo else None
    return render_template("memos/verify.html", checked=sha256[:64], facts=facts)


@bp.route("/memos/verify", methods=["GET", "POST"])
def verify_upload():
    """Public: hash an uploaded PDF and answer as for its SHA-256."""
    if request.method == "GET":
        return render_template("memos/verify.html", checked=None, facts=None)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_l("Choose a PDF file to check."), "danger")
        return redirect(url_for("memos.verify_upload"))
    sha = service.hash_file(upload.stream, current_app.config["MAX_CONTENT_LENGTH"])
    if sha is None:
        flash(_l("The file is too large."), "danger")
        return redirect(url_for("memos.verify_upload"))
    memo = service.find_by_hash(sha)
    if memo is not None and memo.sha256 != sha:
        memo = None  # a file is genuine only if its own bytes match
    facts = service.public_facts(memo) if memo else None
    return render_template("memos/verify.html", checked=sha, facts=facts, uploaded=True)
