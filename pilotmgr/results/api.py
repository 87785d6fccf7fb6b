"""API: measurements and review, evidence, evaluations, comparison and selection."""

from __future__ import annotations

from flask import request

from pilotmgr.api import body, created, ok, user
from pilotmgr.core.routes import Routes
from pilotmgr.pilots import service as pilots
from pilotmgr.results import evaluations, evidence, selection, service
from pilotmgr.results.models import CRITERIA

#: Attached to the API blueprint by the app factory.
routes = Routes()


def _num(value):
    return None if value is None else float(value)


def measurement_json(m) -> dict:
    return {
        "id": m.id,
        "kpi_id": m.kpi_id,
        "value": _num(m.value),
        "measured_on": m.measured_on.isoformat(),
        "note": m.note,
        "status": m.status,
        "corrects": m.corrects_id,
        "review_comment": m.review_comment,
        "version": m.version,
    }


@routes.post("/kpis/<kpi_id>/measurements")
def add_measurement(kpi_id):
    kpi, pilot = service.get_kpi(user(), kpi_id)
    return created(measurement_json(service.record_measurement(user(), kpi, pilot, body())))


@routes.post("/measurements/<measurement_id>/review")
def review_measurement(measurement_id):
    found, kpi, pilot = service.get_measurement(user(), measurement_id)
    return ok(measurement_json(service.review_measurement(user(), found, kpi, pilot, body())))


@routes.post("/pilots/<pilot_id>/evidence")
def add_evidence(pilot_id):
    pilot = pilots.pilot_detail(user(), pilot_id)
    found = evidence.add_evidence(
        user(),
        pilot,
        request.files.get("file"),
        request.form.get("note", ""),
        request.form.get("measurement_id"),
    )
    return created(evidence_json(found))


def evidence_json(found) -> dict:
    return {
        "id": found.id,
        "filename": found.filename,
        "size": found.size,
        "sha256": found.sha256,
        "note": found.note,
        "retracted_at": found.retracted_at.isoformat() if found.retracted_at else None,
        "retraction_reason": found.retraction_reason,
    }


@routes.post("/evidence/<evidence_id>/retraction")
def retract_evidence(evidence_id):
    found, pilot = evidence.find_evidence(user(), evidence_id)
    return ok(evidence_json(evidence.retract_evidence(user(), found, pilot, body())))


@routes.post("/pilots/<pilot_id>/evaluators")
def name_evaluator(pilot_id):
    pilot = pilots.pilot_detail(user(), pilot_id)
    found = evaluations.name_evaluator(user(), pilot, body())
    return created({"pilot_id": pilot.id, "evaluator": _email(found.user_id)})


def _email(user_id: int) -> str:
    from pilotmgr.auth.models import User
    from pilotmgr.extensions import db

    return db.session.get(User, user_id).email


@routes.post("/pilots/<pilot_id>/evaluations")
def add_evaluation(pilot_id):
    pilot = pilots.pilot_detail(user(), pilot_id)
    found = evaluations.evaluate(user(), pilot, body())
    return created(
        {
            "id": found.id,
            "pilot_id": pilot.id,
            "scores": {c: getattr(found, c) for c in CRITERIA},
            "comment": found.comment,
        }
    )


def candidate_json(c) -> dict:
    return {
        "pilot_id": c.pilot.id,
        "title": c.pilot.title,
        "unit": c.pilot.unit.code,
        "stage": c.pilot.stage,
        "composite": _num(c.composite),
        "scores": {k: _num(v) for k, v in c.criteria.items()},
        "evaluations": c.evaluations,
        "mean_attainment": _num(c.mean_attainment),
        "kpis": [
            {
                "kpi_id": r.kpi.id,
                "name": r.kpi.name,
                "latest": _num(r.attainment.latest),
                "attainment": _num(r.attainment.percent),
                "verdict": c.verdicts[r.kpi.id],
            }
            for r in c.kpis
        ],
        "budget": _num(c.pilot.budget),
        "cost_per_point": _num(c.cost_per_point),
        "duration_days": c.duration_days,
    }


@routes.get("/challenges/<challenge_id>/comparison")
def challenge_comparison(challenge_id):
    challenge = selection.get_challenge(challenge_id)
    ranked = selection.comparison(user(), challenge)
    return {
        "challenge_id": challenge.id,
        "rule": str(selection.RANKING_RULE),
        "candidates": [candidate_json(c) for c in ranked],
    }


@routes.post("/challenges/<challenge_id>/selection")
def challenge_selection(challenge_id):
    challenge = selection.get_challenge(challenge_id)
    decision = selection.select_pilots(user(), challenge, body())
    return ok(
        {
            "id": decision.id,
            "selected": [int(i) for i in decision.selected_ids.split(",") if i],
            "others": decision.others,
            "other_pilots": [int(i) for i in decision.other_ids.split(",") if i],
        }
    )
