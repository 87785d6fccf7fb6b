"""Wrong types, huge strings and broken JSON at every write route: never a 500."""

import pytest

from tests.api.conftest import assert_problem

ROUTES = {
    "token": ("post", "/auth/token", ["email", "password"]),
    "users": ("post", "/users", ["email", "name", "role", "unit", "password"]),
    "units": ("post", "/units", ["code", "name", "parent"]),
    "programmes": ("post", "/programmes", ["name", "description"]),
    "challenges": ("post", "/challenges", ["programme_id", "title", "problem"]),
    "pilots": (
        "post",
        "/pilots",
        ["title", "summary", "challenge_id", "unit", "owner", "start_date", "end_date", "budget"],
    ),
    "pilot": ("patch", "/pilots/{pilot}", ["version", "title", "end_date", "owner", "budget"]),
    "transition": (
        "post",
        "/pilots/{pilot}/transitions",
        [
            "to",
            "comment",
            "outcome",
            "new_end_date",
            "regulation",
            "decision_number",
            "decision_date",
            "memo_id",
            "conditions",
            "lessons",
        ],
    ),
    "kpis": ("post", "/pilots/{pilot}/kpis", ["name", "unit", "baseline", "target", "direction"]),
    "tasks": ("post", "/pilots/{pilot}/tasks", ["title", "assignee", "due_date", "priority"]),
    "task": ("patch", "/tasks/{task}", ["version", "status", "due_date", "due_change_reason"]),
    "kpi": ("patch", "/kpis/{kpi}", ["version", "baseline", "target", "direction", "comment"]),
    "measurements": ("post", "/kpis/{kpi}/measurements", ["value", "measured_on", "note"]),
    "review": ("post", "/measurements/{measurement}/review", ["decision", "comment"]),
    "evaluations": ("post", "/pilots/{pilot}/evaluations", ["scores", "comment"]),
    "selection": (
        "post",
        "/challenges/{challenge}/selection",
        ["selected", "others", "rationale", "success_formula", "lessons", "new_end_date"],
    ),
    "rollout_targets": (
        "post",
        "/pilots/{selected}/rollout/targets",
        ["unit", "under", "responsible", "due_date", "wave"],
    ),
    "rollout_target": (
        "patch",
        "/rollout-targets/{target}",
        ["version", "status", "note", "blocked_reason", "due_date"],
    ),
    "memos": ("post", "/pilots/{selected}/memos", ["kind", "lang", "reissue_of"]),
}
VALUES = {
    "number": 12345678901234567890,
    "float": 1.5e308,
    "negative": -1,
    "bool": True,
    "null": None,
    "list": ["a", 1],
    "object": {"a": {"b": []}},
    "huge": "ư" * 100_000,
    "nul": "a\x00b",
    "lone_surrogate": "\ud800",
}
RAW = {
    "truncated": b'{"title": "abc',
    "bad_escape": b'{"title": "\\ud83"}',
    "lone_surrogate_escape": b'{"title": "\\udc00", "name": "\\ud800"}',
    "invalid_utf8": b'{"title": "\xff\xfe"}',
    "array": b"[]",
    "number": b"42",
    "empty": b"",
}


@pytest.fixture
def targets(org, make):
    from sqlalchemy import select

    from pilotmgr.extensions import db
    from pilotmgr.rollout.models import RolloutTarget

    pilot = make.pilot(owner=org["lead"], unit_=org["dept"])
    piloting = make.pilot("piloting", owner=org["lead"], unit_=org["dept"])
    selected = make.pilot("selected", owner=org["lead"], unit_=org["dept"])
    kpi = make.kpi(piloting)
    return {
        "pilot": pilot.id,
        "task": make.task(pilot, assignee=org["lead"]).id,
        "kpi": kpi.id,
        "measurement": make.measurement(kpi, org["lead"], status="submitted").id,
        "challenge": selected.challenge_id,
        "selected": selected.id,
        "target": db.session.scalar(
            select(RolloutTarget.id).where(RolloutTarget.pilot_id == selected.id)
        ),
    }


def _call(api, org, targets, route, **kwargs):
    method, path, _ = ROUTES[route]
    return getattr(api(org["admin"]), method)(path.format(**targets), **kwargs)


def _ok(response):
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    if response.status_code >= 400:
        assert_problem(response, response.status_code)


@pytest.mark.parametrize("kind", VALUES)
@pytest.mark.parametrize("route", ROUTES)
def test_wrong_types_never_500(org, api, targets, route, kind):
    fields = ROUTES[route][2]
    response = _call(api, org, targets, route, json=dict.fromkeys(fields, VALUES[kind]))
    _ok(response)
    assert response.status_code >= 400


@pytest.mark.parametrize("kind", RAW)
@pytest.mark.parametrize("route", ROUTES)
def test_broken_json_is_400(org, api, targets, route, kind):
    response = _call(api, org, targets, route, data=RAW[kind], content_type="application/json")
    assert_problem(response, 400)
