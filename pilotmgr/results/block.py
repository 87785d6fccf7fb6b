"""The pilot page's results block: its figures, and each of its forms.

A form that failed comes back from `page_forms` as typed (see `pilots.views.detail_page`);
every other one is built empty (`formdata=None`), so no block reads another form's POST.
Names in `page_forms` and the id prefixes of their fields (several forms share the page):
`measurement-<kpi>` (m<kpi>-), `correction-<value>` (c<value>-), `review-<value>`
(r<value>-), `verdict-<kpi>` (v<kpi>-), `evidence` (ev-), `retract-<file>` (x<file>-),
`evaluation` (eval-), `evaluator` (evr-).
"""

from __future__ import annotations

from flask_login import current_user

from pilotmgr.core.clock import local_today
from pilotmgr.pilots.stages import Stage
from pilotmgr.results import evaluations, evidence, service
from pilotmgr.results.forms import (
    CorrectionForm,
    EvaluationForm,
    EvaluatorForm,
    EvidenceForm,
    MeasurementForm,
    RetractionForm,
    ReviewForm,
    VerdictForm,
)


def measurement_form(kpi_id: int, **kw):
    return MeasurementForm(id_prefix=f"m{kpi_id}-", **kw)


def correction_form(measurement_id: int, **kw):
    return CorrectionForm(id_prefix=f"c{measurement_id}-", **kw)


def review_form(measurement_id: int, **kw):
    return ReviewForm(id_prefix=f"r{measurement_id}-", **kw)


def verdict_form(kpi_id: int, **kw):
    return VerdictForm(id_prefix=f"v{kpi_id}-", **kw)


def retraction_form(evidence_id: int, **kw):
    return RetractionForm(id_prefix=f"x{evidence_id}-", **kw)


def results_block(pilot, page_forms: dict | None = None) -> dict:
    """What the results block shows, with each form: the failed one as typed, else empty."""
    page_forms = page_forms or {}
    r = service.pilot_results(current_user, pilot)
    files = evidence.evidence_for(pilot)
    r["people"].update(
        service.people_by_id(
            [f.uploaded_by_id for f in files]
            + [f.retracted_by_id for f in files]
            + [m.reviewed_by_id for k in r["kpis"] for m in k.measurements]
        )
    )
    forms: dict = {}

    def form(name, build):
        forms[name] = page_forms.get(name) or build()

    today = local_today()
    evaluating = pilot.stage == Stage.evaluating
    for k in r["kpis"]:
        kpi_id = k.kpi.id
        if r["can_record"]:
            form(
                f"measurement-{kpi_id}",
                lambda i=kpi_id: measurement_form(i, formdata=None, data={"measured_on": today}),
            )
        if r["is_head"] and evaluating:
            current = k.verdict.verdict if k.verdict else k.attainment.verdict
            form(
                f"verdict-{kpi_id}",
                lambda i=kpi_id, c=current: verdict_form(i, formdata=None, data={"verdict": c}),
            )
        for m in k.measurements:
            if m.status == "submitted" and service.can_review(current_user, pilot, m):
                form(
                    f"review-{m.id}",
                    lambda m=m: review_form(m.id, formdata=None, data={"version": m.version}),
                )
            if r["can_record"]:
                form(
                    f"correction-{m.id}",
                    lambda m=m: correction_form(
                        m.id, formdata=None, data={"corrects": m.id, "measured_on": m.measured_on}
                    ),
                )
    if r["can_record"]:
        form("evidence", lambda: EvidenceForm(formdata=None, id_prefix="ev-"))
    for f in files:
        if evidence.can_retract(current_user, f, pilot):
            form(f"retract-{f.id}", lambda f=f: retraction_form(f.id, formdata=None))
    if r["can_evaluate"]:
        mine = r["my_evaluation"]
        form(
            "evaluation",
            lambda: (
                EvaluationForm.for_evaluation(mine, formdata=None, id_prefix="eval-")
                if mine
                else EvaluationForm(formdata=None, id_prefix="eval-")
            ),
        )
    if r["is_head"] and evaluating:
        r["evaluators"] = evaluations.evaluators(pilot)
        form(
            "evaluator",
            lambda: EvaluatorForm(
                formdata=None, id_prefix="evr-", people=evaluations.evaluator_choices(pilot)
            ),
        )
    r["evidence"] = files
    r["active_evidence"] = [f for f in files if f.retracted_at is None]
    r["forms"] = forms
    return r
