"""Results pages: values and their review, evidence, evaluations, comparison, selection, lessons.

Every form posts here and, when it fails, comes back in place with what was typed: the pilot
page's forms through `pilots.views.detail_page(..., page_forms={name: form}, status=422)`
(the names `results.block` lists), the selection and weights forms on the comparison page.
"""

from __future__ import annotations

import io

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from pilotmgr.auth.models import Role
from pilotmgr.core.authority import is_admin, require
from pilotmgr.core.errors import GuardFailed, PermissionDenied, ValidationFailed
from pilotmgr.core.formats import format_day
from pilotmgr.core.pagination import page_args
from pilotmgr.core.validate import row_id
from pilotmgr.core.web import commit, confirmation_page, needs_confirmation
from pilotmgr.extensions import db
from pilotmgr.pilots import service as pilots
from pilotmgr.pilots.files import MIMETYPES
from pilotmgr.pilots.lifecycle import STAGE_LABELS
from pilotmgr.pilots.stages import Stage
from pilotmgr.results import block, evaluations, evidence, lessons, selection, service
from pilotmgr.results.forms import (
    CRITERION_HELP,
    CRITERION_LABELS,
    MEASUREMENT_STATUS_LABELS,
    VERDICT_LABELS,
    EvaluationForm,
    EvaluatorForm,
    EvidenceForm,
    LessonsFilterForm,
    SelectionForm,
    WeightsForm,
)
from pilotmgr.results.models import CRITERIA

bp = Blueprint("results", __name__)


@bp.record_once
def _template_helpers(state):
    """The pilot page includes the results block; these give it its data and forms."""
    state.app.jinja_env.globals.update(
        results_block=block.results_block,
        pilot_results=lambda pilot: service.pilot_results(current_user, pilot),
        pilot_evidence=evidence.evidence_for,
        CRITERIA=CRITERIA,
        criterion_labels=CRITERION_LABELS,
        criterion_help=CRITERION_HELP,
        verdict_labels=VERDICT_LABELS,
        measurement_status_labels=MEASUREMENT_STATUS_LABELS,
    )


def _to_pilot(pilot_id: int, anchor: str = "results"):
    return redirect(url_for("pilots.detail", pilot_id=pilot_id, _anchor=anchor))


def _again(pilot, name: str, form):
    """The pilot page with this failed form open, as typed (422)."""
    from pilotmgr.pilots.views import detail_page

    return detail_page(pilot.id, {name: form}, 422)


@bp.post("/kpis/<int:kpi_id>/measurements")
@login_required
def add_measurement(kpi_id):
    kpi, pilot = service.get_kpi(current_user, kpi_id)
    service.require_can_record(current_user, pilot)
    corrects = request.form.get("corrects", "")
    if corrects:
        name, form = f"correction-{corrects}", block.correction_form(corrects)
    else:
        name, form = f"measurement-{kpi.id}", block.measurement_form(kpi.id)
    done, _found = form.run(lambda data: service.record_measurement(current_user, kpi, pilot, data))
    if not done:
        return _again(pilot, name, form)
    commit()
    flash(_l("Value recorded; it counts once approved."), "success")
    if request.form.get("next") == "my_work":
        return redirect(url_for("dashboard.my_work"))
    return _to_pilot(pilot.id, f"kpi-{kpi.id}")


@bp.post("/measurements/<int:measurement_id>/review")
@login_required
def review(measurement_id):
    found, kpi, pilot = service.get_measurement(current_user, measurement_id)
    service.require_can_review(current_user, pilot, found)
    form = block.review_form(found.id)
    done, _found = form.run(
        lambda data: service.review_measurement(current_user, found, kpi, pilot, data)
    )
    if not done:
        return _again(pilot, f"review-{found.id}", form)
    commit()
    if found.status == "approved":
        flash(_l("Value approved: it now counts."), "success")
    else:
        flash(_l("Value rejected; its submitter is told why."), "success")
    return _to_pilot(pilot.id, f"kpi-{kpi.id}")


@bp.post("/kpis/<int:kpi_id>/verdict")
@login_required
def verdict(kpi_id):
    kpi, pilot = service.get_kpi(current_user, kpi_id)
    service.require_head(current_user, pilot)
    computed = service.kpi_results(pilot, [kpi])[0].attainment.verdict
    form = block.verdict_form(kpi.id)
    done, _found = form.run(
        lambda data: service.set_verdict(current_user, kpi, pilot, computed, data)
    )
    if not done:
        return _again(pilot, f"verdict-{kpi.id}", form)
    commit()
    flash(_l("Verdict saved."), "success")
    return _to_pilot(pilot.id, f"kpi-{kpi.id}")


