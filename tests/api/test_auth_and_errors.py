"""Tokens, the caller, and the shape of every error the API gives."""

import re

import pytest

from tests.api.conftest import is_problem
from tests.factories import PASSWORD

PARAM = re.compile(r"\{[^}]*\}")


def test_a_token_is_issued_for_the_right_password_and_works(world, api):
    anonymous = api(None)
    response = anonymous.post("/auth/token", json={"email": world.lead.email, "password": PASSWORD})
    assert response.status_code == 200
    token = response.get_json()["token"]

    me = anonymous.get("/me", headers={"Authorization": f"Bearer {token}"})

    assert me.status_code == 200
    assert me.get_json()["email"] == world.lead.email
    assert set(me.get_json()) >= {"email", "name", "role", "unit", "lang", "calendar_url"}


@pytest.mark.parametrize(
    "payload",
    [
        {"email": "lead@bn.gov.vn", "password": "wrong"},
        {"email": "nobody@bn.gov.vn", "password": PASSWORD},
        {"email": "lead@bn.gov.vn"},
        {"email": ["lead@bn.gov.vn"], "password": {"x": 1}},
        {},
    ],
)
def test_a_wrong_or_incomplete_login_gets_401_and_no_token(world, api, payload):
    response = api(None).post("/auth/token", json=payload)
    assert is_problem(response, 401)
    assert "token" not in response.get_json()


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer nonsense"},
        {"Authorization": "Basic abc"},
        {"Authorization": "Bearer "},
    ],
)
def test_missing_or_bad_credentials_get_401(world, api, headers):
    response = api(None).get("/pilots", headers=headers)
    assert is_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


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


@pytest.mark.parametrize(
    "query", ["page=abc", "per_page=0", "per_page=101", "page=-1", "per_page=x"]
)
def test_bad_pagination_gets_422(world, api, query):
    response = api(world.admin).get(f"/pilots?{query}")
    assert is_problem(response, 422) or is_problem(response, 400)


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
