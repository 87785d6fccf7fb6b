"""People, units, comments, notifications and exports as openapi.json describes them, and
their filters refused as it says."""

import pytest

from tests.api.conftest import assert_page, assert_problem


@pytest.fixture
def spec(api):
    return api(None).get("/openapi.json").get_json()


def _schema(spec, ref: dict) -> dict:
    return spec["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]


def _answer(spec, path: str, method: str, status: str = "200") -> dict:
    content = spec["paths"][path][method]["responses"][status]["content"]
    return _schema(spec, content["application/json"]["schema"])


def _query(spec, path: str) -> dict:
    return {
        p["name"]: p["schema"]
        for p in spec["paths"][path]["get"]["parameters"]
        if p["in"] == "query"
    }


def test_the_document_states_what_people_and_units_take_and_answer(spec):
    user = _answer(spec, "/users/{email}", "patch")
    assert set(user["required"]) == {
        "id",
        "email",
        "name",
        "role",
        "unit",
        "lang",
        "active",
        "version",
    }
    me = _answer(spec, "/me", "get")
    assert set(me["required"]) == set(user["required"]) | {"calendar_url"}
    body = spec["paths"]["/users/{email}"]["patch"]["requestBody"]["content"]["application/json"]
    assert _schema(spec, body["schema"])["required"] == ["version"]
    created = spec["paths"]["/users"]["post"]["requestBody"]["content"]["application/json"]
    assert set(_schema(spec, created["schema"])["required"]) == {
        "email",
        "name",
        "role",
        "unit",
        "password",
    }
    assert set(_query(spec, "/users")) == {"page", "per_page", "q", "role", "unit", "active"}
    assert _query(spec, "/users")["active"]["type"] == ["boolean", "null"]
    assert "ministry" in _query(spec, "/units")["kind"]["enum"]
    unit = _answer(spec, "/units", "post", "201")
    assert unit["properties"]["parent"]["type"] == ["string", "null"]
    assert spec["paths"]["/auth/token"]["post"]["security"] == []


def test_the_document_states_comments_notifications_and_exports(spec):
    comment = _answer(spec, "/pilots/{pilot_id}/comments", "post", "201")
    assert set(comment["required"]) == {
        "id",
        "pilot_id",
        "author",
        "body",
        "created_at",
        "mentions",
        "files",
    }
    page = _answer(spec, "/notifications", "get")
    assert set(page["required"]) == {"items", "total", "page", "per_page", "unread"}
    export = spec["paths"]["/exports/{what}.{fmt}"]["get"]
    path = {p["name"]: p["schema"]["enum"] for p in export["parameters"] if p["in"] == "path"}
    assert path == {
        "what": ["pilots", "tasks", "kpis", "rollout-targets", "scoreboard"],
        "fmt": ["csv", "xlsx"],
    }
    assert set(export["responses"]["200"]["content"]) == {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    assert {"start", "end", "stuck", "programme"} <= set(_query(spec, "/exports/{what}.{fmt}"))


@pytest.mark.parametrize(
    "query, field",
    [
        ("/units?kind=", "kind"),
        ("/units?kind=planet", "kind"),
        ("/users?active=", "active"),
        ("/users?active=maybe", "active"),
        ("/users?role=", "role"),
        ("/users?unit=NOPE", "unit"),
        ("/users?q=" + "x" * 201, "q"),
        ("/notifications?unread=", "unread"),
        ("/notifications?unread=2", "unread"),
        ("/exports/pilots.csv?start=", "start"),
        ("/exports/pilots.csv?start=31/12/2026", "start"),
        ("/exports/pilots.csv?stage=flying", "stage"),
        ("/exports/pilots.csv?unit=NOPE", "unit"),
        ("/exports/tasks.xlsx?owner=nobody@bn.gov.vn", "owner"),
        ("/exports/kpis.csv?challenge=abc", "challenge"),
        ("/exports/pilots.csv?stuck=yes", "stuck"),
        ("/exports/pilots.csv?stuck_days=0", "stuck_days"),
    ],
)
def test_a_filter_the_document_refuses_is_a_422(world, api, query, field):
    assert_problem(api(world.admin).get(query), 422, field)


@pytest.mark.parametrize("query", ["/units?page=", "/users?per_page=", "/notifications?page="])
def test_a_blank_page_in_the_api_is_a_400(world, api, query):
    assert_problem(api(world.admin).get(query), 400, query.rsplit("?", 1)[1].rstrip("="))


def test_a_blank_page_on_a_page_is_the_first(world, login):
    assert login(world.lead).get("/notifications?page=").status_code == 200


def test_blank_text_filters_are_not_given(world, api):
    everyone = assert_page(api(world.admin).get("/users").get_json())
    assert assert_page(api(world.admin).get("/users?q=&unit=").get_json()) == everyone
    found = api(world.admin).get("/users?active=true&role=lead&unit=BNH").get_json()
    assert [u["email"] for u in assert_page(found)] == ["lead@bn.gov.vn"]
    assert api(world.admin).get("/users?active=0").get_json()["total"] == 0
    made = api(world.admin).post("/units", json={"code": "HN", "name": "Thành phố Hà Nội"})
    assert made.get_json()["kind"] == "province"
    provinces = api(world.admin).get("/units?kind=province").get_json()
    assert [u["code"] for u in assert_page(provinces)] == ["HN"]
    assert api(world.admin).get("/exports/pilots.csv?unit=&q=").status_code == 200


def test_a_malformed_sign_in_says_no_more_than_a_wrong_password(world, client):
    for body in ({"email": "x" * 300, "password": "p"}, {"email": 1, "password": 2}):
        response = client.post("/api/v1/auth/token", json=body)
        assert assert_problem(response, 401)["detail"] == "Wrong e-mail or password."
