"""Lifecycle decisions on the pilot page: one form each, refused ones re-rendered in place,
irreversible ones confirmed first with what will happen."""

from __future__ import annotations

import re

from sqlalchemy import select

from pilotmgr.core.audit import HistoryEntry
from pilotmgr.extensions import db
from pilotmgr.memos.models import Memo
from pilotmgr.pilots.models import Pilot
from pilotmgr.rollout.models import RolloutTarget
from tests.pilots.conftest import notified


def _post(client, pilot, **data):
    return client.post(
        f"/pilots/{pilot.id}/transitions",
        data={"csrf_token": client.csrf, "version": str(pilot.version), **data},
    )


def _stage(pilot) -> str:
    db.session.expire_all()
    return db.session.get(Pilot, pilot.id).stage


def test_a_send_back_without_a_comment_reopens_the_form_with_the_message_beside_it(
    org, make, login
):
    pilot = make.pilot("proposed", owner=org.lead, unit_=org.department)
    client = login(org.head)
    response = _post(client, pilot, to="draft", step="send_back", comment="  ")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="decision-send_back"' in page and "border-danger" in page
    assert 'id="send_back-comment-error">Ý kiến nêu rõ lý do</div>' in page
    assert _stage(pilot) == "proposed"


def test_a_refused_decision_keeps_what_was_typed(org, make, login):
    pilot = make.pilot("evaluating", owner=org.lead, unit_=org.department)
    client = login(org.head)
    response = _post(
        client, pilot, to="piloting", step="extend", new_end_date="31/02/2027", comment="Gia hạn"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="31/02/2027"' in page and "Gia hạn</textarea>" in page
    assert "Hãy nhập ngày theo dạng 31/12/2026." in page


def test_a_date_written_the_vietnamese_way_extends_the_pilot(org, make, login):
    pilot = make.pilot("evaluating", owner=org.lead, unit_=org.department)
    new_end = make.days(60)
    client = login(org.head)
    response = _post(
        client, pilot, to="piloting", step="extend", new_end_date=new_end.strftime("%d/%m/%Y")
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Pilot, pilot.id).end_date == new_end


def test_what_is_missing_for_a_step_is_listed_beside_its_form(org, make, login):
    pilot = make.pilot("draft", owner=org.lead, unit_=org.department, summary="")
    client = login(org.lead)
    response = _post(client, pilot, to="proposed", step="submit")
    page = response.get_data(as_text=True)
    form = page[page.index('id="decision-submit"') :]
    form = form[: form.index("</form>")]
    assert response.status_code == 422
    assert 'role="alert"' in form and "Tóm tắt" in form
    assert _stage(pilot) == "draft"


def test_the_regulations_missing_parts_go_beside_their_fields(org, make, login):
    pilot = make.pilot("rolling_out", owner=org.lead, unit_=org.department)
    client = login(org.head)
    response = _post(client, pilot, to="scaled", step="scale", regulation_number="12/2027/QĐ-UBND")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="scale-regulation_date-error"' in page
    assert 'id="scale-regulation_issuer-error"' in page
    assert 'value="12/2027/QĐ-UBND"' in page


def test_closing_asks_first_and_lists_what_will_happen(org, make, login):
    pilot = make.pilot("piloting", owner=org.lead, unit_=org.department)
    make.task(pilot, assignee=org.staff, title="Tập huấn thu ngân")
    client = login(org.head)
    data = {
        "to": "closed",
        "step": "close",
        "outcome": "stopped",
        "comment": "Dừng theo đề nghị của Sở.",
        "lessons": "Khảo sát nhu cầu trước.",
    }
    asked = _post(client, pilot, **data)
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and 'id="confirm-button"' in page
    assert "kết thúc với kết quả “Dừng”" in page
    assert "2 nhiệm vụ đang mở sẽ dừng" in page and "Tập huấn thu ngân" in page
    assert "Cao Thị Hạnh, người chủ trì, sẽ được thông báo" in page
    assert _stage(pilot) == "piloting" and not notified()

    # The confirmation posts the same fields back, with confirmed=1.
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))
    assert fields["comment"] == data["comment"] and fields["confirmed"] == "1"
    done = client.post(f"/pilots/{pilot.id}/transitions", data=fields)
    assert done.status_code == 302
    assert _stage(pilot) == "closed"
    assert list(notified("closed")) == [org.lead.id]


def test_scaling_asks_first_naming_the_targets_and_the_regulation(org, make, login):
    pilot = make.pilot("rolling_out", owner=org.lead, unit_=org.department)
    client = login(org.head)
    asked = _post(
        client,
        pilot,
        to="scaled",
        step="scale",
        regulation_number="12/2027/QĐ-UBND",
        regulation_date="05/01/2027",
        regulation_issuer="UBND tỉnh Bắc Ninh",
    )
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and 'id="confirm-button"' in page
    assert "toàn bộ 1 đơn vị mục tiêu" in page
    assert "Văn bản số 12/2027/QĐ-UBND ngày 05/01/2027 của UBND tỉnh Bắc Ninh" in page
    assert _stage(pilot) == "rolling_out"


