"""The results forms on the pilot page: Vietnamese numbers, messages beside fields, typing kept."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from pilotmgr.extensions import db
from pilotmgr.pilots.models import Kpi
from pilotmgr.results.models import Evaluation, KpiVerdict, Measurement, PilotEvaluator


def _post(client, url, data):
    return client.post(url, data=data | {"csrf_token": client.csrf})


def _day(bn, days=5) -> str:
    return (bn.pilot.start_date + timedelta(days=days)).strftime("%d/%m/%Y")


def _field_error(html: str, field_id: str) -> str:
    """The message shown beside one field (the element its aria-describedby names)."""
    match = re.search(rf'id="{re.escape(field_id)}-error">([^<]*)<', html)
    assert match, f"no error beside #{field_id}"
    return match.group(1)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_value_written_the_vietnamese_way_is_stored_and_shown_so(bn, login):
    client = login(bn.staff)
    response = _post(
        client,
        f"/kpis/{bn.kpi.id}/measurements",
        {"value": "1.200,5", "measured_on": _day(bn), "note": "Báo cáo tháng"},
    )
    assert response.status_code == 302
    found = db.session.scalar(select(Measurement).where(Measurement.status == "submitted"))
    assert found.value == Decimal("1200.5")
    assert found.measured_on == bn.pilot.start_date + timedelta(days=5)
    page = client.get(f"/pilots/{bn.pilot.id}").get_data(as_text=True)
    assert "1.200,5" in page and "chờ duyệt" in page


def test_an_english_reader_writes_12_point_5(bn, login, make):
    english = make.user("staff", bn.department, lang="en")
    client = login(english)
    response = _post(
        client, f"/kpis/{bn.kpi.id}/measurements", {"value": "12.5", "measured_on": _day(bn)}
    )
    assert response.status_code == 302
    assert db.session.scalar(
        select(Measurement.value).where(Measurement.submitted_by_id == english.id)
    ) == Decimal("12.5")


@pytest.mark.parametrize(
    "value, day, field, message",
    [
        ("12.5.3", None, "value", "Hãy nhập số theo dạng 1.200.000,5."),
        ("", None, "value", "Trường này là bắt buộc."),
        ("12,5", "31/02/2026", "measured_on", "Hãy nhập ngày theo dạng 31/12/2026."),
        ("12,5", "future", "measured_on", "Không thể ghi số liệu cho ngày trong tương lai."),
    ],
)
def test_a_wrong_value_comes_back_in_place_with_what_was_typed(
    bn, login, make, value, day, field, message
):
    client = login(bn.staff)
    if day == "future":
        day = make.days(3).strftime("%d/%m/%Y")
    typed = {"value": value, "measured_on": day or _day(bn), "note": "Ghi chú đã gõ"}
    response = _post(client, f"/kpis/{bn.kpi.id}/measurements", typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    prefix = f"m{bn.kpi.id}-"
    assert message in _field_error(html, prefix + field)
    assert f'value="{typed["value"]}"' in html and 'value="Ghi chú đã gõ"' in html
    # The form summary names the field by its label, never by its code.
    assert "measured_on:" not in html and "value:" not in html
    assert _count(Measurement) == 1


def test_a_correction_needs_its_reason_and_keeps_the_earlier_value(bn, login):
    old = db.session.scalar(select(Measurement))
    client = login(bn.staff)
    url = f"/kpis/{bn.kpi.id}/measurements"
    typed = {"corrects": str(old.id), "value": "62,5", "measured_on": _day(bn)}
    refused = _post(client, url, typed)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Trường này là bắt buộc." in _field_error(html, f"c{old.id}-reason")
    assert 'value="62,5"' in html
    done = _post(client, url, typed | {"reason": "Nhập nhầm đơn vị"})
    assert done.status_code == 302
    new = db.session.scalar(select(Measurement).where(Measurement.corrects_id == old.id))
    assert new.value == Decimal("62.5") and new.correction_reason == "Nhập nhầm đơn vị"
    assert db.session.get(Measurement, old.id).status == "approved"


def test_rejecting_needs_a_reason_beside_the_comment_and_changes_nothing_without_it(bn, login):
    client = login(bn.staff)
    _post(client, f"/kpis/{bn.kpi.id}/measurements", {"value": "70", "measured_on": _day(bn)})
    value = db.session.scalar(select(Measurement).where(Measurement.status == "submitted"))
    owner = login(bn.lead)
    refused = _post(
        owner, f"/measurements/{value.id}/review", {"decision": "reject", "version": value.version}
    )
    assert refused.status_code == 422
    assert "Nêu lý do trả lại số liệu." in _field_error(
        refused.get_data(as_text=True), f"r{value.id}-comment"
    )
    db.session.expire_all()
    assert db.session.get(Measurement, value.id).status == "submitted"
    done = _post(
        owner,
        f"/measurements/{value.id}/review",
        {"decision": "reject", "comment": "Sai nguồn số liệu", "version": value.version},
    )
    assert done.status_code == 302
    db.session.expire_all()
    rejected = db.session.get(Measurement, value.id)
    assert rejected.status == "rejected" and rejected.review_comment == "Sai nguồn số liệu"
    page = owner.get(f"/pilots/{bn.pilot.id}").get_data(as_text=True)
    assert "Cao Thị Hạnh đã trả lại: “Sai nguồn số liệu”" in page


def test_a_stale_review_is_refused(bn, login):
    client = login(bn.staff)
    _post(client, f"/kpis/{bn.kpi.id}/measurements", {"value": "70", "measured_on": _day(bn)})
    value = db.session.scalar(select(Measurement).where(Measurement.status == "submitted"))
    owner = login(bn.lead)
    response = _post(
        owner,
        f"/measurements/{value.id}/review",
        {"decision": "approve", "version": value.version + 5},
    )
    assert response.status_code == 302  # back, with "someone else changed this"
    db.session.expire_all()
    assert db.session.get(Measurement, value.id).status == "submitted"


def test_the_verdict_override_needs_a_reason_beside_it(bn, login, make):
    evaluating = make.pilot("evaluating", owner=bn.lead, unit_=bn.department)
    kpi = db.session.scalar(select(Kpi).where(Kpi.pilot_id == evaluating.id))
    head = login(bn.head)
    refused = _post(head, f"/kpis/{kpi.id}/verdict", {"verdict": "not_met"})
    assert refused.status_code == 422
    assert "Nêu lý do" in _field_error(refused.get_data(as_text=True), f"v{kpi.id}-reason")
    done = _post(head, f"/kpis/{kpi.id}/verdict", {"verdict": "not_met", "reason": "Số liệu mỏng"})
    assert done.status_code == 302
    assert db.session.get(KpiVerdict, kpi.id).verdict == "not_met"


def test_an_evaluation_out_of_range_comes_back_with_the_comment_kept(bn, login, make):
    evaluating = make.pilot("evaluating", owner=bn.lead, unit_=bn.department)
    head = login(bn.head)
    scores = {"feasibility": "4", "effectiveness": "9", "needs_fit": "4", "cost": "3"}
    refused = _post(
        head,
        f"/pilots/{evaluating.id}/evaluations",
        scores | {"scalability": "4", "comment": "Nhận xét đã gõ"},
    )
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert _field_error(html, "eval-effectiveness")
    assert "Nhận xét đã gõ" in html
    done = _post(
        head,
        f"/pilots/{evaluating.id}/evaluations",
        scores | {"effectiveness": "5", "scalability": "4", "comment": "Tốt"},
    )
    assert done.status_code == 302
    mine = db.session.scalar(select(Evaluation).where(Evaluation.evaluator_id == bn.head.id))
    assert (mine.effectiveness, mine.comment) == (5, "Tốt")


def test_an_evaluator_is_chosen_among_those_who_may_see_the_pilot(bn, login, make):
    evaluating = make.pilot("evaluating", owner=bn.lead, unit_=bn.department)
    head = login(bn.head)
    page = head.get(f"/pilots/{evaluating.id}").get_data(as_text=True)
    choices = re.search(r'<select[^>]*id="evr-evaluator".*?</select>', page, re.S).group(0)
    assert bn.staff.email in choices and bn.other_staff.email in choices
    assert bn.stranger.email not in choices and bn.viewer.email not in choices
    assert bn.head.email not in choices  # heads evaluate without being named
    refused = _post(head, f"/pilots/{evaluating.id}/evaluators", {"evaluator": bn.stranger.email})
    assert refused.status_code == 422
    assert "không được xem thí điểm" in _field_error(
        refused.get_data(as_text=True), "evr-evaluator"
    )
    viewer = _post(head, f"/pilots/{evaluating.id}/evaluators", {"evaluator": bn.viewer.email})
    assert viewer.status_code == 422
    done = _post(head, f"/pilots/{evaluating.id}/evaluators", {"evaluator": bn.staff.email})
    assert done.status_code == 302
    assert db.session.get(PilotEvaluator, (evaluating.id, bn.staff.id))
    staff_page = login(bn.staff).get(f"/pilots/{evaluating.id}").get_data(as_text=True)
    assert 'id="eval-feasibility"' in staff_page


def test_only_a_head_or_the_owner_sees_the_review_buttons(bn, login):
    client = login(bn.staff)
    _post(client, f"/kpis/{bn.kpi.id}/measurements", {"value": "70", "measured_on": _day(bn)})
    value = db.session.scalar(select(Measurement).where(Measurement.status == "submitted"))
    form = f'action="/measurements/{value.id}/review'
    assert form not in client.get(f"/pilots/{bn.pilot.id}").get_data(as_text=True)
    assert form in login(bn.lead).get(f"/pilots/{bn.pilot.id}").get_data(as_text=True)
    assert form in login(bn.head).get(f"/pilots/{bn.pilot.id}").get_data(as_text=True)
    viewer_page = login(bn.viewer).get(f"/pilots/{bn.pilot.id}").get_data(as_text=True)
    assert form not in viewer_page and "Nhập số liệu" not in viewer_page
