"""Generated requests to every operation of /api/v1/openapi.json, with all of schemathesis' checks.

Schemathesis reads the generated document from the app itself (WSGI, in-process) and sends,
for every operation, requests that fit it and requests that do not (wrong types, huge
numbers, odd characters, missing fields), with the bearer token of an administrator and of a
pilot lead. Every check runs: no server error; statuses, content types, headers and bodies as
documented; a request that breaks the document refused; one that fits it accepted; the
token enforced.

One setting differs from schemathesis' defaults, on purpose: a request that fits the document
may still be refused with 422 for a rule the document cannot state (a unit code that does
not exist, a title of blanks, an end before the start, a step the pilot's stage does not
allow), as API.md says. It may never be refused as malformed (400).

Deterministic (derandomised, no example database) and bounded in examples per operation.
`PILOTMGR_SCHEMATHESIS_PATHS=/programmes` runs only the operations whose path matches (a
regular expression), for working on one feature.
"""

from __future__ import annotations

import os
import time
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from pilotmgr.auth.service import issue_token
from pilotmgr.extensions import db

#: Examples per operation (the coverage phase adds its own).
EXAMPLES = 40

CONFIG = """
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "401", "403", "404", "409", "422"]

[auth]
auto-signup = false

[auth.openapi.bearer]
bearer = "{token}"
"""

#: Requests sent per (role, operation), reported at the end of the module (pytest -s shows it).
SENT: Counter = Counter()
#: Operations that answered with success at least once, per role.
ANSWERED: set = set()


@pytest.fixture(scope="module", autouse=True)
def _report_counts():
    started = time.monotonic()
    yield
    operations = {op for _role, op in SENT}
    # The tokens were sent: the requests were not all refused at the door.
    answered = Counter(role for role, _op in ANSWERED)
    for role in {role for role, _op in SENT}:
        assert answered[role] >= len(operations) // 2, (role, sorted(ANSWERED))
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
    # The token goes through schemathesis' own auth, so that the requests it sends without
    # one (to check that the token is enforced) really go without.
    config = SchemathesisConfig.from_str(CONFIG.format(token=api_token))
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)


schema = schemathesis.pytest.from_fixture("api_schema")
if paths := os.environ.get("PILOTMGR_SCHEMATHESIS_PATHS"):
    schema = schema.include(path_regex=paths)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented(case, api_token, request):
    key = (request.node.callspec.id, case.operation.label)
    SENT[key] += 1
    if case.call_and_validate().status_code < 300:
        ANSWERED.add(key)
