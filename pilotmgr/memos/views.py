"""Memo pages: preview, issue, download, and the public verification page."""

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

from pilotmgr.core.errors import GuardFailed
from pilotmgr.core.web import commit
from pilotmgr.extensions import db
from pilotmgr.memos import render, service
from pilotmgr.memos.forms import (
    MemoDecisionForm,
    MemoIssueForm,
    MemoReissueForm,
    VerifyUploadForm,
    memo_decision_step,
    memos_of_step,
)
from pilotmgr.memos.models import MEMO_KINDS
from pilotmgr.pilots import service as pilots
from pilotmgr.pilots.transitions import prerequisites

bp = Blueprint("memos", __name__)


@bp.record_once
def _template_helpers(state):
    """The pilot page includes the memos block; this gives it its data."""
    from pilotmgr.pilots.history import show

    state.app.jinja_env.globals.update(
        pilot_memos=lambda pilot, page_forms=None: pilot_memos(current_user, pilot, page_forms),
        iso_day=lambda value: show("date", value),
    )


def memo_kinds(pilot) -> list[tuple]:
    return [(k, render.kind_labels()[k], service.missing_for(k, pilot)) for k in MEMO_KINDS]


def pilot_memos(user, pilot, page_forms: dict | None = None) -> dict:
    """The memos block's data and forms (a failed one from `page_forms`, else an empty one)."""
    page_forms = page_forms or {}
    memos = service.memos_for(pilot)
    kinds = memo_kinds(pilot)
    step = memo_decision_step(user, pilot, memos)
    decide_form = page_forms.get("memo-decision")
    if step is not None and decide_form is None:
        decide_form = MemoDecisionForm(
            formdata=None, pilot=pilot, step=step, memos=memos_of_step(step, memos)
        )
        decide_form.missing = prerequisites(pilot, step)
    return {
        "memos": memos,
        "decisions": service.decisions_for(pilot),
        "can_issue": service.can_issue(user, pilot),
        "kinds": kinds,
        "issue_form": page_forms.get("memo-issue") or MemoIssueForm(formdata=None, kinds=kinds),
        "reissue_form": MemoReissueForm(formdata=None),
        "decide_form": decide_form,
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
    from pilotmgr.pilots.views import detail_page

    pilot = pilots.pilot_detail(current_user, pilot_id)
    if request.form.get("reissue_of"):
        form = MemoReissueForm()
    else:
        form = MemoIssueForm(kinds=memo_kinds(pilot))
    try:
        done, memo = form.run(lambda data: service.issue(current_user, pilot, data))
    except GuardFailed as exc:
        db.session.rollback()
        form.missing = exc.missing
        done = False
    if not done:
        if isinstance(form, MemoReissueForm):
            for message in [*form.form_errors, *(m for f in form for m in f.errors)]:
                flash(message, "danger")
            return redirect(url_for("pilots.detail", pilot_id=pilot.id, _anchor="memos"))
        return detail_page(pilot.id, {"memo-issue": form}, 422)
    commit()
    flash(_l("Memo %(number)s issued.", number=memo.number), "success")
    return redirect(url_for("pilots.detail", pilot_id=pilot.id, _anchor="memos"))


@bp.post("/pilots/<int:pilot_id>/memos/decision")
@login_required
def decide(pilot_id):
    """The head's forward step, decided on an issued memo (with its conditions)."""
    from pilotmgr.pilots.views import decide as take_step

    pilot = pilots.pilot_detail(current_user, pilot_id)
    memos = service.memos_for(pilot)
    step = memo_decision_step(current_user, pilot, memos)
    if step is None:
        abort(403)
    form = MemoDecisionForm(pilot=pilot, step=step, memos=memos_of_step(step, memos))
    return take_step(pilot, form)


@bp.get("/memos/<int:memo_id>.pdf")
@login_required
def download(memo_id):
    return pdf_response(service.get_memo(current_user, memo_id))


@bp.get("/memos/verify/<sha256>")
def verify(sha256):
    """Public: was a memo with this hash issued? Only its number, date, unit and title."""
    memo = service.find_by_hash(sha256)
    facts = service.public_facts(memo) if memo else None
    return render_template(
        "memos/verify.html",
        checked=sha256[:64],
        facts=facts,
        form=VerifyUploadForm(formdata=None, id_prefix="verify-"),
    )


@bp.route("/memos/verify", methods=["GET", "POST"])
def verify_upload():
    """Public: hash an uploaded PDF and answer as for its SHA-256."""
    form = VerifyUploadForm(id_prefix="verify-")
    if not form.validate_on_submit():
        return render_template("memos/verify.html", checked=None, facts=None, form=form)
    upload = form.file.data
    if upload is None or not upload.filename:
        form.file.errors = [str(_l("Choose a PDF file to check."))]
        return render_template("memos/verify.html", checked=None, facts=None, form=form), 422
    sha = service.hash_file(upload.stream, current_app.config["MAX_CONTENT_LENGTH"])
    if sha is None:
        form.file.errors = [str(_l("The file is too large."))]
        return render_template("memos/verify.html", checked=None, facts=None, form=form), 413
    memo = service.find_by_hash(sha)
    if memo is not None and memo.sha256 != sha:
        memo = None  # a file is genuine only if its own bytes match
    facts = service.public_facts(memo) if memo else None
    return render_template("memos/verify.html", checked=sha, facts=facts, uploaded=True, form=form)
