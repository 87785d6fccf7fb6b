"""Results pages: values and their review, evidence, evaluations, comparison, selection, lessons."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from pilotmgr.core.pagination import page_args
from pilotmgr.core.web import commit
from pilotmgr.pilots import service as pilots
from pilotmgr.pilots.lifecycle import STAGE_LABELS
from pilotmgr.results import evidence, lessons, selection, service
from pilotmgr.results.evidence import MIMETYPES
from pilotmgr.results.models import CRITERIA

bp = Blueprint("results", __name__)
CRITERION_LABELS = {
    "feasibility": _l("Feasibility"),
    "effectiveness": _l("Effectiveness"),
    "needs_fit": _l("Fit to real needs"),
    "cost": _l("Cost"),
    "scalability": _l("Scalability"),
}


@bp.record_once
def _template_helpers(state):
    """The pilot page includes the results block; these give it its data."""
    state.app.jinja_env.globals.update(
        pilot_results=lambda pilot: service.pilot_results(current_user, pilot),
        pilot_evidence=evidence.evidence_for,
        CRITERIA=CRITERIA,
        criterion_labels=CRITERION_LABELS,
    )


def _to_pilot(pilot_id: int, anchor: str = "results"):
    return redirect(url_for("pilots.detail", pilot_id=pilot_id, _anchor=anchor))


@bp.post("/kpis/<int:kpi_id>/measurements")
@login_required
def add_measurement(kpi_id):
    kpi, pilot = service.get_kpi(current_user, kpi_id)
    service.record_measurement(current_user, kpi, pilot, request.form)
    commit()
    flash(_l("Value recorded; it counts once approved."), "success")
    return _to_pilot(pilot.id, f"kpi-{kpi.id}")


@bp.post("/measurements/<int:measurement_id>/review")
@login_required
def review(measurement_id):
    found, kpi, pilot = service.get_measurement(current_user, measurement_id)
    service.review_measurement(current_user, found, kpi, pilot, request.form)
    commit()
    flash(_l("Review saved."), "success")
    return _to_pilot(pilot.id, f"kpi-{kpi.id}")


@bp.post("/kpis/<int:kpi_id>/verdict")
@login_required
def verdict(kpi_id):
    kpi, pilot = service.get_kpi(current_user, kpi_id)
    computed = service.kpi_results(pilot, [kpi])[0].attainment.verdict
    service.set_verdict(current_user, kpi, pilot, computed, request.form)
    commit()
    flash(_l("Verdict saved."), "success")
    return _to_pilot(pilot.id, f"kpi-{kpi.id}")


@bp.post("/pilots/<int:pilot_id>/evaluations")
@login_required
def evaluate(pilot_id):
    pilot = pilots.get_pilot(current_user, pilot_id)
    service.evaluate(current_user, pilot, request.form)
    commit()
    flash(_l("Evaluation saved."), "success")
    return _to_pilot(pilot.id, "evaluations")


@bp.post("/pilots/<int:pilot_id>/evaluators")
@login_required
def name_evaluator(pilot_id):
    pilot = pilots.get_pilot(current_user, pilot_id)
    service.name_evaluator(current_user, pilot, request.form.get("email", ""))
    commit()
    flash(_l("Evaluator named."), "success")
    return _to_pilot(pilot.id, "evaluations")


@bp.post("/pilots/<int:pilot_id>/evidence")
@login_required
def upload(pilot_id):
    pilot = pilots.pilot_detail(current_user, pilot_id)
    evidence.add_evidence(
        current_user,
        pilot,
        request.files.get("file"),
        request.form.get("note", ""),
        request.form.get("measurement_id"),
    )
    commit()
    flash(_l("File attached."), "success")
    return _to_pilot(pilot.id, "evidence")


@bp.get("/evidence/<int:evidence_id>")
@login_required
def download(evidence_id):
    found, path = evidence.get_evidence(current_user, evidence_id)
    return send_file(
        path, mimetype=MIMETYPES[found.kind], as_attachment=True, download_name=found.filename
    )


@bp.get("/challenges/<int:challenge_id>/comparison")
@login_required
def comparison(challenge_id):
    challenge = selection.get_challenge(challenge_id)
    candidates = selection.comparison(current_user, challenge)
    return render_template(
        "results/comparison.html",
        challenge=challenge,
        candidates=candidates,
        rule=selection.RANKING_RULE,
        weights=service.weights_for(challenge.programme_id),
        chart=selection.comparison_chart(candidates),
    )


@bp.post("/programmes/<int:programme_id>/weights")
@login_required
def weights(programme_id):
    service.set_weights(current_user, programme_id, request.form)
    commit()
    flash(_l("Criterion weights saved."), "success")
    back_to = request.form.get("challenge_id", "")
    if back_to.isdigit():
        return redirect(url_for("results.comparison", challenge_id=int(back_to)))
    return redirect(url_for("results.library"))


@bp.post("/challenges/<int:challenge_id>/selection")
@login_required
def select(challenge_id):
    challenge = selection.get_challenge(challenge_id)
    data = request.form.to_dict()
    data["selected"] = request.form.getlist("selected")
    data["success_formula"] = {
        key.removeprefix("formula_"): value
        for key, value in request.form.items()
        if key.startswith("formula_")
    }
    selection.select_pilots(current_user, challenge, data)
    commit()
    flash(_l("Selection decided and recorded in every candidate's history."), "success")
    return redirect(url_for("results.comparison", challenge_id=challenge.id))


@bp.get("/lessons")
@login_required
def library():
    page, per_page = page_args(request.args.get("page"), None)
    programme = _find_programme(request.args.get("programme", ""))
    unit = pilots.find_unit(request.args.get("unit", "")) if request.args.get("unit") else None
    found = lessons.library(
        page, per_page, request.args.get("q", ""), programme, unit, request.args.get("stage")
    )
    return render_template(
        "results/lessons.html",
        page=found,
        args=request.args,
        stages=lessons.LIBRARY_STAGES,
        STAGE_LABELS=STAGE_LABELS,
        **pilots_choices(),
    )


def _find_programme(value: str):
    from pilotmgr.extensions import db
    from pilotmgr.pilots.models import Programme

    return db.session.get(Programme, int(value)) if value.isdigit() else None


def pilots_choices() -> dict:
    from pilotmgr.pilots.programmes import all_programmes
    from pilotmgr.units.service import all_units, tree_order

    return {"programmes": all_programmes(), "units": tree_order(all_units())}
