"""A guard that fails says *which*: the units whose targets are open (the first ten, then how
many others), the KPIs without a value, the tasks lacking what, who has not evaluated — in
Vietnamese and in English, in the API's problem and on the pilot page."""

from __future__ import annotations

import re

import pytest

from pilotmgr.core.formats import format_day
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Kpi, Task
from pilotmgr.results.models import Evaluation, PilotEvaluator
from pilotmgr.rollout.models import RolloutTarget
from tests.api.conftest import assert_problem

REGULATION = {"number": "15/2026/QĐ-UBND", "date": "2026-10-01", "issuer": "UBND tỉnh"}


@pytest.fixture
def org(make):
    ministry = make.unit("BO", "Bộ Nội vụ")
    agency = make.unit("BO-CDS", "Cục Chuyển đổi số", ministry)
    lead = make.user("lead", agency, email="lead@bo.gov.vn", name="Trần Thị Mai")
    return {
        "ministry": ministry,
        "agency": agency,
        "lead": lead,
        "head_vi": make.user("head", ministry, email="head@bo.gov.vn", lang="vi"),
        "head_en": make.user("head", ministry, email="head.en@bo.gov.vn", lang="en"),
    }


def _rolling_out(make, org, open_units: int):
    """A pilot with `open_units` provinces not done; their names in tree order (the board's)."""
    pilot = make.pilot("rolling_out", owner=org["lead"], unit_=org["agency"])
    units = [make.unit(f"P{i:02d}", f"Tỉnh Số {i:02d}", org["ministry"]) for i in range(open_units)]
    for unit in units:
        db.session.add(RolloutTarget(pilot_id=pilot.id, unit_id=unit.id, status="in_progress"))
    db.session.commit()
    pilot.open_names = [u.name for u in sorted(units, key=lambda u: u.path)]
    return pilot


def _scale(api, user, pilot) -> dict:
    response = api(user).post(
        f"/pilots/{pilot.id}/transitions",
        json={"to": "scaled", "comment": "Hoàn thành", "regulation": REGULATION},
    )
    return assert_problem(response, 409)


def test_scaling_names_the_one_unit_not_done(org, api, make):
    pilot = _rolling_out(make, org, 1)
    problem = _scale(api, org["head_vi"], pilot)
    expected = "Mọi đơn vị nhân rộng đã hoàn thành; còn 1 đơn vị chưa xong: Tỉnh Số 00"
    assert problem["missing"] == [expected]
    assert expected in problem["detail"]
    problem = _scale(api, org["head_en"], pilot)
    assert problem["missing"] == ["Every rollout target done; 1 unit has not finished: Tỉnh Số 00"]


def test_scaling_names_the_first_ten_units_then_counts_the_others(org, api, make):
    pilot = _rolling_out(make, org, 12)
    first_ten, last_two = ", ".join(pilot.open_names[:10]), pilot.open_names[10:]
    problem = _scale(api, org["head_vi"], pilot)
    assert problem["missing"] == [
        f"Mọi đơn vị nhân rộng đã hoàn thành; còn 12 đơn vị chưa xong: {first_ten} và 2 đơn vị khác"
    ]
    assert "và 2 đơn vị khác" in problem["detail"]
    assert not any(name in problem["detail"] for name in last_two)
    problem = _scale(api, org["head_en"], pilot)
    assert problem["missing"] == [
        f"Every rollout target done; 12 units have not finished: {first_ten} and 2 other units"
    ]


def test_eleven_open_units_say_one_other_unit_in_english(org, api, make):
    pilot = _rolling_out(make, org, 11)
    problem = _scale(api, org["head_en"], pilot)
    assert problem["missing"][0].endswith(f"{pilot.open_names[9]} and 1 other unit")


def test_the_scale_form_on_the_pilot_page_names_the_open_units(org, login, make):
    pilot = _rolling_out(make, org, 2)
    page = login(org["head_vi"]).get(f"/pilots/{pilot.id}").get_data(as_text=True)
    assert f"còn 2 đơn vị chưa xong: {', '.join(pilot.open_names)}" in page


def _draft(make, org):
    pilot = make.pilot("draft", owner=org["lead"], unit_=org["agency"], complete=False)
    pilot.challenge_id = make.challenge().id
    db.session.add(Kpi(pilot_id=pilot.id, name="Tỷ lệ hồ sơ trực tuyến", baseline=10))
    db.session.add(Task(pilot_id=pilot.id, title="Khảo sát", due_date=make.days(5)))
    db.session.commit()
    return pilot


def test_submitting_names_the_kpis_and_tasks_lacking_what(org, api, make):
    pilot = _draft(make, org)
    url = f"/pilots/{pilot.id}/transitions"
    missing = assert_problem(api(org["lead"]).post(url, json={"to": "proposed"}), 409)["missing"]
    assert (
        "Ít nhất một chỉ số KPI có giá trị ban đầu và mục tiêu; các chỉ số hiện có còn thiếu:"
        " “Tỷ lệ hồ sơ trực tuyến” (còn thiếu: mục tiêu)"
    ) in missing
    assert (
        "Ít nhất một nhiệm vụ có người thực hiện, thời hạn và sản phẩm; các nhiệm vụ hiện có"
        " còn thiếu: “Khảo sát” (còn thiếu: người thực hiện, sản phẩm)"
    ) in missing
    org["lead"].lang = "en"
    db.session.commit()
    missing = assert_problem(api(org["lead"]).post(url, json={"to": "proposed"}), 409)["missing"]
    assert (
        "At least one KPI with a baseline and a target; the KPIs so far lack:"
        " “Tỷ lệ hồ sơ trực tuyến” (missing: target)"
    ) in missing
    assert (
        "At least one task with an assignee, a due date and a deliverable; the tasks so far"
        " lack: “Khảo sát” (missing: assignee, deliverable)"
    ) in missing


