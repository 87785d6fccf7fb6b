"""The rollout API as API.md and openapi.json describe it."""

from __future__ import annotations

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


def test_openapi_describes_the_rollout_routes_and_their_fields(api, org):
    spec = api(None).get("/openapi.json").get_json()
    targets = spec["paths"]["/pilots/{id}/rollout/targets"]
    assert set(targets) == {"get", "post"}
    post = targets["post"]["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert {"unit", "under", "responsible", "due_date", "wave"} <= set(post)
    patch = spec["paths"]["/rollout-targets/{id}"]["patch"]["requestBody"]["content"]
    fields = patch["application/json"]["schema"]["properties"]
    assert {"status", "note", "blocked_reason", "due_date", "version"} <= set(fields)
    transition = spec["paths"]["/pilots/{pilot_id}/transitions"]["post"]["requestBody"]["content"]
    ref = transition["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert {"decision_number", "decision_date", "regulation"} <= set(
        spec["components"]["schemas"][ref]["properties"]
    )


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