@bp.post("/pilots/<int:pilot_id>/evaluations")
@login_required
def evaluate(pilot_id):
    pilot = pilots.get_pilot(current_user, pilot_id)
    evaluations.require_can_evaluate(current_user, pilot)
    form = EvaluationForm(id_prefix="eval-")
    done, _found = form.run(lambda data: evaluations.evaluate(current_user, pilot, data))
    if not done:
        return _again(pilot, "evaluation", form)
    commit()
    flash(_l("Evaluation saved."), "success")
    return _to_pilot(pilot.id, "evaluations")


@bp.post("/pilots/<int:pilot_id>/evaluators")
@login_required
def name_evaluator(pilot_id):
    pilot = pilots.get_pilot(current_user, pilot_id)
    service.require_head(current_user, pilot)
    form = EvaluatorForm(id_prefix="evr-", people=evaluations.evaluator_choices(pilot))
    done, _found = form.run(lambda data: evaluations.name_evaluator(current_user, pilot, data))
    if not done:
        return _again(pilot, "evaluator", form)
    commit()
    flash(_l("Evaluator named; they are asked to evaluate."), "success")
    return _to_pilot(pilot.id, "evaluations")


@bp.post("/pilots/<int:pilot_id>/evidence")
@login_required
def upload(pilot_id):
    pilot = pilots.pilot_detail(current_user, pilot_id)
    service.require_can_record(current_user, pilot, _l("You may not add evidence to this pilot."))
    form = EvidenceForm(id_prefix="ev-")
    done, _found = form.run(
        lambda data: evidence.add_evidence(current_user, pilot, data["file"], data["note"] or "")
    )
    if not done:
        return _again(pilot, "evidence", form)
    commit()
    flash(_l("File attached."), "success")
    return _to_pilot(pilot.id, "evidence")


@bp.post("/evidence/<int:evidence_id>/retraction")
@login_required
def retract(evidence_id):
    found, pilot = evidence.find_evidence(current_user, evidence_id)
    evidence.check_retractable(current_user, found, pilot)
    form = block.retraction_form(found.id)
    done, _found = form.run(
        lambda data: evidence.retract_evidence(current_user, found, pilot, data)
    )
    target_page = (
        url_for("rollout.target", target_id=found.rollout_target_id)
        if found.rollout_target_id
        else None
    )
    if not done:
        if target_page is None:
            return _again(pilot, f"retract-{found.id}", form)
        # A rollout target's file is retracted from the target's page, which is not ours to
        # re-render: its messages go above it.
        for messages in form.errors.values():
            flash(" ".join(str(m) for m in messages), "danger")
        return redirect(target_page)
    commit()
    flash(_l("File retracted; the history keeps its name and fingerprint."), "success")
    return redirect(target_page) if target_page else _to_pilot(pilot.id, "evidence")


@bp.get("/evidence/<int:evidence_id>")
@login_required
def download(evidence_id):
    found, data = evidence.get_evidence(current_user, evidence_id)
    return send_file(
        io.BytesIO(data),
        mimetype=MIMETYPES[found.kind],
        as_attachment=True,
        download_name=found.filename,
        etag=found.sha256,
        last_modified=found.created_at,
    )


# --- comparison and selection ------------------------------------------------------------------


def _open_candidates(candidates) -> list:
    return [c.pilot for c in candidates if c.pilot.stage == Stage.evaluating]


def _comparison_page(
    challenge, selection_form=None, weights_form=None, status: int = 200, keep_form=False
):
    candidates = selection.comparison(current_user, challenge)
    open_pilots = _open_candidates(candidates)
    may_select = current_user.role in (Role.head, Role.admin) and bool(open_pilots)
    # One decision covers every candidate: a head whose authority stops short is told why.
    outside = selection.outside_authority(current_user, challenge) if may_select else 0
    # A failed decision comes back as typed, with why it failed (authority included).
    may_select = may_select and (keep_form or not outside)
    if may_select and selection_form is None:
        selection_form = SelectionForm.for_candidates(open_pilots, formdata=None, id_prefix="sel-")
    weights = evaluations.weights_for(challenge.programme_id)
    if is_admin(current_user) and weights_form is None:
        weights_form = WeightsForm(formdata=None, data=weights, id_prefix="w-")
    return render_template(
        "results/comparison.html",
        challenge=challenge,
        candidates=candidates,
        open_pilots=open_pilots,
        rule=selection.RANKING_RULE,
        weights=weights,
        chart=selection.comparison_chart(candidates),
        selection_form=selection_form if may_select else None,
        outside_authority=outside,
        weights_form=weights_form if is_admin(current_user) else None,
    ), status


