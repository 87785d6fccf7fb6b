from flask import request

from pilotmgr.api import body, created, ok, page_json, page_params, user
from pilotmgr.api.openapi import page_of
from pilotmgr.auth.models import User
from pilotmgr.core import output as o
from pilotmgr.core import validate as v
from pilotmgr.core.errors import ValidationFailed
from pilotmgr.core.pagination import PageQuery
from pilotmgr.core.routes import Routes
from pilotmgr.core.validate import text
from pilotmgr.extensions import db
from pilotmgr.pilots import due_requests, lifecycle, programmes, service, tasks, transitions
from pilotmgr.pilots.lifecycle import STAGES
from pilotmgr.pilots.models import Kpi, Pilot, Task, TaskDueRequest

#: Attached to the API blueprint by the app factory.
routes = Routes()


def decimal_json(value):
    return None if value is None else float(value)


class ProgrammeOut(o.Output):
    id = o.integer()
    name = o.text()
    description = o.text()
    version = o.integer()


class ChallengeOut(o.Output):
    id = o.integer()
    programme_id = o.integer()
    title = o.text()
    problem = o.text()
    version = o.integer()


def pilot_json(p: Pilot, *, full: bool = False) -> dict:
    data = {
        "id": p.id,
        "title": p.title,
        "summary": p.summary,
        "challenge_id": p.challenge_id,
        "unit": p.unit.code,
        "owner": p.owner.email,
        "start_date": _iso(p.start_date),
        "end_date": _iso(p.end_date),
        "budget": decimal_json(p.budget),
        "partner": p.partner,
        "stage": p.stage,
        "outcome": p.outcome,
        "version": p.version,
        "stage_changed_at": p.stage_changed_at.isoformat(),
    }
    if full:
        missing = [str(m) for m in lifecycle.forward_readiness(p)]
        data["readiness"] = {"ok": not missing, "missing": missing}
        data["success_formula"] = p.success_formula
        data["lessons"] = p.lessons
        data["regulation"] = (
            {
                "number": p.regulation_number,
                "date": _iso(p.regulation_date),
                "issuer": p.regulation_issuer,
                "title": p.regulation_title,
                "file": _regulation_file(p),
            }
            if p.regulation_number
            else None
        )
        data["rollout"] = {
            "decision_number": p.rollout_decision_number or None,
            "decision_date": _iso(p.rollout_decision_date),
            "guide": p.rollout_guide,
            "open_wave": p.rollout_open_wave,
        }
    return data


def _regulation_file(p: Pilot) -> dict | None:
    from pilotmgr.rollout.service import regulation_file

    found = regulation_file(p)
    if found is None:
        return None
    return {"id": found.id, "filename": found.filename, "sha256": found.sha256}


def kpi_json(k: Kpi) -> dict:
    return {
        "id": k.id,
        "pilot_id": k.pilot_id,
        "name": k.name,
        "unit": k.unit,
        "baseline": decimal_json(k.baseline),
        "target": decimal_json(k.target),
        "direction": k.direction,
        "version": k.version,
    }


def task_json(t: Task) -> dict:
    return {
        "id": t.id,
        "pilot_id": t.pilot_id,
        "title": t.title,
        "how": t.how,
        "assignee": _email(t.assignee_id),
        "priority": t.priority,
        "due_date": _iso(t.due_date),
        "deliverable": t.deliverable,
        "status": t.status,
        "completed_at": t.completed_at.isoformat() if t.completed_at else None,
        "completion_note": t.completion_note,
        "version": t.version,
    }


def due_request_json(r: TaskDueRequest) -> dict:
    return {
        "id": r.id,
        "task_id": r.task_id,
        "requested_by": _email(r.requested_by_id),
        "old_due_date": _iso(r.old_due_date),
        "new_due_date": _iso(r.new_due_date),
        "reason": r.reason,
        "status": r.status,
        "created_at": r.created_at.isoformat(),
        "decided_by": _email(r.decided_by_id),
        "decided_at": r.decided_at.isoformat() if r.decided_at else None,
        "decision_comment": r.decision_comment,
    }


def _email(user_id):
    # session.get reads the identity map first: no query when the list preloaded assignees.
    return db.session.get(User, user_id).email if user_id else None


def _iso(value):
    return value.isoformat() if value else None


@routes.get("/programmes", query=PageQuery, out=page_of(ProgrammeOut))
def list_programmes():
    """Programmes"""
    page, per_page = page_params()
    return page_json(programmes.list_programmes(page, per_page), ProgrammeOut)


@routes.post("/programmes", body=programmes.ProgrammeInput, out=ProgrammeOut, status=201)
def create_programme():
    """Create a programme"""
    return created(ProgrammeOut().dump(programmes.create_programme(user(), body())))


@routes.get("/challenges", query=(PageQuery, programmes.ChallengeQuery), out=page_of(ChallengeOut))
def list_challenges():
    """Challenges (problems several pilots may attack)"""
    page, per_page = page_params()
    programme_id = v.parse_query(request.args, programmes.ChallengeQuery)["programme_id"]
    return page_json(programmes.list_challenges(page, per_page, programme_id), ChallengeOut)


@routes.post("/challenges", body=programmes.ChallengeInput, out=ChallengeOut, status=201)
def create_challenge():
    """Create a challenge"""
    return created(ChallengeOut().dump(programmes.create_challenge(user(), body())))


@routes.patch("/programmes/<int:programme_id>", body=programmes.ProgrammeChanges, out=ProgrammeOut)
def update_programme(programme_id):
    """Rename a programme or rewrite its description (send the version you read)"""
    programme = programmes.get_programme(programme_id)
    return ok(ProgrammeOut().dump(programmes.update_programme(user(), programme, body())))


