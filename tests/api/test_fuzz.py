"""Wrong types, huge strings and broken JSON at every write operation: never a 500.

The operations and their fields are read from the generated /api/v1/openapi.json: a field
added to an input schema is fuzzed here without a word.
"""

import re

import pytest

from tests.api.conftest import assert_problem

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


PARAMETER = re.compile(r"\{([a-z_]+)\}")


def _writes(api, org) -> list[tuple[str, str, list[str]]]:
    """(method, path, body fields) of every operation that takes a JSON body."""
    doc = api(org["admin"]).get("/openapi.json").get_json()
    schemas = doc["components"]["schemas"]
    found = []
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            if schema is None:
                continue
            if "$ref" in schema:
                schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
            found.append((method, path, sorted(schema.get("properties", {}))))
    assert len(found) > 25, found
    return found


def _names_objects(path: str, targets: dict) -> bool:
    names = [name.removesuffix("_id") for name in PARAMETER.findall(path)]
    return all(name in targets or name == "pilot" for name in names)


def _address(path: str, targets: dict) -> str:
    def value(match):
        name = match.group(1)
        if name == "pilot_id" and ("/rollout" in path or "/memos" in path):
            return str(targets["selected"])
        return str(targets.get(name.removesuffix("_id"), 1))

    return PARAMETER.sub(value, path)


@pytest.mark.parametrize("kind", VALUES)
def test_wrong_types_never_500(org, api, targets, kind):
    caller = api(org["admin"])
    for method, path, fields in _writes(api, org):
        body = dict.fromkeys(fields, VALUES[kind])
        response = getattr(caller, method)(_address(path, targets), json=body)
        assert response.status_code < 500, (method, path, response.get_data(as_text=True)[:300])
        assert response.status_code >= 400, (method, path, body)
        assert_problem(response, response.status_code)


@pytest.mark.parametrize("kind", RAW)
def test_broken_json_is_400(org, api, targets, kind):
    caller = api(org["admin"])
    for method, path, _fields in _writes(api, org):
        response = getattr(caller, method)(
            _address(path, targets), data=RAW[kind], content_type="application/json"
        )
        # An address naming no object (no due-date request here) is a 404 before the body.
        status = 400 if _names_objects(path, targets) else response.status_code
        assert response.status_code == status in (400, 404), (method, path, response.status_code)
        assert_problem(response, status)
