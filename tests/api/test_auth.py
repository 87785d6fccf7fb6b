"""Tokens, /me and /users: who the caller is, and who may add people."""

import pytest

from tests.api.conftest import assert_page, assert_problem
from tests.factories import PASSWORD


def test_token_from_password_then_me(org, client):
    response = client.post(
        "/api/v1/auth/token", json={"email": "lead@example.vn", "password": PASSWORD}
    )
    assert response.status_code == 200
    token = response.get_json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    data = me.get_json()
    assert {"email", "name", "role", "unit", "lang", "calendar_url"} <= set(data)
    assert (data["email"], data["role"], data["unit"]) == ("lead@example.vn", "lead", "BO-CNTT")


@pytest.mark.parametrize(
    "payload",
    [
        {"email": "lead@example.vn", "password": "wrong"},
        {"email": "nobody@example.vn", "password": PASSWORD},
        {"email": "lead@example.vn"},
        {"email": ["x"], "password": {"a": 1}},
        {},
    ],
)
def test_token_refused(org, client, payload):
    response = client.post("/api/v1/auth/token", json=payload)
    assert "token" not in assert_problem(response, 401)


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", '"text"', "null"])
def test_token_malformed_body(org, client, raw):
    response = client.post("/api/v1/auth/token", data=raw, content_type="application/json")
    assert_problem(response, 400)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer nope"},
        {"Authorization": "Basic abc"},
        {"Authorization": "Bearer "},
    ],
)
@pytest.mark.parametrize("path", ["/me", "/users", "/units", "/pilots", "/tasks/1"])
def test_no_or_bad_token_is_401(org, client, headers, path):
    method = client.patch if path.startswith("/tasks") else client.get
    response = method(f"/api/v1{path}", headers=headers)
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_users_list_and_create(org, api):
    items = assert_page(api(org["admin"]).get("/users").get_json())
    assert {"email", "name", "role", "unit", "version"} <= set(items[0])
    response = api(org["admin"]).post(
        "/users",
        json={
            "email": "moi@example.vn",
            "name": "Nguyễn Văn Mới",
            "role": "staff",
            "unit": "BO-CNTT",
            "password": "a-long-password-1",
        },
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["unit"] == "BO-CNTT"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"role": "emperor"}, "role"),
        ({"unit": "KHONG-CO"}, "unit"),
        ({"email": "not-an-email"}, "email"),
        ({"email": "lead@example.vn"}, "email"),
        ({"name": ""}, "name"),
    ],
)
def test_create_user_field_errors(org, api, payload, field):
    data = {
        "email": "moi@example.vn",
        "name": "Mới",
        "role": "staff",
        "unit": "BO-CNTT",
        "password": "a-long-password-1",
    } | payload
    assert_problem(api(org["admin"]).post("/users", json=data), 422, field)


@pytest.mark.parametrize("who", ["staff", "viewer", "lead"])
def test_create_user_forbidden(org, api, who):
    data = {"email": "x@example.vn", "name": "X", "role": "staff", "unit": "BO-CNTT"}
    assert_problem(api(org[who]).post("/users", json=data | {"password": "pw-123456789"}), 403)


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=0",
        "per_page=101",
        "per_page=0",
        "per_page=x",
        # Beyond the id range the OFFSET overflowed the database (500); "²" passed isdigit().
        "page=2147483648",
        "page=99999999999999999999",
        "page=²",
        "per_page=²",
        "page=1.5",
    ],
)
@pytest.mark.parametrize("path", ["/users", "/units", "/programmes", "/challenges", "/pilots"])
def test_bad_paging_is_400(org, api, path, query):
    assert_problem(api(org["admin"]).get(f"{path}?{query}"), 400)


def test_a_page_beyond_the_range_names_the_range_the_vietnamese_way(org, api):
    org["admin"].lang = "vi"
    data = assert_problem(api(org["admin"]).get("/pilots?page=2147483648"), 400)
    assert data["errors"]["page"] == ["Phải là số nguyên từ 1 đến 2.147.483.647."]


@pytest.mark.parametrize("path", ["/users", "/units"])
def test_paging_totals(org, api, path):
    first = api(org["admin"]).get(f"{path}?per_page=2&page=1").get_json()
    assert first["per_page"] == 2 and first["page"] == 1 and len(first["items"]) == 2
    last = api(org["admin"]).get(f"{path}?per_page=100&page=1").get_json()
    assert last["total"] == first["total"] == len(last["items"])
