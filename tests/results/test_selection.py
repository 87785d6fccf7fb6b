"""Comparison ranking and the all-or-nothing selection decision, through the API."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from pilotmgr.extensions import db
from pilotmgr.pilots.models import Kpi, Pilot
from pilotmgr.results.models import Evaluation, Measurement


@pytest.fixture
def contest(app, make):
    province = make.unit("BNH", "Tỉnh Bắc Ninh")
    department = make.unit("BNH-YT", "Sở Y tế", parent=province)
    other = make.unit("DNG", "Đà Nẵng")
    head = make.user("head", province)
    lead = make.user("lead", department)
    challenge = make.challenge("Thanh toán không dùng tiền mặt tại bệnh viện")
    pilots = []
    for n, (score, value, budget) in enumerate([(3, 60, 300), (5, 80, 500), (4, 65, 200)]):
        p = make.pilot(
            "evaluating",
            owner=lead,
            unit_=department,
            title=f"Bệnh viện {n}",
            challenge_id=challenge.id,
            budget=budget * 1_000_000,
        )
        kpi = db.session.scalar(select(Kpi).where(Kpi.pilot_id == p.id))
        db.session.execute(
            update(Measurement).where(Measurement.kpi_id == kpi.id).values(value=value)
        )
        db.session.execute(
            update(Evaluation)
            .where(Evaluation.pilot_id == p.id)
            .values(
                feasibility=score,
                effectiveness=score,
                needs_fit=score,
                cost=score,
                scalability=score,
            )
        )
        pilots.append(p)
    db.session.commit()
    return {
        "head": head,
        "lead": lead,
        "challenge": challenge,
        "pilots": pilots,
        "other": other,
        "make": make,
    }


def test_candidates_are_ranked_by_the_rule_on_the_page_and_in_the_api(contest, api, login):
    data = api(contest["head"]).get(f"/challenges/{contest['challenge'].id}/comparison").get_json()
    ranked = [c["title"] for c in data["candidates"]]
    assert ranked == ["Bệnh viện 1", "Bệnh viện 2", "Bệnh viện 0"]
    assert data["candidates"][0]["composite"] == 5.0
    assert "tổng hợp" in data["rule"]
    page = login(contest["head"]).get(f"/challenges/{contest['challenge'].id}/comparison")
    html = page.get_data(as_text=True)
    assert "Xếp hạng theo điểm đánh giá tổng hợp" in html
    assert html.index("Bệnh viện 1") < html.index("Bệnh viện 2") < html.index("Bệnh viện 0")


def test_ties_fall_back_to_attainment_then_cost(contest, api):
    db.session.execute(
        update(Evaluation).values(
            feasibility=4, effectiveness=4, needs_fit=4, cost=4, scalability=4
        )
    )
    db.session.commit()
    data = api(contest["head"]).get(f"/challenges/{contest['challenge'].id}/comparison").get_json()
    assert [c["title"] for c in data["candidates"]] == ["Bệnh viện 1", "Bệnh viện 2", "Bệnh viện 0"]


def _select(contest, api, best):
    """The head selects `best` and closes the other candidates, through the API."""
    return api(contest["head"]).post(
        f"/challenges/{contest['challenge'].id}/selection",
        json={
            "selected": [best.id],
            "others": "not_selected",
            "rationale": "Hiệu quả cao nhất, chi phí hợp lý",
            "success_formula": "Thanh toán QR + hóa đơn điện tử tại quầy",
            "lessons": "Cần đào tạo nhân viên thu ngân trước khi triển khai",
        },
    )


def test_selecting_one_closes_the_others_in_one_decision(contest, api):
    best = contest["pilots"][1]
    response = _select(contest, api, best)
    assert response.status_code == 200, response.get_json()
    db.session.expire_all()
    stages = {p.title: (p.stage, p.outcome) for p in db.session.scalars(select(Pilot))}
    assert stages == {
        "Bệnh viện 0": ("closed", "not_selected"),
        "Bệnh viện 1": ("selected", None),
        "Bệnh viện 2": ("closed", "not_selected"),
    }
    assert db.session.get(Pilot, best.id).success_formula.startswith("Thanh toán QR")
    history = (
        api(contest["head"]).get(f"/pilots/{contest['pilots'][0].id}/history").get_json()["items"]
    )
    assert history[-1]["object_type"] == "selection"


def test_the_decision_keeps_the_comparison_it_was_taken_on(contest, api):
    from pilotmgr.results.models import Selection

    best = contest["pilots"][1]
    response = _select(contest, api, best)
    assert response.status_code == 200, response.get_json()
    ranking = db.session.scalar(select(Selection)).ranking
    order = [contest["pilots"][n].id for n in (1, 2, 0)]
    assert [entry["pilot_id"] for entry in ranking] == order
    assert [entry["composite"] for entry in ranking] == ["5", "4", "3"]
    assert ranking[0]["evaluations"] == 1
    assert ranking[0]["criteria"]["feasibility"] == "5"


def test_if_one_candidate_cannot_move_nothing_moves(contest, api):
    # The third candidate lost its evaluation: it cannot be selected.
    weak = contest["pilots"][2]
    db.session.execute(Evaluation.__table__.delete().where(Evaluation.pilot_id == weak.id))
    db.session.commit()
    response = api(contest["head"]).post(
        f"/challenges/{contest['challenge'].id}/selection",
        json={
            "selected": [contest["pilots"][1].id, weak.id],
            "others": "not_selected",
            "rationale": "Chọn hai mô hình",
            "success_formula": "Công thức",
            "lessons": "Bài học",
        },
    )
    assert response.status_code == 409
    assert any("Bệnh viện 2" in m for m in response.get_json()["missing"])
    db.session.expire_all()
    assert {p.stage for p in db.session.scalars(select(Pilot))} == {"evaluating"}


def test_extending_the_others_sends_them_back_to_piloting_with_a_new_end(contest, api, make):
    new_end = (make.days(0) + timedelta(days=90)).isoformat()
    response = api(contest["head"]).post(
        f"/challenges/{contest['challenge'].id}/selection",
        json={
            "selected": [contest["pilots"][1].id],
            "others": "extend",
            "new_end_date": new_end,
            "rationale": "Cho thêm thời gian",
            "success_formula": {str(contest["pilots"][1].id): "Mô hình chuẩn"},
        },
    )
    assert response.status_code == 200
    db.session.expire_all()
    others = [db.session.get(Pilot, p.id) for p in (contest["pilots"][0], contest["pilots"][2])]
    assert all(p.stage == "piloting" and p.end_date.isoformat() == new_end for p in others)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"selected": []}, "selected"),
        ({"selected": "abc"}, "selected"),
        ({"success_formula": ""}, "success_formula"),
        ({"others": "maybe"}, "others"),
        ({"others": "extend"}, "new_end_date"),
        ({"rationale": ""}, "rationale"),
        ({"lessons": ""}, "lessons"),
    ],
)
def test_an_incomplete_decision_is_refused_with_the_field(contest, api, change, field):
    payload = {
        "selected": [contest["pilots"][1].id],
        "others": "not_selected",
        "rationale": "Lý do",
        "success_formula": "Công thức",
        "lessons": "Bài học",
    } | change
    response = api(contest["head"]).post(
        f"/challenges/{contest['challenge'].id}/selection", json=payload
    )
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_only_a_head_with_authority_over_every_candidate_decides(contest, api, make):
    outsider = make.user("head", contest["other"])
    lead = contest["lead"]
    payload = {
        "selected": [contest["pilots"][1].id],
        "others": "not_selected",
        "rationale": "x",
        "success_formula": "y",
        "lessons": "z",
    }
    assert (
        api(outsider)
        .post(f"/challenges/{contest['challenge'].id}/selection", json=payload)
        .status_code
        == 403
    )
    assert (
        api(lead).post(f"/challenges/{contest['challenge'].id}/selection", json=payload).status_code
        == 403
    )
    assert api(lead).post("/challenges/99999/selection", json=payload).status_code == 404


def test_evaluation_scores_are_checked(contest, api):
    pilot = contest["pilots"][0]
    bad = api(contest["head"]).post(
        f"/pilots/{pilot.id}/evaluations", json={"scores": {"feasibility": 7}}
    )
    good = api(contest["head"]).post(
        f"/pilots/{pilot.id}/evaluations",
        json={
            "scores": {
                "feasibility": 5,
                "effectiveness": 4,
                "needs_fit": 5,
                "cost": 3,
                "scalability": 4,
            },
            "comment": "Tốt",
        },
    )
    staff = contest["make"].user("staff", pilot.unit)
    assert bad.status_code == 422 and "feasibility" in bad.get_json()["errors"]
    assert good.status_code == 201
    refused = api(staff).post(f"/pilots/{pilot.id}/evaluations", json={"scores": {}})
    assert refused.status_code == 403


def test_programme_weights_change_the_composite_and_only_admins_set_them(contest, make, login):
    programme_id = contest["challenge"].programme_id
    admin = make.user("admin", contest["other"])
    weights = {
        "feasibility": "0",
        "effectiveness": "1",
        "needs_fit": "0",
        "cost": "0",
        "scalability": "0",
    }
    head = login(contest["head"])
    refused = head.post(
        f"/programmes/{programme_id}/weights", data=weights | {"csrf_token": head.csrf}
    )
    assert refused.status_code == 403
    client = login(admin)
    saved = client.post(
        f"/programmes/{programme_id}/weights", data=weights | {"csrf_token": client.csrf}
    )
    assert saved.status_code == 302
    zero = {c: "0" for c in weights}
    bad = client.post(
        f"/programmes/{programme_id}/weights", data=zero | {"csrf_token": client.csrf}
    )
    assert bad.status_code == 302  # refused with a message; nothing changed
    from pilotmgr.results.evaluations import weights_for

    assert (
        weights_for(programme_id)["effectiveness"] == 1 and weights_for(programme_id)["cost"] == 0
    )