@routes.patch("/challenges/<int:challenge_id>", body=programmes.ChallengeChanges, out=ChallengeOut)
def update_challenge(challenge_id):
    """Retitle a challenge, restate its problem or move it (send the version you read)"""
    challenge = programmes.get_challenge(challenge_id)
    return ok(ChallengeOut().dump(programmes.update_challenge(user(), challenge, body())))


def _filters() -> dict:
    args = request.args
    filters, errors = {}, {}
    stage = args.get("stage") or None
    if stage and stage not in STAGES:
        errors["stage"] = [f"must be one of {', '.join(STAGES)}"]
    filters["stage"] = stage
    for name, find in (
        ("unit", service.find_unit),
        ("owner", service.find_user),
        ("challenge", service.find_challenge),
    ):
        raw = args.get(name)
        filters[name] = find(raw) if raw else None
        if raw and filters[name] is None:
            errors[name] = [f"no such {name}"]
    try:
        filters["q"] = text(200).convert(args.get("q", ""))
    except ValueError as exc:
        errors["q"] = [str(exc)]
    if errors:
        raise ValidationFailed(errors)
    return filters


@routes.get("/pilots")
def list_pilots():
    page, per_page = page_params()
    return page_json(service.list_pilots(user(), page, per_page, **_filters()), pilot_json)


@routes.post("/pilots")
def create_pilot():
    return created(pilot_json(service.create_pilot(user(), body()), full=True))


@routes.get("/pilots/<pilot_id>")
def get_pilot(pilot_id):
    return pilot_json(service.get_pilot(user(), pilot_id), full=True)


@routes.patch("/pilots/<pilot_id>")
def update_pilot(pilot_id):
    pilot = service.get_pilot(user(), pilot_id)
    return ok(pilot_json(service.update_pilot(user(), pilot, body()), full=True))


@routes.post("/pilots/<pilot_id>/transitions")
def transition_pilot(pilot_id):
    pilot = service.get_pilot(user(), pilot_id)
    pilot = transitions.transition(user(), pilot, body())
    return ok({"stage": pilot.stage, "outcome": pilot.outcome, "version": pilot.version})


@routes.get("/pilots/<pilot_id>/history")
def pilot_history(pilot_id):
    pilot = service.get_pilot(user(), pilot_id)
    return {
        "items": [
            {
                "id": e.id,
                "at": e.at.isoformat(),
                "action": e.action,
                "object_type": e.object_type,
                "object_id": e.object_id,
                "actor": e.actor.email if e.actor else None,
                "comment": e.comment,
                "before": e.before,
                "after": e.after,
                "unit": e.unit_code,
            }
            for e in service.history(user(), pilot)
        ]
    }


@routes.get("/pilots/<pilot_id>/kpis")
def list_kpis(pilot_id):
    pilot = service.get_pilot(user(), pilot_id)
    items = service.list_kpis(user(), pilot)
    return {
        "items": [kpi_json(k) for k in items],
        "total": len(items),
        "page": 1,
        "per_page": max(len(items), 1),
    }


@routes.post("/pilots/<pilot_id>/kpis")
def create_kpi(pilot_id):
    pilot = service.get_pilot(user(), pilot_id)
    return created(kpi_json(service.add_kpi(user(), pilot, body())))


@routes.patch("/kpis/<kpi_id>")
def update_kpi(kpi_id):
    kpi = service.get_kpi(user(), kpi_id)
    return ok(kpi_json(service.update_kpi(user(), kpi, body())))


# --- tasks -----------------------------------------------------------------------------------


@routes.get("/pilots/<pilot_id>/tasks")
def list_tasks(pilot_id):
    pilot = service.get_pilot(user(), pilot_id)
    items = tasks.list_tasks(user(), pilot)
    return {
        "items": [task_json(t) for t in items],
        "total": len(items),
        "page": 1,
        "per_page": max(len(items), 1),
    }


@routes.post("/pilots/<pilot_id>/tasks")
def create_task(pilot_id):
    pilot = service.get_pilot(user(), pilot_id)
    return created(task_json(tasks.add_task(user(), pilot, body())))


@routes.patch("/tasks/<task_id>")
def update_task(task_id):
    """Assignees: status, and done with `completion_note`; editors: the task's terms too."""
    task = tasks.get_task(user(), task_id)
    return ok(task_json(tasks.update_task(user(), task, body())))


@routes.delete("/kpis/<kpi_id>")
def delete_kpi(kpi_id):
    """Only while the pilot is a draft; `?version=` (or a JSON `version`) guards a stale read."""
    kpi = service.get_kpi(user(), kpi_id)
    data = request.get_json(silent=True)
    data = data if isinstance(data, dict) else {}
    if request.args.get("version"):
        data["version"] = request.args["version"]
    service.delete_kpi(user(), kpi, data)
    db.session.commit()
    return "", 204


@routes.get("/tasks/<task_id>/due-requests")
def list_due_requests(task_id):
    task = tasks.get_task(user(), task_id)
    items = due_requests.due_requests(user(), task)
    return {
        "items": [due_request_json(r) for r in items],
        "total": len(items),
        "page": 1,
        "per_page": max(len(items), 1),
    }


@routes.post("/tasks/<task_id>/due-requests")
def request_due_date(task_id):
    task = tasks.get_task(user(), task_id)
    return created(due_request_json(due_requests.request_due_date(user(), task, body())))


@routes.post("/due-requests/<request_id>/decision")
def decide_due_request(request_id):
    found = due_requests.get_due_request(user(), request_id)
    return ok(due_request_json(due_requests.decide_due_request(user(), found, body())))
