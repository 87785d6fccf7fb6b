"""The shape of every error the API gives, and a description of every route.

Tokens, the caller and paging are tested in test_auth.py."""

import re

import pytest

from tests.api.conftest import is_problem

PARAM = re.compile(r"\{[^}]*\}")


@pytest.mark.parametrize(
    "data, content_type, status",
    [
        ("{not json", "application/json", 400),
        ("[1, 2]", "application/json", 400),
        ('"just a string"', "application/json", 400),
        ("", "application/json", 400),
        ("title=x", "text/plain", 400),
    ],
)
def test_a_body_that_is_not_a_json_object_is_a_bad_request(world, api, data, content_type, status):
    response = api(world.lead).post("/pilots", data=data, content_type=content_type)
    assert is_problem(response, status)


def test_unknown_route_and_wrong_method_are_problems(world, api):
    assert is_problem(api(world.lead).get("/nothing-here"), 404)
    assert is_problem(api(world.lead).delete("/pilots"), 405)


def test_openapi_describes_every_api_route(app, api):
    spec = api(None).get("/openapi.json").get_json()
    documented = {
        (PARAM.sub("{}", path), method.upper())
        for path, ops in spec["paths"].items()
        for method in ops
    }
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint == "api.openapi":
            continue
        path = PARAM.sub(
            "{}", rule.rule.removeprefix("/api/v1").replace("<", "{").replace(">", "}")
        )
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method) in documented, f"{method} {path} is not in openapi.json"
