"""Generated requests to every operation of /api/v1/openapi.json: none may answer 5xx.

Schemathesis reads the schema from the app itself (WSGI, in-process) and sends, for every
operation, requests that fit the schema and requests that do not (wrong types, huge numbers,
odd characters), with the bearer token of an administrator and of a pilot lead. Only the
`not_a_server_error` check runs: the answers' shapes are checked by the other API tests.
Deterministic (derandomised, no example database) and bounded in examples per operation.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from pilotmgr.auth.service import issue_token
from pilotmgr.extensions import db

#: Examples per operation (the coverage phase adds its own): two roles × 51 operations, about
#: 8,300 requests, 70 s on SQLite and 80 s on PostgreSQL.
EXAMPLES = 40


#: Requests sent per (role, operation), reported at the end of the module (pytest -s shows it).
SENT: Counter = Counter()


@pytest.fixture(scope="module", autouse=True)
def _report_counts():
    started = time.monotonic()
    yield
    operations = {op for _role, op in SENT}
    print(
        f"\nschemathesis: {len(operations)} operations, {sum(SENT.values())} requests, "
        f"{time.monotonic() - started:.0f} s"
    )


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
def test_no_request_answers_a_server_error(case, api_token, request):
    SENT[(request.node.callspec.id, case.operation.label)] += 1
    case.call_and_validate(
        headers={"Authorization": f"Bearer {api_token}"}, checks=[not_a_server_error]
    )
