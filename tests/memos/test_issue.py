"""Issuing: numbers per unit and year without gaps even at once, permissions, frozen bytes."""

from __future__ import annotations

import hashlib
import threading

import pytest
from sqlalchemy import select

from pilotmgr.extensions import db
from pilotmgr.memos import service
from pilotmgr.memos.models import Memo
from pilotmgr.pilots.models import Challenge


def test_numbers_run_per_issuing_unit_and_year(app, make, org, selected):
    first = service.issue(org["head"], selected, {"kind": "rollout"})
    second = service.issue(org["owner"], selected, {"kind": "rollout", "lang": "en"})
    other = make.pilot("selected", unit_=org["other"])
    elsewhere = service.issue(org["other_head"], other, {"kind": "rollout"})
    db.session.commit()
    code = org["department"].code
    assert (first.number, second.number) == (f"2/TTr-{code}", f"3/TTr-{code}")
    assert elsewhere.number == f"2/TTr-{org['other'].code}"


@pytest.mark.commits
def test_two_memos_issued_at_once_get_consecutive_numbers(app, org, selected):
    pilot_id, head_id = selected.id, org["head"].id
    numbers, errors = [], []
    start = threading.Barrier(2)

    def issue():
        from pilotmgr.auth.models import User
        from pilotmgr.pilots.models import Pilot

        with app.app_context():
            try:
                start.wait()
                memo = service.issue(
                    db.session.get(User, head_id),
                    db.session.get(Pilot, pilot_id),
                    {"kind": "rollout"},
                )
                db.session.commit()
                numbers.append(memo.sequence)
            except Exception as exc:  # the assertion below reports it
                errors.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=issue) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert sorted(numbers) == [2, 3]
    stored = db.session.scalars(select(Memo.sequence).order_by(Memo.sequence)).all()
    assert stored == [1, 2, 3]


def test_the_stored_bytes_are_served_unchanged(app, api, org, selected):
    answer = api(org["owner"]).post(f"/pilots/{selected.id}/memos", json={"kind": "rollout"})
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    assert set(body) == {"id", "number", "sha256", "url"}
    got = api(org["viewer"]).get(body["url"].removeprefix("/api/v1"))
    assert got.status_code == 200 and got.mimetype == "application/pdf"
    assert hashlib.sha256(got.data).hexdigest() == body["sha256"]
    assert got.data == db.session.get(Memo, body["id"]).pdf


def test_who_may_issue_and_read(app, api, org, selected):
    path = f"/pilots/{selected.id}/memos"
    assert api(org["other_head"]).post(path, json={"kind": "rollout"}).status_code == 404
    assert api(org["staff"]).post(path, json={"kind": "rollout"}).status_code == 404
    assert api(org["viewer"]).post(path, json={"kind": "rollout"}).status_code == 403
    assert api(org["head"]).post(path, json={"kind": "nonsense"}).status_code == 422
    memo = db.session.scalar(select(Memo).where(Memo.pilot_id == selected.id))
    assert api(org["other_head"]).get(f"/memos/{memo.id}.pdf").status_code == 404
    assert api(org["viewer"]).get(f"/memos/{memo.id}.pdf").status_code == 200
    assert api(org["viewer"]).get("/memos/999999.pdf").status_code == 404


def test_a_memo_kind_needs_its_stage(app, api, make, org):
    draft = make.pilot("draft", owner=org["owner"], unit_=org["department"])
    answer = api(org["owner"]).post(f"/pilots/{draft.id}/memos", json={"kind": "rollout"})
    assert answer.status_code == 409 and answer.get_json()["missing"]


def test_web_preview_issue_and_download(app, client, login, org, selected):
    login(org["owner"])
    page = client.get(f"/pilots/{selected.id}/memos/preview?kind=rollout&lang=vi")
    assert page.status_code == 200 and "TỜ TRÌNH" in page.get_data(as_text=True)
    answer = client.post(
        f"/pilots/{selected.id}/memos",
        data={"kind": "selection", "lang": "vi", "csrf_token": client.csrf},
    )
    assert answer.status_code == 302
    memo = db.session.scalar(select(Memo).where(Memo.kind == "selection"))
    detail = client.get(f"/pilots/{selected.id}").get_data(as_text=True)
    assert memo.number in detail
    download = client.get(f"/memos/{memo.id}.pdf")
    assert download.data == memo.pdf


