"""The OpenAPI 3.1 description of API v1, built from one table of routes."""

from __future__ import annotations

from pilotmgr.core.routes import Routes

#: Attached to the API blueprint by the app factory.
routes = Routes()


PROBLEM_REF = {"$ref": "#/components/responses/Problem"}

#: (method, path, summary, request-body properties or None, success status)
ROUTES: list[tuple[str, str, str, dict | None, int]] = [
    (
        "post",
        "/auth/token",
        "Exchange e-mail and password for a bearer token",
        {"email": "string", "password": "string"},
        200,
    ),
    ("get", "/me", "The caller (email, name, role, unit, lang, calendar_url)", None, 200),
    ("get", "/units", "Organisation units; filter kind (ministry, province, ...)", None, 200),
    (
        "post",
        "/units",
        "Create a unit (admin); kind (ministry, province, agency, department, division) is "
        "read from the name when not given",
        {"code": "string", "name": "string", "parent": "string", "kind": "string"},
        201,
    ),
    (
        "get",
        "/users",
        "Users the caller may see; filters q (name or e-mail), role, unit (and below), active",
        None,
        200,
    ),
    (
        "post",
        "/users",
        "Create a user (admin)",
        {
            "email": "string",
            "name": "string",
            "role": "string",
            "unit": "string",
            "password": "string",
        },
        201,
    ),
    ("get", "/programmes", "Programmes", None, 200),
    ("post", "/programmes", "Create a programme", {"name": "string", "description": "string"}, 201),
    ("get", "/challenges", "Challenges (problems several pilots may attack)", None, 200),
    (
        "post",
        "/challenges",
        "Create a challenge",
        {"programme_id": "integer", "title": "string", "problem": "string"},
        201,
    ),
    (
        "get",
        "/pilots",
        "Pilots the caller may see; filters stage, unit, owner, challenge, q",
        None,
        200,
    ),
    (
        "post",
        "/pilots",
        "Register a pilot (stage draft)",
        {
            "title": "string",
            "summary": "string",
            "challenge_id": "integer",
            "unit": "string",
            "owner": "string",
            "start_date": "date",
            "end_date": "date",
            "budget": "number",
            "partner": "string",
        },
        201,
    ),
    ("get", "/pilots/{id}", "A pilot with stage, version and readiness", None, 200),
    (
        "patch",
        "/pilots/{id}",
        "Edit a pilot (send the version you read)",
        {"title": "string", "summary": "string", "version": "integer"},
        200,
    ),
    (
        "post",
        "/pilots/{id}/transitions",
        "Move a pilot through its lifecycle (step names the transition where two lead to one "
        "stage: send_back or withdraw from proposed to draft)",
        {
            "to": "string",
            "step": "string",
            "comment": "string",
            "outcome": "string",
            "new_end_date": "date",
            "decision_number": "string",
            "decision_date": "date",
            "lessons": "string",
            "regulation": "object",
            "memo_id": "integer",
            "conditions": "string",
        },
        200,
    ),
    ("get", "/pilots/{id}/history", "Transitions and changes, oldest first", None, 200),
    ("get", "/pilots/{id}/kpis", "The pilot's KPIs", None, 200),
    (
        "post",
        "/pilots/{id}/kpis",
        "Add a KPI",
        {
            "name": "string",
            "unit": "string",
            "baseline": "number",
            "target": "number",
            "direction": "string",
        },
        201,
    ),
    ("get", "/pilots/{id}/tasks", "The pilot's tasks", None, 200),
    (
        "post",
        "/pilots/{id}/tasks",
        "Add a task",
        {
            "title": "string",
            "assignee": "string",
            "due_date": "date",
            "priority": "string",
            "deliverable": "string",
            "how": "string",
        },
        201,
    ),
    (
        "patch",
        "/tasks/{id}",
        "Update a task. Assignees: status (done needs completion_note where a deliverable is "
        "named); editors also title, assignee, priority, deliverable, how, due_date (with "
        "due_change_reason), and cancel (status cancelled with a reason)",
        {
            "status": "string",
            "completion_note": "string",
            "due_date": "date",
            "due_change_reason": "string",
            "title": "string",
            "assignee": "string",
            "priority": "string",
            "deliverable": "string",
            "how": "string",
            "reason": "string",
            "version": "integer",
        },
        200,
    ),
    (
        "patch",
        "/kpis/{id}",
        "Change a KPI; after the pilot starts, thresholds need a head and a comment",
        {
            "name": "string",
            "unit": "string",
            "baseline": "number",
            "target": "number",
            "direction": "string",
            "comment": "string",
            "version": "integer",
        },
        200,
    ),
    (
        "delete",
        "/kpis/{id}",
        "Delete a KPI while its pilot is a draft (?version= guards a stale read); history "
        "keeps its name",
        None,
        204,
    ),
    ("get", "/pilots/{id}/comments", "The pilot's discussion, oldest first", None, 200),
    (
        "post",
        "/pilots/{id}/comments",
        "Write in the pilot's discussion; @e-mail mentions notify (only people who may see "
        "the pilot); multipart with file parts attaches files",
        {"body": "string"},
        201,
    ),
    (
        "post",
        "/kpis/{id}/measurements",
        "Record a KPI value (submitted until approved)",
        {
            "value": "number",
            "measured_on": "date",
            "note": "string",
            "corrects": "integer",
            "reason": "string",
        },
        201,
    ),
    (
        "post",
        "/measurements/{id}/review",
        "Approve or reject a value; only approved values count",
        {"decision": "string", "comment": "string"},
        200,
    ),
    ("post", "/pilots/{id}/evidence", "Attach a file (multipart: file, note)", None, 201),
    (
        "post",
        "/pilots/{id}/evaluations",
        "Score a pilot 1–5 on the five criteria",
        {"scores": "object", "comment": "string"},
        201,
    ),
    (
        "post",
        "/evidence/{id}/retraction",
        "Retract a file uploaded by mistake (its uploader or the pilot's editors); it is no "
        "longer offered or counted, and the history keeps its name and SHA-256",
        {"reason": "string"},
        200,
    ),
    (
        "post",
        "/pilots/{id}/evaluators",
        "Name an evaluator (a head with authority; the person must be able to see the pilot)",
        {"evaluator": "string"},
        201,
    ),
    ("get", "/challenges/{id}/comparison", "Candidates ranked best first", None, 200),
    (
        "post",
        "/challenges/{id}/selection",
        "Select the successful pilot(s); the others close or extend, all or nothing",
        {
            "selected": "array",
            "others": "string",
            "rationale": "string",
            "success_formula": "string",
            "lessons": "string",
            "new_end_date": "date",
        },
        200,
    ),
    (
        "get",
        "/pilots/{id}/rollout/targets",
        "The pilot's rollout targets, in tree order",
        None,
        200,
    ),
    (
        "post",
        "/pilots/{id}/rollout/preview",
        "The units a plan would reach (level: provinces, departments, children or unit; parent, "
        "unit), which are targets already and which would have nobody answerable; changes nothing",
        {
            "level": "string",
            "parent": "string",
            "unit": "string",
            "responsible": "string",
            "due_date": "date",
            "wave": "integer",
        },
        200,
    ),
    (
        "post",
        "/pilots/{id}/rollout/targets",
        "Plan rollout targets in one action: a level (provinces, departments of parent, children "
        "of parent, or one unit) and optionally the units (codes) kept from its preview; or, as "
        "before, one unit (unit) or every unit directly under one (under)",
        {
            "level": "string",
            "parent": "string",
            "units": "array",
            "unit": "string",
            "under": "string",
            "responsible": "string",
            "due_date": "date",
            "wave": "integer",
        },
        201,
    ),
    (
        "post",
        "/pilots/{id}/rollout/bulk",
        "One status and one note for several targets (targets: ids or {id, version}); all or "
        "none: a refused target is named with the reason",
        {"targets": "array", "status": "string", "note": "string"},
        200,
    ),
    (
        "patch",
        "/rollout-targets/{id}",
        "Update a rollout target (blocked needs blocked_reason; due_date, responsible and wave "
        "are for planners; send the version you read)",
        {
            "status": "string",
            "note": "string",
            "blocked_reason": "string",
            "due_date": "date",
            "responsible": "string",
            "wave": "integer",
            "version": "integer",
        },
        200,
    ),
    (
        "delete",
        "/rollout-targets/{id}",
        "Remove a target that has not started, with a reason (planners); answers 204",
        {"reason": "string"},
        204,
    ),
    (
        "post",
        "/pilots/{id}/memos",
        "Issue a decision memo (PDF frozen with its number and SHA-256); reissue_of re-issues "
        "a memo with the recorded decision filled in",
        {"kind": "string", "lang": "string", "reissue_of": "integer"},
        201,
    ),
    ("get", "/memos/{id}.pdf", "An issued memo's stored PDF bytes", None, 200),
    ("get", "/notifications", "The caller's notifications (?unread=1 for unread only)", None, 200),
    ("post", "/notifications/{id}/read", "Mark one of the caller's notifications read", None, 200),
    (
        "get",
        "/exports/{what}.{fmt}",
        "A list as a file (CSV with BOM or XLSX): pilots, tasks, kpis, rollout-targets or "
        "scoreboard; the same filters as the lists; only what the caller may see",
        None,
        200,
    ),
    (
        "patch",
        "/users/{email}",
        "Change a user (admin): name, role, unit, lang; active false deactivates the account "
        "(no sign-in, sessions end, API tokens revoked); send the version you read",
        {
            "name": "string",
            "role": "string",
            "unit": "string",
            "lang": "string",
            "active": "boolean",
            "version": "integer",
        },
        200,
    ),
    (
        "post",
        "/me/password",
        "Change the caller's own password (the current one is needed)",
        {"current_password": "string", "new_password": "string"},
        200,
    ),
    (
        "patch",
        "/programmes/{id}",
        "Change a programme (heads, admins; send the version you read)",
        {"name": "string", "description": "string", "version": "integer"},
        200,
    ),
    (
        "patch",
        "/challenges/{id}",
        "Change a challenge (heads, admins; send the version you read)",
        {"programme_id": "integer", "title": "string", "problem": "string", "version": "integer"},
        200,
    ),
]

