"""API: measurements and review, evidence, evaluations, comparison and selection."""

from __future__ import annotations

from flask import request
from marshmallow import fields

from pilotmgr.api import body, created, ok, user
from pilotmgr.auth.service import email_of
from pilotmgr.core import output as o
from pilotmgr.core.routes import Routes
from pilotmgr.pilots import service as pilots
from pilotmgr.results import evaluations, evidence, selection, service
from pilotmgr.results.models import CRITERIA, MEASUREMENT_STATUSES

#: Attached to the API blueprint by the app factory.
routes = Routes()


class MeasurementOut(o.Output):
    id = o.integer()
    kpi_id = o.integer()
    value = o.number()
    measured_on = o.day()
    note = o.text()
    status = o.choice(MEASUREMENT_STATUSES)
    corrects = o.integer(null=True, attribute="corrects_id")
    review_comment = o.text()
    version = o.integer()


class EvidenceOut(o.Output):
    id = o.integer()
    filename = o.text()
    size = o.integer()
    sha256 = o.text()
    note = o.text()
    retracted_at = o.moment(null=True)
    retraction_reason = o.text()


class EvaluatorOut(o.Output):
    pilot_id = o.integer()
    evaluator = o.method("evaluator_email", o.text())

    def evaluator_email(self, found) -> str:
        return email_of(found.user_id)


ScoresOut = o.Output.from_dict({c: o.integer() for c in CRITERIA}, name="ScoresOut")
MeanScoresOut = o.Output.from_dict({c: o.number(null=True) for c in CRITERIA}, name="MeanScoresOut")


class EvaluationOut(o.Output):
    id = o.integer()
    pilot_id = o.integer()
    scores = o.method("criteria", o.nested(ScoresOut))
    comment = o.text()

    def criteria(self, found) -> dict:
        return {c: getattr(found, c) for c in CRITERIA}


class CandidateKpiOut(o.Output):
    kpi_id = o.integer(attribute="kpi.id")
    name = o.text(attribute="kpi.name")
    latest = o.number(null=True, attribute="attainment.latest")
    attainment = o.number(null=True, attribute="attainment.percent")
    verdict = o.text()


class CandidateOut(o.Output):
    pilot_id = o.integer(attribute="pilot.id")
    title = o.text(attribute="pilot.title")
    unit = o.text(attribute="pilot.unit.code")
    stage = o.text(attribute="pilot.stage")
    composite = o.number(null=True)
    scores = o.nested(MeanScoresOut, attribute="criteria")
    evaluations = o.integer()
    mean_attainment = o.number(null=True)
    kpis = o.method("kpi_rows", o.nested(CandidateKpiOut, many=True))
    budget = o.number(null=True, attribute="pilot.budget")
    cost_per_point = o.number(null=True)
    duration_days = o.integer(null=True)

    def kpi_rows(self, c) -> list[dict]:
        rows = [
            {"kpi": r.kpi, "attainment": r.attainment, "verdict": c.verdicts[r.kpi.id]}
            for r in c.kpis
        ]
        return CandidateKpiOut(many=True).dump(rows)


class ComparisonOut(o.Output):
    challenge_id = o.integer()
    rule = o.text()
    candidates = o.nested(CandidateOut, many=True)


def _ids(raw: str) -> list[int]:
    return [int(i) for i in raw.split(",") if i]


class SelectionOut(o.Output):
    id = o.integer()
    selected = o.method("selected_ids", fields.List(fields.Integer(), required=True))
    others = o.choice(("not_selected", "extend"))
    other_pilots = o.method("other_ids", fields.List(fields.Integer(), required=True))

    def selected_ids(self, decision) -> list[int]:
        return _ids(decision.selected_ids)

    def other_ids(self, decision) -> list[int]:
        return _ids(decision.other_ids)


@routes.post(
    "/kpis/<kpi_id>/measurements", body=service.MeasurementInput, out=MeasurementOut, status=201
)
def add_measurement(kpi_id):
    """Record a KPI value (submitted until approved)"""
    kpi, pilot = service.get_kpi(user(), kpi_id)
    found = service.record_measurement(user(), kpi, pilot, body())
    return created(MeasurementOut().dump(found))


@routes.post("/measurements/<measurement_id>/review", body=service.ReviewInput, out=MeasurementOut)
def review_measurement(measurement_id):
    """Approve or reject a value; only approved values count"""
    found, kpi, pilot = service.get_measurement(user(), measurement_id)
    reviewed = service.review_measurement(user(), found, kpi, pilot, body())
    return ok(MeasurementOut().dump(reviewed))


@routes.post(
    "/pilots/<pilot_id>/evidence",
    body=evidence.EvidenceInput,
    body_media="multipart/form-data",
    out=EvidenceOut,
    status=201,
)
def add_evidence(pilot_id):
    """Attach a file (multipart: file, note, measurement_id)"""
    pilot = pilots.pilot_detail(user(), pilot_id)
    found = evidence.add_evidence(
        user(),
        pilot,
        request.files.get("file", request.form.get("file")),
        request.form.get("note"),
        request.form.get("measurement_id"),
    )
    return created(EvidenceOut().dump(found))


@routes.post("/evidence/<evidence_id>/retraction", body=evidence.RetractionInput, out=EvidenceOut)
def retract_evidence(evidence_id):
    """Retract a file uploaded by mistake (its uploader or the pilot's editors)

    It is no longer offered or counted; the history keeps its name and SHA-256.
    """
    found, pilot = evidence.find_evidence(user(), evidence_id)
    return ok(EvidenceOut().dump(evidence.retract_evidence(user(), found, pilot, body())))


@routes.post(
    "/pilots/<pilot_id>/evaluators",
    body=evaluations.EvaluatorInput,
    out=EvaluatorOut,
    status=201,
)
def name_evaluator(pilot_id):
    """Name an evaluator (a head with authority; the person must be able to see the pilot)"""
    pilot = pilots.pilot_detail(user(), pilot_id)
    return created(EvaluatorOut().dump(evaluations.name_evaluator(user(), pilot, body())))


@routes.post(
    "/pilots/<pilot_id>/evaluations",
    body=evaluations.EvaluationInput,
    out=EvaluationOut,
    status=201,
)
def add_evaluation(pilot_id):
    """Score a pilot 1–5 on the five criteria"""
    pilot = pilots.pilot_detail(user(), pilot_id)
    return created(EvaluationOut().dump(evaluations.evaluate(user(), pilot, body())))


@routes.get("/challenges/<challenge_id>/comparison", out=ComparisonOut)
def challenge_comparison(challenge_id):
    """Candidates ranked best first"""
    challenge = selection.get_challenge(challenge_id)
    ranked = selection.comparison(user(), challenge)
    return ComparisonOut().dump(
        {"challenge_id": challenge.id, "rule": str(selection.RANKING_RULE), "candidates": ranked}
    )


@routes.post(
    "/challenges/<challenge_id>/selection", body=selection.SelectionInput, out=SelectionOut
)
def challenge_selection(challenge_id):
    """Select the successful pilot(s); the others close or extend, all or nothing"""
    challenge = selection.get_challenge(challenge_id)
    decision = selection.select_pilots(user(), challenge, body())
    return ok(SelectionOut().dump(decision))