def test_an_issued_memo_cannot_be_changed(app, org, selected):
    import pytest

    memo = service.issue(org["head"], selected, {"kind": "rollout"})
    db.session.commit()
    memo.title = "khác"
    with pytest.raises(RuntimeError):
        db.session.commit()
    db.session.rollback()


def test_the_rollout_memo_recalls_the_comparison_its_pilot_was_selected_in(
    app, make, org, selected
):
    from pilotmgr.results.models import Selection

    challenge = db.session.get(Challenge, selected.challenge_id)
    rival = make.pilot(
        "evaluating", owner=org["owner"], challenge_id=challenge.id, title="Thí điểm đối chứng"
    )
    make.pilot("piloting", owner=org["owner"], challenge_id=challenge.id, title="Tham gia sau")
    # No selection recorded the pilot: there is no comparison to recall.
    assert service.preview(org["head"], selected, "rollout", "vi")["candidates"] == []

    db.session.add(
        Selection(
            challenge_id=challenge.id,
            decided_by_id=org["head"].id,
            selected_ids=str(selected.id),
            other_ids=str(rival.id),
            others="not_selected",
            rationale="Mức đạt chỉ tiêu cao hơn.",
        )
    )
    db.session.commit()
    ranked = service.preview(org["head"], selected, "rollout", "vi")["candidates"]
    # The pilot that joined the challenge later is not part of that decision.
    assert sorted(c["pilot_id"] for c in ranked) == sorted([selected.id, rival.id])
    assert [c["rank"] for c in ranked] == [1, 2]
    assert [c["pilot_id"] for c in ranked if c["recommended"]] == [selected.id]


def test_the_rollout_memo_recalls_the_figures_the_selection_was_decided_on(app, make, org):
    """Figures approved after the decision do not rewrite it; hidden pilots stay hidden."""
    from pilotmgr.results.models import Evaluation
    from pilotmgr.results.selection import select_pilots

    challenge = make.challenge("Một cửa điện tử cấp xã")
    ours = make.pilot(
        "evaluating", owner=org["owner"], unit_=org["department"], challenge_id=challenge.id
    )
    rival = make.pilot(
        "evaluating",
        owner=org["owner"],
        unit_=org["department"],
        challenge_id=challenge.id,
        title="Thí điểm đối chứng",
    )
    scores = {ours.id: 5, rival.id: 3}
    for evaluation in db.session.scalars(select(Evaluation)):
        score = scores[evaluation.pilot_id]
        evaluation.feasibility = evaluation.effectiveness = evaluation.needs_fit = score
        evaluation.cost = evaluation.scalability = score
    db.session.commit()
    select_pilots(
        org["head"],
        challenge,
        {
            "selected": [ours.id],
            "others": "not_selected",
            "rationale": "Điểm tổng hợp cao hơn.",
            "success_formula": "Một cửa, một lần.",
            "lessons": "Cần chuẩn hóa dữ liệu trước.",
        },
    )
    db.session.commit()
    # After the decision the rival's evaluations would put it first.
    for evaluation in db.session.scalars(select(Evaluation).where(Evaluation.pilot_id == rival.id)):
        evaluation.feasibility = evaluation.effectiveness = evaluation.needs_fit = 5
        evaluation.cost = evaluation.scalability = 5
    db.session.commit()

    recalled = service.preview(org["head"], ours, "rollout", "vi")["candidates"]
    assert [(c["pilot_id"], c["rank"], c["composite"]) for c in recalled] == [
        (ours.id, 1, "5"),
        (rival.id, 2, "3"),
    ]
    assert recalled[0]["recommended"] and recalled[1]["title"] == "Thí điểm đối chứng"
    # Someone who may not see the rival gets the memo without it, ranked among the rest.
    rival.unit_id = org["other"].id
    db.session.commit()
    shown = service.preview(org["viewer"], ours, "rollout", "vi")["candidates"]
    assert [(c["pilot_id"], c["rank"]) for c in shown] == [(ours.id, 1)]
    admin = make.user("admin", org["ministry"])
    assert len(service.preview(admin, ours, "rollout", "vi")["candidates"]) == 2
