"""Generated requests to every operation of /api/v1/openapi.json: none may answer 5xx.

Schemathesis reads the schema from the app itself (WSGI, in-process) and sends, for every
operation, requests that fit the schema and requests that do not (wrong types, huge numbers,
odd characters), with the bearer token of an administrator and of a pilot lead. Only the
`not_a_server_error` check runs: the answers' shapes are checked by the other API tests.
Deterministic (derandomised, no example database) and bounded in examples per operation.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from pilotmgr.auth.service import issue_token
from pilotmgr.extensions import db

#: Examples per operation; with two roles and ~60 operations the run takes about two minutes.
EXAMPLES = 12


@pytest.fixture(params=["admin", "lead"])
def api_token(request, world) -> str:
    token = issue_token(getattr(world, request.param))
    db.session.commit()
    return token


@pytest.fixture
def api_schema(app, api_token):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_request_answers_a_server_error(case, api_token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {api_token}"}, checks=[not_a_server_error]
    )