#: Path parameters other than {id}: their allowed values.
_PATH_ENUMS = {
    "what": ["pilots", "tasks", "kpis", "rollout-targets", "scoreboard"],
    "fmt": ["csv", "xlsx"],
}

_TYPES = {"date": {"type": "string", "format": "date"}}

_PAGING = {"page": "integer", "per_page": "integer"}
_PILOT_FILTERS = {
    "stage": "string",
    "unit": "string",
    "owner": "string",
    "challenge": "integer",
    "programme": "integer",
    "q": "string",
    "stuck": "string",
    "stuck_days": "integer",
    "overdue": "string",
    "pending": "string",
}
#: Query parameters by (method, path): paging and filters, so generated requests try them too.
_QUERY: dict[tuple[str, str], dict] = {
    ("get", "/units"): _PAGING | {"kind": "string"},
    ("get", "/users"): _PAGING
    | {"q": "string", "role": "string", "unit": "string", "active": "string"},
    ("get", "/programmes"): _PAGING,
    ("get", "/challenges"): _PAGING | {"programme_id": "integer"},
    ("get", "/pilots"): _PAGING | _PILOT_FILTERS,
    ("get", "/pilots/{id}/rollout/targets"): _PAGING,
    ("get", "/notifications"): _PAGING | {"unread": "string"},
    ("delete", "/kpis/{id}"): {"version": "integer"},
    ("get", "/exports/{what}.{fmt}"): _PILOT_FILTERS
    | {"start": "date", "end": "date", "unit": "string"},
}


