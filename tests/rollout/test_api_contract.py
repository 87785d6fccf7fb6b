"""The rollout API as API.md and openapi.json describe it."""

from __future__ import annotations

from pilotmgr.extensions import db
from pilotmgr.rollout.models import RolloutTarget
from tests.api.conftest import assert_problem
from tests.rollout.conftest import add_target

TARGET_KEYS = {
    "id",
    "pilot_id",
    "unit",
    "unit_name",
    "responsible",
    "due_date",
    "status",
    "note",
    "blocked_reason",
    "wave",
    "done_on",
    "version",
}


def _body_fields(spec: dict, operation: dict, media: str = "application/json") -> set[str]:
    schema = operation["requestBody"]["content"][media]["schema"]
    name = schema["$ref"].rsplit("/", 1)[1]
    return set(spec["components"]["schemas"][name]["properties"])


def _answer_fields(spec: dict, operation: dict, status: str = "200") -> set[str]:
    schema = operation["responses"][status]["content"]["application/json"]["schema"]
    return set(spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]["properties"])


def test_openapi_describes_the_rollout_routes_and_their_fields(api, org):
    spec = api(None).get("/openapi.json").get_json()
    targets = spec["paths"]["/pilots/{pilot_id}/rollout/targets"]
    assert set(targets) == {"get", "post"}
    assert {"level", "parent", "units", "unit", "under", "responsible", "due_date", "wave"} <= (
        _body_fields(spec, targets["post"])
    )
    assert {"page", "per_page"} <= {p["name"] for p in targets["get"]["parameters"]}
    patch = spec["paths"]["/rollout-targets/{target_id}"]["patch"]
    fields = _body_fields(spec, patch)
    assert {"status", "note", "blocked_reason", "due_date", "version"} <= fields
    assert spec["components"]["schemas"]["TargetChanges"]["required"] == ["version"]
    assert _answer_fields(spec, patch) == TARGET_KEYS
    delete = spec["paths"]["/rollout-targets/{target_id}"]["delete"]
    assert _body_fields(spec, delete) == {"reason"} and "204" in delete["responses"]
    bulk = spec["paths"]["/pilots/{pilot_id}/rollout/bulk"]["post"]
    assert _body_fields(spec, bulk) == {"targets", "status", "note"}
    preview = spec["paths"]["/pilots/{pilot_id}/rollout/preview"]["post"]
    assert _answer_fields(spec, preview) == {"items", "new", "without_responsible"}


def test_openapi_describes_the_rollout_decision_of_a_transition(api, org):
    spec = api(None).get("/openapi.json").get_json()
    transition = spec["paths"]["/pilots/{pilot_id}/transitions"]["post"]
    assert {"decision_number", "decision_date", "regulation"} <= _body_fields(spec, transition)


def test_the_list_gives_every_target_with_its_fields(api, org, make):
    add_target(org.pilot, org.bn, org.staff_bn, due=make.days(3))
    data = api(org.head).get(f"/pilots/{org.pilot.id}/rollout/targets").get_json()
    (item,) = data["items"]
    assert set(item) == TARGET_KEYS
    assert item["unit"] == "BNH" and item["responsible"] == org.staff_bn.email
    assert item["status"] == "planned" and item["version"] == 1
    assert (data["total"], data["page"], data["per_page"]) == (1, 1, 25)


def test_the_list_pages_like_every_list(api, org, make):
    for unit in (org.bn, org.hcm):
        add_target(org.pilot, unit, None, due=make.days(3))
    path = f"/pilots/{org.pilot.id}/rollout/targets"
    data = api(org.head).get(f"{path}?per_page=1&page=2").get_json()
    assert data["total"] == 2 and len(data["items"]) == 1 and data["page"] == 2
    assert_problem(api(org.head).get(f"{path}?per_page=1000"), 400)


def test_the_pilot_carries_its_rollout_decision_and_guide(api, org, make):
    org.pilot.rollout_guide = "Bước 1: cử đầu mối"
    add_target(org.pilot, org.bn, org.staff_bn, due=make.days(3))
    body = api(org.head).get(f"/pilots/{org.pilot.id}").get_json()
    assert body["rollout"]["guide"] == "Bước 1: cử đầu mối"
    assert body["rollout"]["open_wave"] == 1 and body["rollout"]["decision_number"] is None


def test_invisible_pilots_and_targets_answer_404(api, org, make):
    target = add_target(org.pilot, org.bn, org.staff_bn, due=make.days(3))
    stranger = make.user("lead", org.hcm)
    assert_problem(api(stranger).get(f"/pilots/{org.pilot.id}/rollout/targets"), 404)
    assert_problem(
        api(stranger).patch(f"/rollout-targets/{target.id}", json={"status": "done", "version": 1}),
        404,
    )
    assert_problem(api(org.head).patch("/rollout-targets/999999", json={"version": 1}), 404)
    assert_problem(api(org.head).patch("/rollout-targets/abc", json={"version": 1}), 404)


def test_bad_bodies_answer_400_or_422_never_500(api, org, make):
    target = add_target(org.pilot, org.bn, org.staff_bn, due=make.days(3))
    caller = api(org.head)
    assert_problem(caller.patch(f"/rollout-targets/{target.id}", json=[1]), 400)
    assert_problem(
        caller.patch(f"/rollout-targets/{target.id}", json={"status": "finished", "version": 1}),
        422,
        "status",
    )
    assert_problem(
        caller.post(
            f"/pilots/{org.pilot.id}/rollout/targets",
            json={"unit": "BNH", "due_date": "soon", "wave": 0},
        ),
        422,
        "due_date",
        "wave",
    )
    assert_problem(caller.get("/rollout/targets"), 404)


def test_json_lists_are_sent_as_lists_of_json_numbers_and_codes(api, org, make):
    target = add_target(org.pilot, org.bn, org.staff_bn, due=make.days(3))
    caller = api(org.head)
    bulk = f"/pilots/{org.pilot.id}/rollout/bulk"
    for targets in (target.id, [str(target.id)], [f"{target.id}:1"], [{"id": str(target.id)}]):
        response = caller.post(bulk, json={"targets": targets, "status": "in_progress"})
        assert_problem(response, 422, "targets")
    assert db.session.get(RolloutTarget, target.id).status == "planned"
    done = caller.post(bulk, json={"targets": [{"id": target.id, "version": 1}], "status": "done"})
    assert done.status_code == 200 and done.get_json()["items"][0]["status"] == "done"
    plan = {"level": "provinces", "units": "HNI", "due_date": make.days(5).isoformat()}
    response = caller.post(f"/pilots/{org.pilot.id}/rollout/targets", json=plan)
    assert_problem(response, 422, "units")
    added = caller.post(f"/pilots/{org.pilot.id}/rollout/targets", json={**plan, "units": ["HNI"]})
    assert added.status_code == 201
    assert [t["unit"] for t in added.get_json()["items"]] == ["HNI"]
