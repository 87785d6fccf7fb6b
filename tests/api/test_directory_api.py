"""Units, users, programmes and challenges through the API: who may create, and bad input."""

import pytest

from tests.api.conftest import is_problem


def test_admin_creates_a_unit_under_a_parent_and_it_is_listed(world, api):
    response = api(world.admin).post(
        "/units", json={"code": "BNH-GD", "name": "Sở Giáo dục Bắc Ninh", "parent": "BNH"}
    )
    assert response.status_code == 201
    assert response.get_json()["parent"] == "BNH"

    listed = api(world.lead).get("/units?per_page=100").get_json()
    assert "BNH-GD" in [u["code"] for u in listed["items"]]
    assert listed["total"] == len(listed["items"])


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"code": "", "name": "X"}, "code"),
        ({"code": "BNH", "name": "Trùng mã"}, "code"),
        ({"code": "có dấu", "name": "X"}, "code"),
        ({"code": "NEW", "name": ""}, "name"),
        ({"code": "NEW", "name": "X", "parent": "NOPE"}, "parent"),
        ({"code": 12, "name": ["x"]}, "code"),
    ],
)
def test_a_bad_unit_gets_422_naming_the_field(world, api, payload, field):
    response = api(world.admin).post("/units", json=payload)
    assert is_problem(response, 422)
    assert field in response.get_json()["errors"]


@pytest.mark.parametrize("role", ["head", "lead", "staff", "viewer"])
def test_only_admins_create_units_and_users(world, api, role):
    caller = {"head": world.head, "lead": world.lead, "staff": world.staff, "viewer": world.viewer}[
        role
    ]
    unit = api(caller).post("/units", json={"code": "X1", "name": "X"})
    person = api(caller).post(
        "/users",
        json={
            "email": "new@bn.gov.vn",
            "name": "Mới",
            "role": "staff",
            "unit": "BNH",
            "password": "một-mật-khẩu-dài",
        },
    )
    assert is_problem(unit, 403)
    assert is_problem(person, 403)


def test_admin_creates_a_user_who_can_then_get_a_token(world, api):
    payload = {
        "email": "nguyen.an@bn.gov.vn",
        "name": "Nguyễn An",
        "role": "staff",
        "unit": "BNH-YT",
        "password": "mật-khẩu-rất-dài-2026",
    }
    created = api(world.admin).post("/users", json=payload)
    assert created.status_code == 201
    assert created.get_json()["unit"] == "BNH-YT"

    token = api(None).post(
        "/auth/token", json={"email": payload["email"], "password": payload["password"]}
    )
    assert token.status_code == 200


@pytest.mark.parametrize(
    "change, field",
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": "lead@bn.gov.vn"}, "email"),
        ({"role": "king"}, "role"),
        ({"unit": "NOPE"}, "unit"),
        ({"password": "short"}, "password"),
        ({"name": ""}, "name"),
    ],
)
def test_a_bad_user_gets_422_naming_the_field(world, api, change, field):
    payload = {
        "email": "x@bn.gov.vn",
        "name": "X",
        "role": "staff",
        "unit": "BNH",
        "password": "mật-khẩu-rất-dài-2026",
    } | change
    response = api(world.admin).post("/users", json=payload)
    assert is_problem(response, 422)
    assert field in response.get_json()["errors"]


def test_heads_create_programmes_and_challenges_leads_may_not(world, api):
    programme = api(world.head).post(
        "/programmes", json={"name": "Chương trình thanh toán số", "description": "2026–2027"}
    )
    assert programme.status_code == 201
    challenge = api(world.head).post(
        "/challenges",
        json={
            "programme_id": programme.get_json()["id"],
            "title": "Thu phí không dùng tiền mặt",
            "problem": "Người dân phải xếp hàng nộp tiền mặt.",
        },
    )
    assert challenge.status_code == 201
    assert is_problem(api(world.lead).post("/programmes", json={"name": "X"}), 403)
    listed = api(world.staff).get("/challenges").get_json()
    assert "Thu phí không dùng tiền mặt" in [c["title"] for c in listed["items"]]


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"programme_id": 999999, "title": "X"}, "programme_id"),
        ({"programme_id": "abc", "title": "X"}, "programme_id"),
        ({"title": "X"}, "programme_id"),
    ],
)
def test_a_challenge_needs_an_existing_programme(world, api, payload, field):
    response = api(world.head).post("/challenges", json=payload)
    assert is_problem(response, 422)
    assert field in response.get_json()["errors"]
