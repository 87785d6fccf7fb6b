"""Pilots: list filters, create, read, edit with versions, history; visibility as 404."""

import pytest

from pilotmgr.extensions import db
from pilotmgr.pilots.models import Pilot
from tests.api.conftest import assert_page, assert_problem


@pytest.fixture
def new_pilot(org, make):
    challenge = make.challenge()
    return {
        "title": "Thí điểm công nghệ số trong thuế",
        "summary": "Ứng dụng chữ ký số",
        "challenge_id": challenge.id,
        "unit": "BO-CNTT",
        "owner": "lead@example.vn",
        "start_date": "2026-01-05",
        "end_date": "2026-06-30",
        "budget": 150000000,
        "partner": "VNPT",
    }


def test_create_read_and_list(org, api, new_pilot):
    response = api(org["lead"]).post("/pilots", json=new_pilot)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["stage"] == "draft" and created["version"] >= 1
    assert created["readiness"]["ok"] is False and created["readiness"]["missing"]
    assert created["budget"] == 150000000 and created["owner"] == "lead@example.vn"
    got = api(org["viewer"]).get(f"/pilots/{created['id']}").get_json()
    assert got == created
    items = assert_page(api(org["viewer"]).get("/pilots").get_json(), 1)
    assert items[0]["id"] == created["id"]


def test_list_filters(org, api, make, new_pilot):
    lead = api(org["lead"])
    first = lead.post("/pilots", json=new_pilot).get_json()
    other = make.challenge("Khác")
    second = lead.post(
        "/pilots",
        json=new_pilot | {"title": "Dịch vụ công trực tuyến", "challenge_id": other.id},
    ).get_json()
    bn = api(org["lead_bn"]).post(
        "/pilots", json=new_pilot | {"unit": "TINH-BN", "owner": "lead.bn@example.vn"}
    )
    assert bn.status_code == 201
    admin = api(org["admin"])

    def ids(query):
        response = admin.get(f"/pilots?{query}")
        assert response.status_code == 200, response.get_json()
        return {p["id"] for p in response.get_json()["items"]}

    assert ids("q=cong nghe so") == ids("q=CÔNG NGHỆ") == {first["id"], bn.get_json()["id"]}
    assert ids("q=công+nghệ+số&unit=BO") == {first["id"]}
    assert ids(f"challenge={other.id}") == {second["id"]}
    assert ids("owner=lead.bn@example.vn") == {bn.get_json()["id"]}
    assert ids("stage=draft&per_page=100") >= {first["id"], second["id"]}
    assert ids("stage=piloting") == set()
    # A lead of the province sees only the province's pilot.
    assert {p["id"] for p in api(org["lead_bn"]).get("/pilots").get_json()["items"]} == {
        bn.get_json()["id"]
    }


def test_the_dashboard_filters_and_the_programme_filter(org, api, make):
    from datetime import timedelta

    from pilotmgr.core.clock import now

    stuck = make.pilot("piloting", owner=org["lead"], unit_=org["dept"], complete=False)
    stuck.stage_changed_at = now() - timedelta(days=40)
    late = make.pilot("piloting", owner=org["lead"], unit_=org["dept"], complete=False)
    make.task(late, due_date=make.days(-2))
    waiting = make.pilot("piloting", owner=org["lead"], unit_=org["dept"], complete=False)
    make.measurement(make.kpi(waiting), org["lead"], status="submitted")
    challenge = make.challenge("Khác")
    waiting.challenge_id = challenge.id
    db.session.commit()
    admin = api(org["admin"])

    def ids(query):
        response = admin.get(f"/pilots?{query}")
        assert response.status_code == 200, response.get_json()
        return {p["id"] for p in response.get_json()["items"]}

    assert ids("stuck=true&stuck_days=30") == {stuck.id}
    assert ids("stuck=1&stuck_days=50") == set()
    assert ids("stuck=false") >= {stuck.id, late.id, waiting.id}
    assert ids("overdue=true") == {late.id}
    assert ids("pending=true") == {waiting.id}
    assert ids(f"programme={challenge.programme_id}") == {waiting.id}
    assert_problem(admin.get("/pilots?stuck=true&stuck_days=0"), 422, "stuck_days")
    assert_problem(admin.get("/pilots?programme=99999"), 422, "programme")


@pytest.mark.parametrize("query", ["per_page=", "page=%20"])
def test_a_blank_page_is_a_400(org, api, query):
    assert_problem(api(org["admin"]).get(f"/pilots?{query}"), 400, query.split("=")[0])


@pytest.mark.parametrize("query", ["stage=", "stuck=", "challenge="])
def test_a_blank_option_boolean_or_number_filter_is_a_422(org, api, query):
    assert_problem(api(org["admin"]).get(f"/pilots?{query}"), 422, query.split("=")[0])


