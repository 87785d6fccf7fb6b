from flask import request
from marshmallow import fields

from pilotmgr.api import body, created, ok, page_json, page_params, user
from pilotmgr.api.openapi import page_of
from pilotmgr.auth.service import email_of
from pilotmgr.core import output as o
from pilotmgr.core import validate as v
from pilotmgr.core.pagination import Page, PageQuery
from pilotmgr.core.routes import Routes
from pilotmgr.extensions import db
from pilotmgr.pilots import due_requests, lifecycle, programmes, service, tasks, transitions
from pilotmgr.pilots.lifecycle import OUTCOMES, STAGES
from pilotmgr.pilots.models import (
    DIRECTIONS,
    DUE_REQUEST_STATUSES,
    PRIORITIES,
    TASK_STATUSES,
    Pilot,
    Task,
    TaskDueRequest,
)

#: Attached to the API blueprint by the app factory.
routes = Routes()


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


class PilotOut(o.Output):
    """A pilot in a list."""

    id = o.integer()
    title = o.text()
    summary = o.text()
    challenge_id = o.integer(null=True)
    unit = o.text(attribute="unit.code")
    owner = o.text(attribute="owner.email")
    start_date = o.day(null=True)
    end_date = o.day(null=True)
    budget = o.number(null=True)
    partner = o.text()
    stage = o.choice(STAGES)
    outcome = o.choice(OUTCOMES, null=True)
    version = o.integer()
    stage_changed_at = o.moment()


class ReadinessOut(o.Output):
    """Whether the main step forward may be taken, and what it still lacks."""

    ok = o.boolean()
    missing = o.strings()


class FileOut(o.Output):
    id = o.integer()
    filename = o.text()
    sha256 = o.text()


class RegulationOut(o.Output):
    number = o.text(attribute="regulation_number")
    date = o.day(null=True, attribute="regulation_date")
    issuer = o.text(attribute="regulation_issuer")
    title = o.text(attribute="regulation_title")
    file = o.method("_regulation_file", o.nested(FileOut, null=True))

    def _regulation_file(self, p: Pilot):
        found = service.regulation_file(p)
        return None if found is None else FileOut().dump(found)


class RolloutOut(o.Output):
    decision_number = o.method("_decision_number", o.text(null=True))
    decision_date = o.day(null=True, attribute="rollout_decision_date")
    guide = o.text(attribute="rollout_guide")
    open_wave = o.integer(attribute="rollout_open_wave")

    def _decision_number(self, p: Pilot):
        return p.rollout_decision_number or None


class PilotDetailOut(PilotOut):
    """A pilot with its readiness, lessons, regulation and rollout decision."""

    readiness = o.method("_readiness", o.nested(ReadinessOut))
    success_formula = o.text()
    lessons = o.text()
    regulation = o.method("_regulation", o.nested(RegulationOut, null=True))
    rollout = o.method("_rollout", o.nested(RolloutOut))

    def _readiness(self, p: Pilot):
        missing = [str(m) for m in lifecycle.forward_readiness(p)]
        return {"ok": not missing, "missing": missing}

    def _regulation(self, p: Pilot):
        return RegulationOut().dump(p) if p.regulation_number else None

    def _rollout(self, p: Pilot):
        return RolloutOut().dump(p)


class TransitionOut(o.Output):
    stage = o.choice(STAGES)
    outcome = o.choice(OUTCOMES, null=True)
    version = o.integer()


class HistoryEntryOut(o.Output):
    id = o.integer()
    at = o.moment()
    action = o.text()
    object_type = o.text()
    object_id = o.integer()
    actor = o.method("_actor", o.text(null=True))
    comment = o.text()
    before = fields.Dict(required=True)
    after = fields.Dict(required=True)
    unit = o.text(attribute="unit_code")

    def _actor(self, e):
        return e.actor.email if e.actor else None


class HistoryOut(o.Output):
    items = o.nested(HistoryEntryOut, many=True)


class KpiOut(o.Output):
    id = o.integer()
    pilot_id = o.integer()
    name = o.text()
    unit = o.text()
    baseline = o.number(null=True)
    target = o.number(null=True)
    direction = o.choice(DIRECTIONS)
    version = o.integer()


class TaskOut(o.Output):
    id = o.integer()
    pilot_id = o.integer()
    title = o.text()
    how = o.text()
    assignee = o.method("_assignee", o.text(null=True))
    priority = o.choice(PRIORITIES)
    due_date = o.day(null=True)
    deliverable = o.text()
    status = o.choice(TASK_STATUSES)
    completed_at = o.moment(null=True)
    completion_note = o.text()
    version = o.integer()

    def _assignee(self, t: Task):
        return email_of(t.assignee_id)


class DueRequestOut(o.Output):
    id = o.integer()
    task_id = o.integer()
    requested_by = o.method("_requested_by", o.text(null=True))
    old_due_date = o.day(null=True)
    new_due_date = o.day()
    reason = o.text()
    status = o.choice(DUE_REQUEST_STATUSES)
    created_at = o.moment()
    decided_by = o.method("_decided_by", o.text(null=True))
    decided_at = o.moment(null=True)
    decision_comment = o.text()

    def _requested_by(self, r: TaskDueRequest):
        return email_of(r.requested_by_id)

    def _decided_by(self, r: TaskDueRequest):
        return email_of(r.decided_by_id)


def _whole(items: list, schema) -> dict:
    """A list answered in one page, shaped as every paged list is."""
    return page_json(Page(items, total=len(items), page=1, per_page=max(len(items), 1)), schema)


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