def test_a_stale_decision_changes_nothing(org, make, login):
    pilot = make.pilot("proposed", owner=org.lead, unit_=org.department)
    client = login(org.head)
    response = client.post(
        f"/pilots/{pilot.id}/transitions",
        data={
            "csrf_token": client.csrf,
            "version": str(pilot.version + 1),
            "to": "piloting",
            "step": "approve",
        },
        follow_redirects=True,
    )
    assert "Người khác vừa thay đổi nội dung này" in response.get_data(as_text=True)
    assert _stage(pilot) == "proposed"


def test_the_owner_withdraws_a_submission_on_record(org, make, login):
    pilot = make.pilot("proposed", owner=org.lead, unit_=org.department)
    client = login(org.lead)
    page = client.get(f"/pilots/{pilot.id}").get_data(as_text=True)
    assert "Rút lại hồ sơ trình" in page and 'id="decision-send_back"' not in page
    response = _post(client, pilot, to="draft", step="withdraw", comment="Bổ sung chỉ tiêu.")
    assert response.status_code == 302
    assert _stage(pilot) == "draft"
    entry = db.session.scalars(
        select(HistoryEntry).where(HistoryEntry.action == "transition")
    ).one()
    assert entry.after["step"] == "withdraw" and entry.comment == "Bổ sung chỉ tiêu."
    history = client.get(f"/pilots/{pilot.id}").get_data(as_text=True)
    assert "Rút lại hồ sơ trình: Đã đề xuất → Dự thảo" in history


def test_a_head_cannot_withdraw_for_the_owner(org, make, login):
    pilot = make.pilot("proposed", owner=org.lead, unit_=org.department)
    response = _post(login(org.head), pilot, to="draft", step="withdraw")
    assert response.status_code == 403
    assert _stage(pilot) == "proposed" and not notified()


def test_each_decision_has_one_form_on_the_page(org, make, login):
    """With a rollout memo issued, approving the rollout is the memo's decision form only."""
    pilot = make.pilot("selected", owner=org.lead, unit_=org.department)
    page = login(org.head).get(f"/pilots/{pilot.id}").get_data(as_text=True)
    assert page.count('name="step" type="hidden" value="approve_rollout"') == 1
    assert 'id="decision-approve_rollout"' not in page
    assert f'action="/pilots/{pilot.id}/memos/decision"' in page
    closes = re.findall(r'name="to" type="hidden" value="closed"', page)
    assert len(closes) == 1


def test_without_a_memo_the_head_approves_in_the_decisions_card(org, make, login):
    pilot = make.pilot("proposed", owner=org.lead, unit_=org.department)
    page = login(org.head).get(f"/pilots/{pilot.id}").get_data(as_text=True)
    assert 'id="decision-approve"' in page and 'id="decide-memo"' not in page


def test_a_memo_decision_with_bad_conditions_reopens_it_with_what_was_typed(org, make, login):
    pilot = make.pilot("selected", owner=org.lead, unit_=org.department)
    memo = db.session.scalars(select(Memo).where(Memo.pilot_id == pilot.id)).one()
    client = login(org.head)
    response = client.post(
        f"/pilots/{pilot.id}/memos/decision",
        data={
            "csrf_token": client.csrf,
            "version": str(pilot.version),
            "memo_id": str(memo.id),
            "decision_number": "15/QĐ-UBND",
            "decision_date": make.days(0).strftime("%d/%m/%Y"),
            "conditions": "Tập huấn cán bộ | khong-co@bacninh.gov.vn | 31/03/2027",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert '<details id="decide-memo" open>' in page
    assert "khong-co@bacninh.gov.vn" in page and 'value="15/QĐ-UBND"' in page
    assert _stage(pilot) == "selected"


def test_a_memo_decision_approves_the_rollout_and_tells_those_named_in_its_conditions(
    org, make, login
):
    pilot = make.pilot("selected", owner=org.lead, unit_=org.department)
    memo = db.session.scalars(select(Memo).where(Memo.pilot_id == pilot.id)).one()
    client = login(org.head)
    response = client.post(
        f"/pilots/{pilot.id}/memos/decision",
        data={
            "csrf_token": client.csrf,
            "version": str(pilot.version),
            "memo_id": str(memo.id),
            "decision_number": "15/QĐ-UBND",
            "decision_date": make.days(0).strftime("%d/%m/%Y"),
            "conditions": f"Tập huấn cán bộ các xã | {org.staff.email} | "
            f"{make.days(20).strftime('%d/%m/%Y')}",
            "comment": "Đồng ý nhân rộng.",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert _stage(pilot) == "rolling_out"
    assert list(notified("condition_task")) == [org.staff.id]
    assert org.lead.id in notified("rollout_approved")
    assert db.session.scalar(select(RolloutTarget.id).where(RolloutTarget.pilot_id == pilot.id))
