"""Units, programmes and challenges: list shapes, who may add them, field errors."""

import pytest

from tests.api.conftest import assert_page, assert_problem


def test_units(org, api):
    items = assert_page(api(org["viewer"]).get("/units").get_json(), 3)
    assert {u["code"]: u["parent"] for u in items}["BO-CNTT"] == "BO"
    response = api(org["admin"]).post(
        "/units", json={"code": "BO-TCCB", "name": "Vụ Tổ chức cán bộ", "parent": "BO"}
    )
    assert response.status_code == 201
    assert response.get_json() | {"id": 0, "version": 0} == {
        "id": 0,
        "code": "BO-TCCB",
        "name": "Vụ Tổ chức cán bộ",
        "parent": "BO",
        "kind": "agency",  # read from its name: a Vụ of the ministry
        "active": True,
        "version": 0,
    }


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"code": "BO"}, "code"),
        ({"code": "có dấu"}, "code"),
        ({"code": ""}, "code"),
        ({"name": None}, "name"),
        ({"parent": "KHONG-CO"}, "parent"),
        ({"parent": 12}, "parent"),
    ],
)
def test_unit_field_errors(org, api, payload, field):
    data = {"code": "MOI", "name": "Đơn vị mới"} | payload
    assert_problem(api(org["admin"]).post("/units", json=data), 422, field)


@pytest.mark.parametrize("who", ["head", "lead", "staff", "viewer"])
def test_only_admin_adds_units(org, api, who):
    assert_problem(api(org[who]).post("/units", json={"code": "X", "name": "X"}), 403)


def test_programmes_and_challenges(org, api):
    head = api(org["head"])
    response = head.post("/programmes", json={"name": "Chuyển đổi số", "description": "2026"})
    assert response.status_code == 201
    programme = response.get_json()
    assert set(programme) == {"id", "name", "description", "version"}
    response = head.post(
        "/challenges",
        json={"programme_id": programme["id"], "title": "Hồ sơ giấy", "problem": "Chậm"},
    )
    assert response.status_code == 201
    challenge = response.get_json()
    assert challenge["programme_id"] == programme["id"]
    assert assert_page(api(org["viewer"]).get("/programmes").get_json(), 1)[0] == programme
    found = api(org["viewer"]).get(f"/challenges?programme_id={programme['id']}").get_json()
    assert assert_page(found, 1)[0] == challenge
    assert_problem(api(org["viewer"]).get("/challenges?programme_id=abc"), 422, "programme_id")


@pytest.mark.parametrize("who", ["lead", "staff", "viewer"])
@pytest.mark.parametrize("path", ["/programmes", "/challenges"])
def test_programmes_need_a_head(org, api, make, who, path):
    data = {"name": "P", "programme_id": make.challenge().programme_id, "title": "T"}
    assert_problem(api(org[who]).post(path, json=data), 403)


@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("/programmes", {"name": ""}, "name"),
        ("/programmes", {"name": "x" * 256}, "name"),
        ("/programmes", {"name": "P", "description": 5}, "description"),
        ("/challenges", {"programme_id": 999999, "title": "T"}, "programme_id"),
        ("/challenges", {"programme_id": "99999999999999999999", "title": "T"}, "programme_id"),
        ("/challenges", {"programme_id": "²", "title": "T"}, "programme_id"),
        ("/challenges", {"title": "T"}, "programme_id"),
        ("/challenges", {"programme_id": "PROG", "title": ""}, "title"),
    ],
)
def test_programme_field_errors(org, api, make, path, payload, field):
    programme_id = make.challenge().programme_id
    if payload.get("programme_id") == "PROG":
        payload = payload | {"programme_id": programme_id}
    assert_problem(api(org["head"]).post(path, json=payload), 422, field)
