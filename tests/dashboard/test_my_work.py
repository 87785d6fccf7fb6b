"""*Việc của tôi* on the hand-counted organisation of conftest.py (Wednesday 10 March 2027):
what waits for whose decision, since when and for how many working days; the values to enter;
the rollout targets and values handled in place."""

from __future__ import annotations

import io
from datetime import date

from sqlalchemy import select

from pilotmgr.dashboard.service import awaiting_my_decision, values_to_enter
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Kpi, TaskDueRequest
from pilotmgr.results.models import Evaluation, Evidence, Measurement, PilotEvaluator
from pilotmgr.rollout.models import RolloutTarget

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _kinds(user):
    return [(w.kind, w.pilot_title, w.since, w.working_days) for w in awaiting_my_decision(user)]


def test_a_head_sees_each_decision_with_its_date_and_working_days_oldest_first(world):
    assert _kinds(world.head_p) == [
        # evaluating since Sunday 28 Feb: 1–5 and 8–10 March are working days.
        ("selection", "Bệnh án điện tử huyện", date(2027, 2, 28), 8),
        # proposed since Friday 5 March: 8, 9 and 10 March.
        ("submission", "Học bạ số tiểu học", date(2027, 3, 5), 3),
        ("review", "Hóa đơn điện tử tại chợ Đồng Xuân", date(2027, 3, 10), 0),
    ]


def test_a_head_elsewhere_and_the_owner_of_their_own_value_have_nothing_to_decide(world):
    assert _kinds(world.head_q) == []
    # lead_p submitted the waiting value: an owner who is not a head does not review their own.
    assert _kinds(world.lead_p) == []
    assert _kinds(world.staff) == []


def test_the_owner_decides_on_a_new_due_date_asked_for_one_of_the_pilots_tasks(world):
    asked = TaskDueRequest(
        task_id=world.t2.id,
        requested_by_id=world.staff.id,
        old_due_date=date(2027, 3, 5),
        new_due_date=date(2027, 3, 19),
        reason="Chờ máy tính tiền",
    )
    db.session.add(asked)
    db.session.commit()
    [waiting] = awaiting_my_decision(world.lead_p)
    assert (waiting.kind, waiting.subject, waiting.requester) == (
        "due_request",
        "Lắp đặt máy tính tiền",
        "Ngô Văn Tùng",
    )
    assert waiting.request.id == asked.id and waiting.url.endswith(f"#task-{world.t2.id}")
    assert "due_request" in [w.kind for w in awaiting_my_decision(world.head_p)]
    assert awaiting_my_decision(world.head_q) == []


def test_a_rollout_whose_every_target_is_done_waits_for_scaled(world):
    first, last = db.session.scalars(select(RolloutTarget).order_by(RolloutTarget.id)).all()
    first.done_on = date(2027, 3, 4)
    last.status, last.done_on = "done", date(2027, 3, 8)
    db.session.commit()
    scaled = [w for w in awaiting_my_decision(world.head_p) if w.kind == "scaling"]
    # The province head's subtree holds the pilot; the latest target was done on Monday 8 March.
    assert [(w.pilot_title, w.since, w.working_days) for w in scaled] == [
        ("Thanh toán viện phí QR", date(2027, 3, 8), 2)
    ]


def test_an_evaluator_sees_the_evaluation_asked_of_them_until_it_is_given(world):
    db.session.add(
        PilotEvaluator(pilot_id=world.p3.id, user_id=world.staff.id, named_by_id=world.head_p.id)
    )
    db.session.commit()
    assert [w.kind for w in awaiting_my_decision(world.staff)] == ["evaluation"]
    scores = dict(feasibility=4, effectiveness=4, needs_fit=4, cost=3, scalability=4)
    db.session.add(Evaluation(pilot_id=world.p3.id, evaluator_id=world.staff.id, **scores))
    db.session.commit()
    assert awaiting_my_decision(world.staff) == []


def test_viewers_decide_nothing(world, make):
    viewer = make.user("viewer", world.province)
    assert awaiting_my_decision(viewer) == []


def test_values_to_enter_are_the_kpis_of_the_piloting_pilots_one_works_on(world):
    [item] = values_to_enter(world.staff)
    assert (item.kpi.name, item.pilot_title) == (
        "Tỷ lệ hóa đơn",
        "Hóa đơn điện tử tại chợ Đồng Xuân",
    )
    assert (item.latest.value, item.latest.status) == (30, "submitted")
    assert values_to_enter(world.head_q) == []


def test_the_page_shows_the_kind_the_date_and_the_working_days(world, login):
    page = login(world.head_p).get("/my-work").get_data(as_text=True)
    section = page.split('id="awaiting"')[1].split("</section>")[0]
    assert section.index("Quyết định lựa chọn") < section.index("Phê duyệt hồ sơ trình")
    assert "28/02/2027" in section and "<strong>8</strong> ngày làm việc" in section
    assert "Số liệu chờ duyệt" in section and "<strong>30</strong>" in section


def test_staff_records_a_value_written_the_vietnamese_way_from_my_work(world, login):
    kpi = db.session.scalar(select(Kpi))
    client = login(world.staff)
    page = client.get("/my-work").get_data(as_text=True)
    assert f'id="value-{kpi.id}"' in page
    bad = client.post(
        f"/my-work/kpis/{kpi.id}/values",
        data={"csrf_token": client.csrf, "value": "12,5 hồ sơ", "measured_on": "09/03/2027"},
    )
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert f'id="value-{kpi.id}-value-error">Hãy nhập số theo dạng 1.200.000,5.' in html
    assert 'value="12,5 hồ sơ"' in html
    ok = client.post(
        f"/my-work/kpis/{kpi.id}/values",
        data={"csrf_token": client.csrf, "value": "1.234,5", "measured_on": "09/03/2027"},
    )
    assert ok.status_code == 302
    value = db.session.scalar(select(Measurement).order_by(Measurement.id.desc()))
    assert (float(value.value), value.measured_on, value.status) == (
        1234.5,
        date(2027, 3, 9),
        "submitted",
    )


def test_a_target_unit_finishes_its_target_with_a_file_and_blocked_needs_a_reason(world, login):
    target = db.session.scalar(select(RolloutTarget).where(RolloutTarget.status == "planned"))
    world.p4.stage = "rolling_out"
    db.session.commit()
    client = login(world.lead_p)
    assert f'id="target-{target.id}"' in client.get("/my-work").get_data(as_text=True)
    blocked = client.post(
        f"/my-work/targets/{target.id}",
        data={"csrf_token": client.csrf, "status": "blocked", "blocked_reason": "", "version": "1"},
    )
    assert blocked.status_code == 422
    html = blocked.get_data(as_text=True)
    assert f'id="target-blocked-{target.id}-blocked_reason-error"' in html
    done = client.post(
        f"/my-work/targets/{target.id}",
        data={
            "csrf_token": client.csrf,
            "status": "done",
            "note": "Đã triển khai tại 12 quầy",
            "file": (io.BytesIO(PDF), "bien-ban.pdf"),
            "version": "1",
        },
        content_type="multipart/form-data",
    )
    assert done.status_code == 302
    db.session.expire_all()
    target = db.session.get(RolloutTarget, target.id)
    assert (target.status, target.note) == ("done", "Đã triển khai tại 12 quầy")
    evidence = db.session.scalar(select(Evidence))
    assert evidence.rollout_target_id == target.id and evidence.filename == "bien-ban.pdf"
