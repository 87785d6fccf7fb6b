"""The selection on the comparison page: one form, a confirmation that says what will happen."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from pilotmgr.extensions import db
from pilotmgr.pilots.models import Pilot
from pilotmgr.results.models import CriterionWeights, Evaluation, Selection


@pytest.fixture
def contest(bn, make):
    challenge = make.challenge("Thanh toán không dùng tiền mặt tại bệnh viện")
    pilots = []
    for n, score in enumerate((3, 5, 4)):
        p = make.pilot(
            "evaluating",
            owner=bn.lead,
            unit_=bn.department,
            title=f"QR viện phí — Bệnh viện {n}",
            challenge_id=challenge.id,
        )
        db.session.execute(
            update(Evaluation).where(Evaluation.pilot_id == p.id).values(effectiveness=score)
        )
        pilots.append(p)
    db.session.commit()
    return challenge, pilots


def _decision(pilots, **change) -> dict:
    best = pilots[1]
    return {
        "selected": [str(best.id)],
        f"formula_{best.id}": "QR tại quầy + hóa đơn điện tử",
        "others": "not_selected",
        "rationale": "Hiệu quả cao nhất",
        "lessons": "Tập huấn thu ngân trước khi mở rộng",
    } | change


def _stages() -> dict:
    db.session.expire_all()
    return {
        p.title: (p.stage, p.outcome)
        for p in db.session.scalars(select(Pilot).where(Pilot.title.startswith("QR viện phí —")))
    }


def test_deciding_first_shows_what_will_happen_and_changes_nothing(bn, contest, login):
    challenge, pilots = contest
    before = _stages()
    client = login(bn.head)
    response = client.post(
        f"/challenges/{challenge.id}/selection",
        data=_decision(pilots) | {"csrf_token": client.csrf},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _stages() == before and db.session.scalar(select(Selection)) is None
    consequences = re.search(r'<ul class="mb-3" id="consequences">(.*?)</ul>', html, re.S)
    items = re.findall(r"<li>(.*?)</li>", consequences.group(1), re.S)
    assert items[0].startswith("“QR viện phí — Bệnh viện 1” được lựa chọn là mô hình thành công")
    assert "QR tại quầy + hóa đơn điện tử" in items[0]
    closing = [i for i in items if "đóng lại vì không được lựa chọn" in i]
    assert len(closing) == 2 and "Bệnh viện 0" in closing[0] and "Bệnh viện 2" in closing[1]
    # The confirmation sends the same decision back, confirmed.
    assert f'name="selected" value="{pilots[1].id}"' in html
    assert 'name="confirmed" value="1"' in html


def test_the_confirmed_decision_moves_every_candidate(bn, contest, login):
    challenge, pilots = contest
    client = login(bn.head)
    response = client.post(
        f"/challenges/{challenge.id}/selection",
        data=_decision(pilots) | {"confirmed": "1", "csrf_token": client.csrf},
    )
    assert response.status_code == 302
    assert _stages() == {
        "QR viện phí — Bệnh viện 0": ("closed", "not_selected"),
        "QR viện phí — Bệnh viện 1": ("selected", None),
        "QR viện phí — Bệnh viện 2": ("closed", "not_selected"),
    }
    assert db.session.get(Pilot, pilots[1].id).success_formula == "QR tại quầy + hóa đơn điện tử"


def test_extending_the_others_says_until_when(bn, contest, login, make):
    challenge, pilots = contest
    client = login(bn.head)
    new_end = make.days(90).strftime("%d/%m/%Y")
    response = client.post(
        f"/challenges/{challenge.id}/selection",
        data=_decision(pilots, others="extend", new_end_date=new_end, lessons="")
        | {"csrf_token": client.csrf},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count(f"tiếp tục thí điểm đến ngày {new_end}") == 2


@pytest.mark.parametrize(
    "change, field_id, message",
    [
        ({"rationale": ""}, "sel-rationale", "Trường này là bắt buộc."),
        ({"others": "extend", "lessons": ""}, "sel-new_end_date", "Ngày kết thúc mới"),
        ({"lessons": ""}, "sel-lessons", "bài học kinh nghiệm"),
        ({"new_end_date": "30/02/2027", "others": "extend"}, "sel-new_end_date", "31/12/2026"),
    ],
)
def test_an_incomplete_decision_comes_back_with_what_was_typed(
    bn, contest, login, change, field_id, message
):
    challenge, pilots = contest
    client = login(bn.head)
    response = client.post(
        f"/challenges/{challenge.id}/selection",
        data=_decision(pilots, **change) | {"csrf_token": client.csrf},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    error = re.search(rf'id="{field_id}-error">([^<]*)<', html)
    assert error and message in error.group(1)
    assert f'id="sel-{pilots[1].id}" checked' in html
    assert 'value="QR tại quầy + hóa đơn điện tử"' in html
    assert _stages()["QR viện phí — Bệnh viện 1"] == ("evaluating", None)


def test_a_ticked_pilot_without_formula_is_marked_beside_its_formula(bn, contest, login):
    challenge, pilots = contest
    client = login(bn.head)
    data = _decision(pilots, selected=[str(pilots[1].id), str(pilots[2].id)])
    response = client.post(
        f"/challenges/{challenge.id}/selection", data=data | {"csrf_token": client.csrf}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="sel-formula_{pilots[2].id}-error"' in html
    assert f'id="sel-formula_{pilots[1].id}-error"' not in html
    nothing = client.post(
        f"/challenges/{challenge.id}/selection",
        data=_decision(pilots, selected=[]) | {"csrf_token": client.csrf},
    )
    assert nothing.status_code == 422
    assert 'id="sel-selected-error">Chọn ít nhất một thí điểm.' in nothing.get_data(as_text=True)


def test_a_guard_that_fails_is_listed_on_the_form_not_lost(bn, contest, login):
    challenge, pilots = contest
    db.session.execute(Evaluation.__table__.delete().where(Evaluation.pilot_id == pilots[1].id))
    db.session.commit()
    client = login(bn.head)
    response = client.post(
        f"/challenges/{challenge.id}/selection",
        data=_decision(pilots) | {"confirmed": "1", "csrf_token": client.csrf},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Chưa thể thực hiện. Còn thiếu:" in html and "QR viện phí — Bệnh viện 1:" in html
    assert "Hiệu quả cao nhất" in html  # the rationale is still there
    assert db.session.scalar(select(Selection)) is None


def test_leads_and_viewers_see_no_selection_form_and_may_not_post_one(bn, contest, login):
    challenge, pilots = contest
    for who in (bn.lead, bn.viewer):
        client = login(who)
        page = client.get(f"/challenges/{challenge.id}/comparison").get_data(as_text=True)
        assert 'id="selection-form"' not in page
        refused = client.post(
            f"/challenges/{challenge.id}/selection",
            data=_decision(pilots) | {"confirmed": "1", "csrf_token": client.csrf},
        )
        assert refused.status_code == 403
    assert _stages()["QR viện phí — Bệnh viện 1"] == ("evaluating", None)


def test_weights_are_written_the_vietnamese_way_and_a_wrong_one_stays_typed(
    bn, contest, login, make
):
    challenge, _pilots = contest
    admin = login(make.user("admin", bn.province))
    url = f"/programmes/{challenge.programme_id}/weights?challenge={challenge.id}"
    weights = {
        "feasibility": "1,5",
        "effectiveness": "2",
        "needs_fit": "1",
        "cost": "0,5",
        "scalability": "1",
    }
    bad = admin.post(url, data=weights | {"cost": "nửa", "csrf_token": admin.csrf})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert 'id="w-cost-error">Hãy nhập số theo dạng 1.200.000,5.' in html
    assert 'value="nửa"' in html and 'value="1,5"' in html
    assert db.session.get(CriterionWeights, challenge.programme_id) is None
    done = admin.post(url, data=weights | {"csrf_token": admin.csrf})
    assert done.status_code == 302
    saved = db.session.get(CriterionWeights, challenge.programme_id)
    assert (saved.feasibility, saved.cost) == (Decimal("1.5"), Decimal("0.5"))
    page = admin.get(f"/challenges/{challenge.id}/comparison").get_data(as_text=True)
    assert "Tính khả thi 1,5" in page


def test_the_lessons_library_filters_by_a_get_form(bn, contest, login):
    challenge, pilots = contest
    for p, text in zip(pilots, ("Công thức A", "Công thức B", ""), strict=True):
        p.stage, p.success_formula = ("selected" if text else "closed"), text
    pilots[2].outcome, pilots[2].lessons = "not_selected", "Bài học C"
    db.session.commit()
    client = login(bn.staff)
    everything = client.get("/lessons").get_data(as_text=True)
    assert all(t in everything for t in ("Công thức A", "Công thức B", "Bài học C"))
    closed = client.get("/lessons?stage=closed&q=&page=x").get_data(as_text=True)
    assert "Bài học C" in closed and "Công thức A" not in closed
    assert '<option selected value="closed">' in closed or 'value="closed" selected' in closed
    assert "csrf_token" not in closed.split('role="search"')[1].split("</form>")[0]


def test_a_head_whose_authority_stops_short_is_told_instead_of_given_a_form(
    bn, contest, login, make
):
    challenge, _pilots = contest
    hanoi = make.unit("HNI", "Thành phố Hà Nội")
    make.pilot("evaluating", unit_=hanoi, title="QR học phí Hà Nội", challenge_id=challenge.id)
    page = login(bn.head).get(f"/challenges/{challenge.id}/comparison").get_data(as_text=True)
    assert 'id="selection-form"' not in page
    assert "Số thí điểm ngoài thẩm quyền của đồng chí: 1" in page
    assert "QR học phí Hà Nội" not in page  # nor is the pilot it cannot see named