def test_blank_text_in_the_query_is_not_given(org, api, make):
    make.pilot(owner=org["lead"], unit_=org["dept"])
    response = api(org["admin"]).get("/pilots?q=&unit=&owner=")
    assert response.status_code == 200 and response.get_json()["total"] == 1


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("stage=flying", "stage"),
        ("unit=KHONG-CO", "unit"),
        ("owner=ai@example.vn", "owner"),
        ("challenge=abc", "challenge"),
        ("challenge=99999999999999999999", "challenge"),
        ("q=" + "x" * 201, "q"),
    ],
)
def test_list_filter_errors(org, api, query, field):
    assert_problem(api(org["admin"]).get(f"/pilots?{query}"), 422, field)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start_date": "2026-02-30"}, "start_date"),
        ({"end_date": "30/06/2026"}, "end_date"),
        ({"end_date": "2026-01-01"}, "end_date"),
        ({"unit": "KHONG-CO"}, "unit"),
        ({"owner": "ai@example.vn"}, "owner"),
        ({"owner": "staff@example.vn"}, "owner"),
        ({"challenge_id": 424242}, "challenge_id"),
        ({"budget": -1}, "budget"),
        ({"budget": "nhiều"}, "budget"),
        ({"title": ""}, "title"),
        ({"title": None}, "title"),
        ({"title": "x" * 300}, "title"),
        ({"title": 42}, "title"),
        ({"end_date": "2026-13-40"}, "end_date"),
    ],
)
def test_create_field_errors(org, api, new_pilot, change, field):
    assert_problem(api(org["lead"]).post("/pilots", json=new_pilot | change), 422, field)
    assert db.session.query(Pilot).count() == 0


@pytest.mark.parametrize(
    ("who", "unit"), [("staff", "BO-CNTT"), ("viewer", "BO-CNTT"), ("lead", "TINH-BN")]
)
def test_create_forbidden(org, api, new_pilot, who, unit):
    assert_problem(api(org[who]).post("/pilots", json=new_pilot | {"unit": unit}), 403)


@pytest.mark.parametrize("pilot_id", ["999999", "abc", "99999999999999999999", "²", "-1"])
@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("get", ""),
        ("patch", ""),
        ("get", "/history"),
        ("get", "/kpis"),
        ("post", "/kpis"),
        ("get", "/tasks"),
        ("post", "/tasks"),
        ("post", "/transitions"),
    ],
)
def test_missing_pilot_is_404(org, api, method, suffix, pilot_id):
    caller = getattr(api(org["admin"]), method)
    assert_problem(caller(f"/pilots/{pilot_id}{suffix}", json={"version": 1}), 404)


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("get", ""), ("patch", ""), ("get", "/history"), ("get", "/kpis"), ("post", "/tasks")],
)
def test_invisible_pilot_is_404_not_403(org, api, make, method, suffix):
    pilot = make.pilot(owner=org["lead"], unit_=org["dept"])
    caller = getattr(api(org["lead_bn"]), method)
    assert_problem(caller(f"/pilots/{pilot.id}{suffix}", json={"version": 1}), 404)


def test_patch_and_history(org, api, make):
    pilot = make.pilot(owner=org["lead"], unit_=org["dept"])
    version = pilot.version
    response = api(org["lead"]).patch(
        f"/pilots/{pilot.id}",
        json={"version": version, "title": "Tên mới", "comment": "Đổi tên"},
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["title"] == "Tên mới"
    assert response.get_json()["version"] == version + 1
    history = api(org["viewer"]).get(f"/pilots/{pilot.id}/history").get_json()["items"]
    assert history[-1]["action"] == "update"
    assert history[-1]["after"]["title"] == "Tên mới"
    assert history[-1]["actor"] == "lead@example.vn"


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"version": 0}, 422),
        ({"version": 99}, 409),
        ({}, 422),
        ({"version": "một"}, 422),
        ({"version": True}, 422),
        ({"version": 1.5}, 422),
        ({"version": [1]}, 422),
    ],
)
def test_stale_or_missing_version_changes_nothing(org, api, make, change, status):
    pilot = make.pilot(owner=org["lead"], unit_=org["dept"])
    before = (pilot.title, pilot.version)
    response = api(org["lead"]).patch(f"/pilots/{pilot.id}", json={"title": "Khác"} | change)
    assert_problem(response, status)
    db.session.expire_all()
    found = db.session.get(Pilot, pilot.id)
    assert (found.title, found.version) == before


@pytest.mark.parametrize("who", ["staff", "viewer", "head_bn_visible"])
def test_patch_forbidden(org, api, make, who):
    pilot = make.pilot(owner=org["lead"], unit_=org["dept"])
    if who == "head_bn_visible":
        make.task(pilot, assignee=org["head_bn"])  # sees it through a task, may not edit
        who = "head_bn"
    response = api(org[who]).patch(f"/pilots/{pilot.id}", json={"version": 1, "title": "X"})
    assert_problem(response, 403)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end_date": "2000-01-01"}, "end_date"),
        ({"start_date": "hôm nay"}, "start_date"),
        ({"title": ""}, "title"),
        ({"owner": "viewer@example.vn"}, "owner"),
    ],
)
def test_patch_field_errors(org, api, make, change, field):
    pilot = make.pilot(owner=org["lead"], unit_=org["dept"])
    response = api(org["lead"]).patch(f"/pilots/{pilot.id}", json={"version": 1} | change)
    assert_problem(response, 422, field)