@bp.get("/challenges/<int:challenge_id>/comparison")
@login_required
def comparison(challenge_id):
    return _comparison_page(selection.get_challenge(challenge_id))


@bp.post("/programmes/<int:programme_id>/weights")
@login_required
def weights(programme_id):
    evaluations.require_weights(current_user, programme_id)
    challenge_id = request.args.get("challenge", "")
    form = WeightsForm(id_prefix="w-")
    done, _found = form.run(lambda data: evaluations.set_weights(current_user, programme_id, data))
    challenge = selection.get_challenge(challenge_id) if row_id(challenge_id) else None
    if challenge is not None and challenge.programme_id != programme_id:
        challenge = None
    if not done:
        if challenge is not None:
            return _comparison_page(challenge, weights_form=form, status=422)
        for messages in form.errors.values():
            flash(" ".join(str(m) for m in messages), "danger")
        return redirect(url_for("results.library"))
    commit()
    flash(_l("Criterion weights saved."), "success")
    if challenge is not None:
        return redirect(url_for("results.comparison", challenge_id=challenge.id, _anchor="weights"))
    return redirect(url_for("results.library"))


@bp.post("/challenges/<int:challenge_id>/selection")
@login_required
def select(challenge_id):
    challenge = selection.get_challenge(challenge_id)
    require(
        current_user.role in (Role.head, Role.admin),
        str(_l("Only heads and administrators do this.")),
    )
    open_pilots = _open_candidates(selection.comparison(current_user, challenge))
    form = SelectionForm.for_candidates(open_pilots, id_prefix="sel-")
    confirming = needs_confirmation()
    act = selection.plan_selection if confirming else selection.select_pilots
    try:
        done, result = form.run(lambda data: act(current_user, challenge, data))
    except (GuardFailed, PermissionDenied) as exc:
        db.session.rollback()
        problems = getattr(exc, "missing", None) or [exc.detail]
        form.form_errors.append(str(_l("Not yet possible. Still missing:")))
        form.form_errors.extend(str(p) for p in problems)
        done, result = False, None
    if not done:
        return _comparison_page(challenge, selection_form=form, status=422, keep_form=True)
    if confirming:
        db.session.rollback()  # nothing changed; let go of the candidates' rows
        return confirmation_page(
            _l("Decide the selection for “%(challenge)s”", challenge=challenge.title),
            selection_consequences(result),
            _l("Decide"),
            url_for("results.comparison", challenge_id=challenge.id),
        )
    commit()
    flash(_l("Selection decided and recorded in every candidate's history."), "success")
    return redirect(url_for("results.comparison", challenge_id=challenge.id))


def selection_consequences(plan: selection.SelectionPlan) -> list:
    """Exactly what the decision will do, pilot by pilot."""
    lines = [
        _l(
            "“%(title)s” is selected as the successful model, with the success formula "
            "“%(formula)s”.",
            title=p.title,
            formula=plan.formulas[p.id],
        )
        for p in plan.selected
    ]
    for p in plan.others:
        if plan.others_fate == "extend":
            lines.append(
                _l(
                    "“%(title)s” is not selected now and continues piloting until %(day)s.",
                    title=p.title,
                    day=format_day(plan.new_end_date),
                )
            )
        else:
            lines.append(
                _l(
                    "“%(title)s” closes as not selected and cannot be reopened; its open tasks "
                    "stop reminding their assignees.",
                    title=p.title,
                )
            )
    if plan.lessons:
        lines.append(_l("The lessons learned are written into every candidate."))
    lines.append(
        _l("The decision and its rationale go into each candidate's history; each owner is told.")
    )
    return lines


# --- the lessons library -------------------------------------------------------------------------


@bp.get("/lessons")
@login_required
def library():
    from pilotmgr.pilots.programmes import all_programmes
    from pilotmgr.units.service import all_units, tree_order

    form = LessonsFilterForm(
        formdata=request.args,
        programmes=all_programmes(),
        units=tree_order(all_units()),
        stages=lessons.LIBRARY_STAGES,
        stage_labels=STAGE_LABELS,
    )
    form.validate()
    try:
        page, per_page = page_args(request.args.get("page"), None)
    except ValidationFailed:
        page, per_page = 1, 25
    programme = _find_programme(form.programme.data or "")
    unit = pilots.find_unit(form.unit.data) if form.unit.data else None
    found = lessons.library(
        page,
        per_page,
        (form.q.data or "")[:200],
        programme,
        unit,
        form.stage.data or None,
    )
    return render_template("results/lessons.html", page=found, form=form, args=request.args)


def _find_programme(value: str):
    from pilotmgr.pilots.models import Programme

    return db.session.get(Programme, n) if (n := row_id(value)) else None