def test_without_any_kpi_or_task_the_plain_requirement_is_said(org, api, make):
    pilot = make.pilot("draft", owner=org["lead"], unit_=org["agency"], complete=False)
    url = f"/pilots/{pilot.id}/transitions"
    missing = assert_problem(api(org["lead"]).post(url, json={"to": "proposed"}), 409)["missing"]
    assert "Ít nhất một chỉ số KPI có giá trị ban đầu và mục tiêu" in missing
    assert "Ít nhất một nhiệm vụ có người thực hiện, thời hạn và sản phẩm" in missing


def test_starting_evaluation_names_the_kpis_without_an_approved_value(org, api, make):
    pilot = make.pilot("piloting", owner=org["lead"], unit_=org["agency"])
    waiting = make.kpi(pilot, name="Số hồ sơ")
    make.measurement(waiting, org["lead"], status="submitted")
    for n in range(11):
        make.kpi(pilot, name=f"Chỉ số {n:02d}")
    url = f"/pilots/{pilot.id}/transitions"
    body = {"to": "evaluating"}
    (text,) = assert_problem(api(org["head_vi"]).post(url, json=body), 409)["missing"]
    assert text.startswith(
        "Mỗi chỉ số KPI có ít nhất một số liệu đã duyệt; chưa có cho “Số hồ sơ”"
        " (1 số liệu đang chờ duyệt), “Chỉ số 00”"
    )
    assert text.endswith("“Chỉ số 08” và 2 chỉ số khác")
    (text,) = assert_problem(api(org["head_en"]).post(url, json=body), 409)["missing"]
    assert text.startswith(
        "An approved value for every KPI; none yet for “Số hồ sơ” (1 value awaiting review)"
    )
    assert text.endswith("and 2 other KPIs")


def test_selecting_names_who_was_asked_to_evaluate_and_has_not(org, api, make):
    pilot = make.pilot("evaluating", owner=org["lead"], unit_=org["agency"])
    db.session.query(Evaluation).filter_by(pilot_id=pilot.id).delete()
    url, body = f"/pilots/{pilot.id}/transitions", {"to": "selected"}
    (text,) = assert_problem(api(org["head_vi"]).post(url, json=body), 409)["missing"]
    assert text == "Một phiếu đánh giá; chưa giao cho ai đánh giá"
    expert = make.user("staff", org["agency"], name="Lê Văn Thẩm")
    db.session.add(
        PilotEvaluator(pilot_id=pilot.id, user_id=expert.id, named_by_id=org["head_vi"].id)
    )
    db.session.commit()
    (text,) = assert_problem(api(org["head_vi"]).post(url, json=body), 409)["missing"]
    assert text == "Một phiếu đánh giá; đã được giao đánh giá nhưng chưa đánh giá: Lê Văn Thẩm"
    (text,) = assert_problem(api(org["head_en"]).post(url, json=body), 409)["missing"]
    assert text == "An evaluation; named to evaluate and not yet done: Lê Văn Thẩm"


def test_extending_says_which_day_today_is(org, api, make):
    pilot = make.pilot("evaluating", owner=org["lead"], unit_=org["agency"])
    body = {"to": "piloting", "new_end_date": make.days(0).isoformat()}
    problem = assert_problem(
        api(org["head_vi"]).post(f"/pilots/{pilot.id}/transitions", json=body), 409
    )
    assert problem["missing"] == [f"Ngày kết thúc mới sau hôm nay ({format_day(make.days(0))})"]
    assert re.search(r"\(\d\d/\d\d/\d{4}\)", problem["detail"])


def test_a_step_not_possible_says_where_the_pilot_can_go(org, api, make):
    pilot = make.pilot("draft", owner=org["lead"], unit_=org["agency"])
    body = {"to": "scaled"}
    problem = assert_problem(
        api(org["head_vi"]).post(f"/pilots/{pilot.id}/transitions", json=body), 409
    )
    assert "Từ giai đoạn này thí điểm có thể chuyển sang “Đã đề xuất”" in problem["detail"]
    problem = assert_problem(
        api(org["head_en"]).post(f"/pilots/{pilot.id}/transitions", json=body), 409
    )
    assert "From here it can move to “Proposed”" in problem["detail"]


def test_a_refused_step_says_who_may_take_it(org, api, make):
    pilot = make.pilot("proposed", owner=org["lead"], unit_=org["agency"])
    problem = assert_problem(
        api(org["lead"]).post(f"/pilots/{pilot.id}/transitions", json={"to": "piloting"}), 403
    )
    assert problem["detail"] == (
        "Đồng chí không có quyền thực hiện bước này đối với thí điểm này: chỉ lãnh đạo"
        " Cục Chuyển đổi số hoặc đơn vị cấp trên mới được thực hiện."
    )
    staff = make.user("staff", org["agency"], lang="en")
    problem = assert_problem(
        api(staff).post(f"/pilots/{pilot.id}/transitions", json={"to": "draft"}), 403
    )
    assert problem["detail"] == (
        "You may not take this step for this pilot: only its owner (Trần Thị Mai) or a head of"
        " Cục Chuyển đổi số or of a unit above it may."
    )