@routes.get("/pilots", query=(PageQuery, service.PilotQuery), out=page_of(PilotOut))
def list_pilots():
    """Pilots the caller may see; filters stage, unit, owner, challenge, q
    Also programme; stuck=true (stage unchanged for stuck_days, by default the setting), overdue=true
    (an open task past its due date), pending=true (a measurement waiting for review). A unit
    includes the units below it; q searches title, summary and partner without diacritics.
    """
    page, per_page = page_params()
    filters = service.list_filters(request.args)
    return page_json(service.list_pilots(user(), page, per_page, **filters), PilotOut)


@routes.post("/pilots", body=service.PilotInput, out=PilotDetailOut, status=201)
def create_pilot():
    """Register a pilot (stage draft)"""
    return created(PilotDetailOut().dump(service.create_pilot(user(), body())))


@routes.get("/pilots/<pilot_id>", out=PilotDetailOut)
def get_pilot(pilot_id):
    """A pilot with stage, version and readiness"""
    return PilotDetailOut().dump(service.get_pilot(user(), pilot_id))


@routes.patch("/pilots/<pilot_id>", body=service.PilotChanges, out=PilotDetailOut)
def update_pilot(pilot_id):
    """Edit a pilot (send the version you read)"""
    pilot = service.get_pilot(user(), pilot_id)
    return ok(PilotDetailOut().dump(service.update_pilot(user(), pilot, body())))


@routes.post("/pilots/<pilot_id>/transitions", body=transitions.TransitionInput, out=TransitionOut)
def transition_pilot(pilot_id):
    """Move a pilot through its lifecycle (step names the transition where two lead to one stage: send_back or withdraw from proposed to draft)"""
    pilot = service.get_pilot(user(), pilot_id)
    return ok(TransitionOut().dump(transitions.transition(user(), pilot, body())))


@routes.get("/pilots/<pilot_id>/history", out=HistoryOut)
def pilot_history(pilot_id):
    """Transitions and changes, oldest first"""
    pilot = service.get_pilot(user(), pilot_id)
    return HistoryOut().dump({"items": service.history(user(), pilot)})


@routes.get("/pilots/<pilot_id>/kpis", out=page_of(KpiOut))
def list_kpis(pilot_id):
    """The pilot's KPIs"""
    pilot = service.get_pilot(user(), pilot_id)
    return _whole(service.list_kpis(user(), pilot), KpiOut)


@routes.post("/pilots/<pilot_id>/kpis", body=service.KpiInput, out=KpiOut, status=201)
def create_kpi(pilot_id):
    """Add a KPI"""
    pilot = service.get_pilot(user(), pilot_id)
    return created(KpiOut().dump(service.add_kpi(user(), pilot, body())))


@routes.patch("/kpis/<kpi_id>", body=service.KpiChanges, out=KpiOut)
def update_kpi(kpi_id):
    """Change a KPI; after the pilot starts, thresholds need a head and a comment"""
    kpi = service.get_kpi(user(), kpi_id)
    return ok(KpiOut().dump(service.update_kpi(user(), kpi, body())))


@routes.delete("/kpis/<kpi_id>", query=service.KpiRemovalQuery, status=204)
def delete_kpi(kpi_id):
    """Delete a KPI while its pilot is a draft (?version= guards a stale read); history keeps its name"""
    kpi = service.get_kpi(user(), kpi_id)
    data = request.get_json(silent=True)
    data = data if isinstance(data, dict) else {}
    # The query's values, read as a query's are, take the place of the body's.
    given = v.parse_query(request.args, service.KpiRemovalQuery)
    data |= {key: value for key, value in given.items() if value is not None}
    service.delete_kpi(user(), kpi, data)
    db.session.commit()
    return "", 204


# --- tasks -----------------------------------------------------------------------------------


@routes.get("/pilots/<pilot_id>/tasks", out=page_of(TaskOut))
def list_tasks(pilot_id):
    """The pilot's tasks"""
    pilot = service.get_pilot(user(), pilot_id)
    return _whole(tasks.list_tasks(user(), pilot), TaskOut)


@routes.post("/pilots/<pilot_id>/tasks", body=tasks.TaskInput, out=TaskOut, status=201)
def create_task(pilot_id):
    """Add a task"""
    pilot = service.get_pilot(user(), pilot_id)
    return created(TaskOut().dump(tasks.add_task(user(), pilot, body())))


@routes.patch("/tasks/<task_id>", body=tasks.TaskChanges, out=TaskOut)
def update_task(task_id):
    """Update a task. Assignees: status (done needs completion_note where a deliverable is named); editors also title, assignee, priority, deliverable, how, due_date (with due_change_reason), and cancel (status cancelled with a reason)"""
    task = tasks.get_task(user(), task_id)
    return ok(TaskOut().dump(tasks.update_task(user(), task, body())))


@routes.get("/tasks/<task_id>/due-requests", out=page_of(DueRequestOut))
def list_due_requests(task_id):
    """A task's requests for a new due date"""
    task = tasks.get_task(user(), task_id)
    return _whole(due_requests.due_requests(user(), task), DueRequestOut)


@routes.post(
    "/tasks/<task_id>/due-requests",
    body=due_requests.DueRequestInput,
    out=DueRequestOut,
    status=201,
)
def request_due_date(task_id):
    """The assignee asks for a new due date, with a reason (the pilot's owner decides)"""
    task = tasks.get_task(user(), task_id)
    return created(DueRequestOut().dump(due_requests.request_due_date(user(), task, body())))


@routes.post(
    "/due-requests/<request_id>/decision", body=due_requests.DueDecisionInput, out=DueRequestOut
)
def decide_due_request(request_id):
    """The pilot's owner or a head approves (the due date moves) or declines a request"""
    found = due_requests.get_due_request(user(), request_id)
    return ok(DueRequestOut().dump(due_requests.decide_due_request(user(), found, body())))