def _schema(props: dict) -> dict:
    return {
        "type": "object",
        "properties": {name: _TYPES.get(kind, {"type": kind}) for name, kind in props.items()},
    }


def build() -> dict:
    paths: dict = {}
    for method, path, summary, props, status in ROUTES:
        op: dict = {
            "summary": summary,
            "responses": {str(status): {"description": "Success"}, "default": PROBLEM_REF},
        }
        if "{id}" in path:
            op["parameters"] = [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
            ]
        if "{email}" in path:
            op.setdefault("parameters", []).append(
                {
                    "name": "email",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "format": "email"},
                }
            )
        for name, values in _PATH_ENUMS.items():
            if "{" + name + "}" in path:
                op.setdefault("parameters", []).append(
                    {
                        "name": name,
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "enum": values},
                    }
                )
        for name, kind in _QUERY.get((method, path), {}).items():
            op.setdefault("parameters", []).append(
                {"name": name, "in": "query", "schema": _TYPES.get(kind, {"type": kind})}
            )
        if props is not None:
            op["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": _schema(props)}},
            }
        if path == "/auth/token":
            op["security"] = []
        paths.setdefault(path, {})[method] = op
    return {
        "openapi": "3.1.0",
        "info": {"title": "pilotmgr API", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {
                "Problem": {
                    "description": "An error (RFC 9457)",
                    "content": {
                        "application/problem+json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "status": {"type": "integer"},
                                    "title": {"type": "string"},
                                    "detail": {"type": "string"},
                                    "errors": {"type": "object"},
                                    "missing": {"type": "array"},
                                },
                            }
                        }
                    },
                }
            },
        },
    }


@routes.get("/openapi.json")
def openapi():
    return build()


# --- tasks: asking for a new due date ---------------------------------------------------------
ROUTES += [
    ("get", "/tasks/{id}/due-requests", "A task's requests for a new due date", None, 200),
    (
        "post",
        "/tasks/{id}/due-requests",
        "The assignee asks for a new due date, with a reason (the pilot's owner decides)",
        {"new_due_date": "date", "reason": "string"},
        201,
    ),
    (
        "post",
        "/due-requests/{id}/decision",
        "The pilot's owner or a head approves (the due date moves) or declines a request",
        {"decision": "string", "comment": "string"},
        200,
    ),
]
