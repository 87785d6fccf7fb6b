"""Thresholds are fixed when a pilot starts: later changes need a head and a reason, on record."""

from sqlalchemy import select

from pilotmgr.extensions import db
from pilotmgr.pilots.models import Kpi


def test_the_owner_changes_targets_freely_before_the_start(app, make, api):
    pilot = make.pilot("draft")
    kpi = db.session.scalar(select(Kpi).where(Kpi.pilot_id == pilot.id))
    response = api(pilot.owner).patch(
        f"/kpis/{kpi.id}", json={"target": 90, "version": kpi.version}
    )
    assert response.status_code == 200 and response.get_json()["target"] == 90


def test_after_the_start_only_a_head_with_a_reason_changes_a_target(app, make, api):
    province = make.unit("BNH", "Bắc Ninh")
    pilot = make.pilot("piloting", unit_=make.unit("BNH-YT", "Sở Y tế", parent=province))
    head = make.user("head", province)
    kpi = db.session.scalar(select(Kpi).where(Kpi.pilot_id == pilot.id))
    version = kpi.version

    owner = api(pilot.owner).patch(f"/kpis/{kpi.id}", json={"target": 90, "version": version})
    silent = api(head).patch(f"/kpis/{kpi.id}", json={"target": 90, "version": version})
    renamed = api(pilot.owner).patch(
        f"/kpis/{kpi.id}", json={"name": "Tên rõ hơn", "version": version}
    )
    reasoned = api(head).patch(
        f"/kpis/{kpi.id}",
        json={"target": 90, "comment": "Điều chỉnh theo Nghị quyết mới", "version": version + 1},
    )

    assert owner.status_code == 403
    assert silent.status_code == 422 and "comment" in silent.get_json()["errors"]
    assert renamed.status_code == 200
    assert reasoned.status_code == 200 and reasoned.get_json()["target"] == 90
    history = api(head).get(f"/pilots/{pilot.id}/history").get_json()["items"]
    assert history[-1]["comment"] == "Điều chỉnh theo Nghị quyết mới"
    assert history[-1]["before"]["target"] != history[-1]["after"]["target"]
