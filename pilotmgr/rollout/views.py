"""Rollout pages: the board per pilot, one target, the programme-wide list; plan and updates.

Every form is a class in `forms.py`; a form that fails comes back filled, its messages beside
its fields: on the pilot page (`detail_page`, under the names `_pilot_rollout.html` looks up),
on the plan's preview, on the board or on the target's page.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from pilotmgr.core.errors import ValidationFailed
from pilotmgr.core.pagination import page_args
from pilotmgr.core.web import commit
from pilotmgr.pilots import service as pilots
from pilotmgr.pilots.permissions import can_update_target
from pilotmgr.rollout import board, bulk, planning, regulation, service
from pilotmgr.rollout.forms import (
    BulkUpdateForm,
    GuideForm,
    OpenWaveForm,
    PlanConfirmForm,
    PlanForm,
    RegulationForm,
    RemoveTargetForm,
    TargetEvidenceForm,
    TargetPlanForm,
    TargetUpdateForm,
)
from pilotmgr.rollout.permissions import can_plan_rollout
from pilotmgr.rollout.service import STATUS_LABELS

bp = Blueprint("rollout", __name__)


@bp.record_once
def _template_helpers(state):
    """The pilot page includes the rollout block; these give it its data."""
    state.app.jinja_env.globals.update(
        pilot_rollout=lambda pilot: board.pilot_summary(current_user, pilot),
        rollout_status_labels=STATUS_LABELS,
    )


def _pilot_page(pilot_id: int, name: str, form):
    from pilotmgr.pilots.views import detail_page

    return detail_page(pilot_id, {name: form}, 422)


@bp.get("/rollout")
@login_required
def index():
    try:
        page, per_page = page_args(request.args.get("page"), None, 50)
    except ValidationFailed:
        page, per_page = 1, 50
    found, coverage = board.rolling_out(current_user, page, per_page)
    return render_template("rollout/index.html", page=found, coverage=coverage)


# --- the board ---------------------------------------------------------------------------------


def _board_page(pilot, form=None, status: int = 200):
    code = request.args.get("parent", "")
    parent = pilots.find_unit(code) if code else None
    form = form or BulkUpdateForm(formdata=None, id_prefix="bulk-")
    data = board.board(current_user, pilot, parent, ticked=set(form.targets.data or ()))
    return render_template("rollout/board.html", pilot=pilot, bulk_form=form, **data), status


@bp.get("/pilots/<int:pilot_id>/rollout")
@login_required
def pilot_board(pilot_id):
    return _board_page(pilots.get_pilot(current_user, pilot_id))


@bp.post("/pilots/<int:pilot_id>/rollout/bulk")
@login_required
def bulk_update(pilot_id):
    pilot = pilots.get_pilot(current_user, pilot_id)
    form = BulkUpdateForm(id_prefix="bulk-")
    done, changed = form.run(lambda data: bulk.bulk_update(current_user, pilot, data))
    if not done:
        return _board_page(pilot, form, 422)
    commit()
    if changed:
        flash(_l("%(n)s rollout target(s) updated.", n=len(changed)), "success")
    else:
        flash(_l("The ticked targets already had this status: nothing changed."), "info")
    parent = request.args.get("parent") or None
    return redirect(url_for("rollout.pilot_board", pilot_id=pilot.id, parent=parent))


# --- planning ------------------------------------------------------------------------------------


def plan_form(form_class=PlanForm, **kwargs):
    return form_class(**(board.plan_choices() | kwargs))


@bp.post("/pilots/<int:pilot_id>/rollout/plan")
@login_required
def preview_plan(pilot_id):
    pilot = pilots.get_pilot(current_user, pilot_id)
    service.require_planner(current_user, pilot)
    form = plan_form(id_prefix="plan-")
    done, plan = form.run(lambda data: planning.preview(current_user, pilot, data))
    if not done:
        return _pilot_page(pilot.id, "rollout_plan", form)
    confirm = plan_form(PlanConfirmForm, formdata=None, data=form.data, id_prefix="plan-")
    confirm.units.data = [r.unit.code for r in plan.new_rows]
    return _preview_page(pilot, plan, confirm)


def _preview_page(pilot, plan, form, status: int = 200):
    return render_template(
        "rollout/plan_preview.html",
        pilot=pilot,
        plan=plan,
        form=form,
        ticked=set(form.units.data or ()),
        level_label=planning.LEVEL_LABELS[plan.level],
    ), status


@bp.post("/pilots/<int:pilot_id>/rollout/targets")
@login_required
def add_targets(pilot_id):
    pilot = pilots.get_pilot(current_user, pilot_id)
    service.require_planner(current_user, pilot)
    form = plan_form(PlanConfirmForm, id_prefix="plan-")
    done, created = form.run(
        lambda data: planning.plan_targets(
            current_user, pilot, data | {"units": form.units.data or []}
        )
    )
    if done:
        commit()
        flash(_l("%(n)s rollout target(s) added.", n=len(created)), "success")
        return redirect(url_for("rollout.pilot_board", pilot_id=pilot.id))
    if form.units.errors or (form.form_errors and not _plan_field_errors(form)):
        try:
            plan = planning.preview(current_user, pilot, form.service_data())
        except ValidationFailed:
            plan = None
        if plan is not None:
            return _preview_page(pilot, plan, form, 422)
    return _pilot_page(pilot.id, "rollout_plan", form)


def _plan_field_errors(form) -> bool:
    return any(getattr(form, name).errors for name in ("level", "parent", "unit", "due_date"))


# --- one target ----------------------------------------------------------------------------------


def _target_page(target, forms: dict | None = None, status: int = 200):
    pilot = target.pilot
    forms = forms or {}
    may_plan = can_plan_rollout(current_user, pilot)
    people = service.people([target.responsible_id])
    responsible = people.get(target.responsible_id)
    if may_plan and "plan" not in forms:
        forms["plan"] = TargetPlanForm.for_target(
            target, responsible.email if responsible else "", **board.people_choice()
        )
    return render_template(
        "rollout/target.html",
        target=target,
        pilot=pilot,
        responsible=responsible,
        files=service.target_evidence(target),
        can_update=can_update_target(current_user, target),
        can_plan=may_plan,
        not_removable=planning.why_not_removable(target) if may_plan else None,
        update_form=forms.get("update") or TargetUpdateForm.for_target(target),
        plan_form=forms.get("plan"),
        remove_form=forms.get("remove") or RemoveTargetForm(formdata=None, id_prefix="remove-"),
        evidence_form=forms.get("evidence") or TargetEvidenceForm(formdata=None, id_prefix="file-"),
        statuses=STATUS_LABELS,
    ), status


@bp.route("/rollout-targets/<int:target_id>", methods=["GET", "POST"])
@login_required
def target(target_id):
    found = service.get_target(current_user, target_id)
    if request.method == "GET":
        return _target_page(found)
    form = TargetUpdateForm()
    done, _target = form.run(lambda data: service.update_target(current_user, found, data))
    if not done:
        found = service.get_target(current_user, target_id)
        return _target_page(found, {"update": form}, 422)
    commit()
    flash(_l("Rollout target updated."), "success")
    if request.form.get("next") == "my_work":
        return redirect(url_for("dashboard.my_work"))
    return redirect(url_for("rollout.target", target_id=found.id))


@bp.post("/rollout-targets/<int:target_id>/plan")
@login_required
def plan_target(target_id):
    found = service.get_target(current_user, target_id)
    service.require_planner(current_user, found.pilot)
    form = TargetPlanForm(id_prefix="replan-", **board.people_choice())
    done, _target = form.run(lambda data: service.update_target(current_user, found, data))
    if not done:
        found = service.get_target(current_user, target_id)
        return _target_page(found, {"plan": form}, 422)
    commit()
    flash(_l("Rollout target updated."), "success")
    return redirect(url_for("rollout.target", target_id=found.id))


@bp.post("/rollout-targets/<int:target_id>/removal")
@login_required
def remove_target(target_id):
    found = service.get_target(current_user, target_id)
    service.require_planner(current_user, found.pilot)
    pilot_id, unit_name = found.pilot_id, found.unit.name
    form = RemoveTargetForm(id_prefix="remove-")
    done, _none = form.run(lambda data: planning.remove_target(current_user, found, data))
    if not done:
        found = service.get_target(current_user, target_id)
        return _target_page(found, {"remove": form}, 422)
    commit()
    flash(_l("%(unit)s was removed from the rollout plan.", unit=unit_name), "success")
    return redirect(url_for("rollout.pilot_board", pilot_id=pilot_id))


@bp.post("/rollout-targets/<int:target_id>/evidence")
@login_required
def target_evidence(target_id):
    found = service.get_target(current_user, target_id)
    form = TargetEvidenceForm(id_prefix="file-")
    done, _file = form.run(
        lambda data: service.add_target_evidence(
            current_user, found, request.files.get("file"), data["note"] or ""
        )
    )
    if not done:
        found = service.get_target(current_user, target_id)
        return _target_page(found, {"evidence": form}, 422)
    commit()
    flash(_l("File attached."), "success")
    return redirect(url_for("rollout.target", target_id=found.id))


# --- waves, guide, regulation ------------------------------------------------------------------


@bp.post("/pilots/<int:pilot_id>/rollout/waves")
@login_required
def open_wave(pilot_id):
    pilot = pilots.get_pilot(current_user, pilot_id)
    form = OpenWaveForm()
    done, wave = form.run(lambda _data: service.open_next_wave(current_user, pilot))
    if not done:
        return _pilot_page(pilot.id, "rollout_wave", form)
    commit()
    flash(_l("Wave %(n)s is open.", n=wave), "success")
    return redirect(url_for("rollout.pilot_board", pilot_id=pilot.id))


@bp.post("/pilots/<int:pilot_id>/rollout/guide")
@login_required
def guide(pilot_id):
    pilot = pilots.get_pilot(current_user, pilot_id)
    form = GuideForm(id_prefix="guide-")
    done, _pilot = form.run(lambda data: service.set_guide(current_user, pilot, data))
    if not done:
        return _pilot_page(pilot.id, "rollout_guide", form)
    commit()
    flash(_l("Rollout guide saved."), "success")
    return redirect(url_for("pilots.detail", pilot_id=pilot.id, _anchor="rollout"))


@bp.post("/pilots/<int:pilot_id>/regulation")
@login_required
def record_regulation(pilot_id):
    pilot = pilots.get_pilot(current_user, pilot_id)
    form = RegulationForm(id_prefix="regulation-")
    done, _pilot = form.run(
        lambda data: regulation.record_regulation(
            current_user, pilot, data, request.files.get("file")
        )
    )
    if not done:
        return _pilot_page(pilot.id, "rollout_regulation", form)
    commit()
    flash(_l("Regulation recorded."), "success")
    return redirect(url_for("pilots.detail", pilot_id=pilot.id, _anchor="rollout"))
