"""Rollout pages: the board per pilot, one target, the programme-wide list; plan and updates."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from pilotmgr.core.errors import ValidationFailed
from pilotmgr.core.pagination import page_args
from pilotmgr.core.permissions import can_update_target
from pilotmgr.core.web import commit
from pilotmgr.extensions import db
from pilotmgr.pilots import service as pilots
from pilotmgr.rollout import board, regulation, service  # noqa: F401  (regulation: signal)
from pilotmgr.rollout.service import STATUS_LABELS

bp = Blueprint("rollout", __name__)


@bp.record_once
def _template_helpers(state):
    """The pilot page includes the rollout block; these give it its data."""
    state.app.jinja_env.globals.update(
        pilot_rollout=lambda pilot: board.pilot_summary(current_user, pilot),
        rollout_status_labels=STATUS_LABELS,
    )


@bp.get("/rollout")
@login_required
def index():
    try:
        page, per_page = page_args(request.args.get("page"), None, 50)
    except ValidationFailed:
        page, per_page = 1, 50
    found, coverage = board.rolling_out(current_user, page, per_page)
    return render_template("rollout/index.html", page=found, coverage=coverage)


@bp.get("/pilots/<int:pilot_id>/rollout")
@login_required
def pilot_board(pilot_id):
    pilot = pilots.get_pilot(current_user, pilot_id)
    code = request.args.get("parent", "")
    parent = pilots.find_unit(code) if code else None
    data = board.board(current_user, pilot, parent)
    return render_template("rollout/board.html", pilot=pilot, **data)


@bp.post("/pilots/<int:pilot_id>/rollout/targets")
@login_required
def add_targets(pilot_id):
    pilot = pilots.get_pilot(current_user, pilot_id)
    data = request.form.to_dict()
    if data.get("mode") == "under":
        data.pop("unit", None)
    else:
        data.pop("under", None)
    created = service.add_targets(current_user, pilot, data)
    commit()
    flash(_l("%(n)s rollout target(s) added.", n=len(created)), "success")
    return redirect(url_for("rollout.pilot_board", pilot_id=pilot.id))


def _target_page(target, errors=None, values=None, status=200):
    return render_template(
        "rollout/target.html",
        target=target,
        pilot=target.pilot,
        people=service.people([target.responsible_id]),
        files=service.target_evidence(target),
        can_update=can_update_target(current_user, target),
        errors=errors or {},
        values=values or {},
        statuses=STATUS_LABELS,
    ), status


@bp.route("/rollout-targets/<int:target_id>", methods=["GET", "POST"])
@login_required
def target(target_id):
    found = service.get_target(current_user, target_id)
    if request.method == "GET":
        return _target_page(found)
    try:
        service.update_target(current_user, found, request.form.to_dict())
        commit()
    except ValidationFailed as exc:
        db.session.rollback()
        found = service.get_target(current_user, target_id)
        return _target_page(found, exc.errors, request.form, 422)
    flash(_l("Rollout target updated."), "success")
    if request.form.get("next") == "my_work":
        return redirect(url_for("dashboard.my_work"))
    return redirect(url_for("rollout.target", target_id=found.id))


@bp.post("/rollout-targets/<int:target_id>/evidence")
@login_required
def target_evidence(target_id):
    found = service.get_target(current_user, target_id)
    service.add_target_evidence(
        current_user, found, request.files.get("file"), request.form.get("note", "")
    )
    commit()
    flash(_l("File attached."), "success")
    return redirect(url_for("rollout.target", target_id=found.id))


@bp.post("/pilots/<int:pilot_id>/rollout/waves")
@login_required
def open_wave(pilot_id):
    pilot = pilots.get_pilot(current_user, pilot_id)
    wave = service.open_next_wave(current_user, pilot)
    commit()
    flash(_l("Wave %(n)s is open.", n=wave), "success")
    return redirect(url_for("rollout.pilot_board", pilot_id=pilot.id))


@bp.post("/pilots/<int:pilot_id>/rollout/guide")
@login_required
def guide(pilot_id):
    pilot = pilots.get_pilot(current_user, pilot_id)
    service.set_guide(current_user, pilot, request.form)
    commit()
    flash(_l("Rollout guide saved."), "success")
    return redirect(url_for("pilots.detail", pilot_id=pilot.id, _anchor="rollout"))


@bp.post("/pilots/<int:pilot_id>/regulation")
@login_required
def record_regulation(pilot_id):
    pilot = pilots.get_pilot(current_user, pilot_id)
    data = {key: request.form.get(key, "") for key in ("number", "date", "issuer", "title")}
    regulation.record_regulation(current_user, pilot, data, request.files.get("file"))
    commit()
    flash(_l("Regulation recorded."), "success")
    return redirect(url_for("pilots.detail", pilot_id=pilot.id, _anchor="rollout"))
