"""The memos block of the pilot page: issuing through its form, refusals shown beside it."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from pilotmgr.extensions import db
from pilotmgr.memos.models import Memo
from pilotmgr.rollout.models import RolloutTarget


def test_the_issue_button_says_it_is_busy_and_kinds_that_cannot_be_issued_are_disabled(
    org, make, login
):
    pilot = make.pilot("piloting", owner=org.lead, unit_=org.department)
    page = login(org.lead).get(f"/pilots/{pilot.id}").get_data(as_text=True)
    assert 'data-busy="Đang ban hành tờ trình…"' in page
    assert '<option disabled value="rollout">' in page
    assert '<label class="form-label" for="memo-kind">' in page


def test_a_memo_that_cannot_be_issued_yet_says_what_is_missing_beside_the_form(org, make, login):
    pilot = make.pilot("selected", owner=org.lead, unit_=org.department)
    db.session.execute(delete(RolloutTarget).where(RolloutTarget.pilot_id == pilot.id))
    db.session.commit()
    before = db.session.scalar(select(func.count()).select_from(Memo))
    client = login(org.head)
    response = client.post(
        f"/pilots/{pilot.id}/memos",
        data={"csrf_token": client.csrf, "kind": "rollout", "lang": "vi"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    issue = page[page.index('id="issue-memo"') :]
    assert "Còn thiếu:" in issue[: issue.index("</form>")]
    assert "Ít nhất một đơn vị nhân rộng" in issue[: issue.index("</form>")]
    assert db.session.scalar(select(func.count()).select_from(Memo)) == before


def test_an_unknown_kind_is_refused_beside_the_field(org, make, login):
    pilot = make.pilot("piloting", owner=org.lead, unit_=org.department)
    client = login(org.lead)
    response = client.post(
        f"/pilots/{pilot.id}/memos", data={"csrf_token": client.csrf, "kind": "", "lang": "vi"}
    )
    assert response.status_code == 422
    assert 'id="memo-kind-error">Trường này là bắt buộc.' in response.get_data(as_text=True)
