"""Who is told what in a rollout: the person who now answers for a target, the people of a wave
that opens; each once, in their language, by mail if they want one."""

from __future__ import annotations

from sqlalchemy import select

from pilotmgr.extensions import db
from pilotmgr.notices.events import compose
from pilotmgr.reminders.models import Notification, OutboxMail
from pilotmgr.rollout import service
from tests.rollout.conftest import add_target


def _notes(kind):
    return db.session.scalars(
        select(Notification).where(Notification.kind == kind).order_by(Notification.id)
    ).all()


def test_a_new_responsible_person_is_told_and_the_history_names_them(org, api, make):
    target = add_target(org.pilot, org.bn, org.head_bn, due=make.days(20))
    response = api(org.lead).patch(
        f"/rollout-targets/{target.id}",
        json={"responsible": org.staff_bn.email, "version": target.version},
    )
    assert response.status_code == 200, response.get_json()
    (note,) = _notes("target_assigned")
    assert note.user_id == org.staff_bn.id and note.url == f"/rollout-targets/{target.id}"
    title, body = compose(note.kind, note.params)
    assert title == "Đồng chí chịu trách nhiệm phổ cập tại Tỉnh Bắc Ninh"
    assert f"hạn {make.days(20).strftime('%d/%m/%Y')}" in body
    mail = db.session.scalar(select(OutboxMail).where(OutboxMail.user_id == org.staff_bn.id))
    assert mail is not None and "Tỉnh Bắc Ninh" in mail.subject
    history = api(org.lead).get(f"/pilots/{org.pilot.id}/history").get_json()["items"]
    change = next(e for e in history if e["object_type"] == "rollouttarget")
    assert change["after"] == {"responsible": org.staff_bn.name}


def test_saving_the_same_responsible_person_tells_nobody(org, api, make):
    target = add_target(org.pilot, org.bn, org.head_bn, due=make.days(20))
    api(org.lead).patch(
        f"/rollout-targets/{target.id}",
        json={"responsible": org.head_bn.email, "version": target.version},
    )
    assert _notes("target_assigned") == []


def test_opening_a_wave_tells_the_people_of_its_targets_once(org, make):
    org.pilot.stage = "rolling_out"
    db.session.commit()
    add_target(org.pilot, org.bn, org.head_bn, due=make.days(5))
    add_target(org.pilot, org.hn, org.staff_hn, due=make.days(50), wave=2)
    add_target(org.pilot, org.hcm, org.staff_hn, due=make.days(40), wave=2)
    add_target(org.pilot, org.bn_dept, org.staff_bn, due=make.days(60), wave=3)
    assert service.open_next_wave(org.head, org.pilot) == 2
    db.session.commit()
    (note,) = _notes("wave_opened")
    assert note.user_id == org.staff_hn.id
    assert set(note.params["unit"].split(", ")) == {"Thành phố Hà Nội", "Thành phố Hồ Chí Minh"}
    assert note.params["due"] == make.days(40).isoformat()  # the earlier of the two
    title, _body = compose(note.kind, note.params)
    assert title.startswith("Mở đợt phổ cập 2: ")


def test_a_wave_opened_before_the_rollout_is_approved_tells_nobody_yet(org, make):
    add_target(org.pilot, org.hn, org.staff_hn, due=make.days(50), wave=2)
    service.open_next_wave(org.head, org.pilot)
    db.session.commit()
    assert _notes("wave_opened") == []
