"""Who is told what about values, evaluators and the selection: once each, never the actor."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import select, update

from pilotmgr.core.errors import GuardFailed
from pilotmgr.extensions import db
from pilotmgr.notices.events import compose
from pilotmgr.reminders.models import Notification, OutboxMail
from pilotmgr.results import evaluations, selection, service
from pilotmgr.results.models import Evaluation, Measurement


def _notes(kind: str) -> dict[int, Notification]:
    return {
        n.user_id: n
        for n in db.session.scalars(select(Notification).where(Notification.kind == kind))
    }


def _record(bn, who, value="61.5"):
    found = service.record_measurement(
        who,
        bn.kpi,
        bn.pilot,
        {
            "value": Decimal(value),
            "measured_on": bn.pilot.start_date + timedelta(days=3),
        },
    )
    db.session.commit()
    return found


def test_a_submitted_value_reaches_the_owner_and_the_heads_above_not_its_submitter(bn, make):
    other_province_head = make.user("head", make.unit("HNI", "Thành phố Hà Nội"))
    _record(bn, bn.staff)
    notes = _notes("value_submitted")
    assert set(notes) == {bn.lead.id, bn.head.id}
    assert other_province_head.id not in notes
    with force_locale("vi"):
        title, body = compose("value_submitted", notes[bn.lead.id].params)
    assert title == f"Giá trị chờ duyệt: {bn.kpi.name}"
    assert "61,5" in body and "Ngô Văn Tùng" in body
    assert notes[bn.lead.id].url == f"/pilots/{bn.pilot.id}#kpi-{bn.kpi.id}"


def test_the_owners_own_value_goes_to_the_heads_only(bn):
    _record(bn, bn.lead)
    assert set(_notes("value_submitted")) == {bn.head.id}


def test_only_the_nearest_heads_are_told_not_every_head_up_to_the_ministry(bn, make):
    ministry = make.unit("BTC", "Bộ Tài chính")
    bn.province.parent_id, bn.province.path = ministry.id, f"{ministry.path}{bn.province.id}/"
    bn.department.path = f"{bn.province.path}{bn.department.id}/"
    db.session.commit()
    minister = make.user("head", ministry)
    director = make.user("head", bn.department)
    _record(bn, bn.lead)
    assert set(_notes("value_submitted")) == {director.id}
    # The ministry's head may still review it.
    assert service.can_review(minister, bn.pilot, db.session.scalar(select(Measurement)))


def test_a_rejected_value_tells_its_submitter_why_and_by_mail_if_they_want_it(bn):
    bn.staff.email_mode = "single"
    db.session.commit()
    value = _record(bn, bn.staff)
    service.review_measurement(
        bn.lead, value, bn.kpi, bn.pilot, {"decision": "reject", "comment": "Thiếu biên bản"}
    )
    db.session.commit()
    notes = _notes("value_rejected")
    assert set(notes) == {bn.staff.id}
    with force_locale("vi"):
        _title, body = compose("value_rejected", notes[bn.staff.id].params)
    assert "“Thiếu biên bản”" in body and "61,5" in body
    mail = db.session.scalar(select(OutboxMail).where(OutboxMail.user_id == bn.staff.id))
    assert mail is not None and "Thiếu biên bản" in mail.text_body


def test_an_approved_value_tells_nobody(bn):
    value = _record(bn, bn.staff)
    service.review_measurement(bn.lead, value, bn.kpi, bn.pilot, {"decision": "approve"})
    db.session.commit()
    assert _notes("value_rejected") == {}


def test_a_named_evaluator_is_asked_once(bn, make):
    pilot = make.pilot("evaluating", owner=bn.lead, unit_=bn.department)
    evaluations.name_evaluator(bn.head, pilot, {"evaluator": bn.staff.email})
    evaluations.name_evaluator(bn.head, pilot, {"evaluator": bn.staff.email})
    db.session.commit()
    notes = list(
        db.session.scalars(select(Notification).where(Notification.kind == "evaluator_named"))
    )
    assert [n.user_id for n in notes] == [bn.staff.id]
    assert notes[0].url == f"/pilots/{pilot.id}#evaluations"


def _contest(bn, make, owners):
    challenge = make.challenge("Thanh toán không dùng tiền mặt tại bệnh viện")
    pilots = []
    for n, owner in enumerate(owners):
        p = make.pilot(
            "evaluating",
            owner=owner,
            unit_=bn.department,
            title=f"Bệnh viện {n}",
            challenge_id=challenge.id,
        )
        db.session.execute(
            update(Evaluation).where(Evaluation.pilot_id == p.id).values(effectiveness=5 - n)
        )
        pilots.append(p)
    db.session.commit()
    return challenge, pilots


def test_the_selection_tells_each_owner_what_became_of_each_of_their_pilots(bn, make):
    # One lead owns two of the three candidates: each pilot's news is its own notification.
    other_lead = make.user("lead", bn.department)
    challenge, pilots = _contest(bn, make, [bn.lead, bn.lead, other_lead])
    selection.select_pilots(
        bn.head,
        challenge,
        {
            "selected": [pilots[0].id],
            "others": "not_selected",
            "rationale": "Hiệu quả cao nhất",
            "success_formula": "QR tại quầy",
            "lessons": "Tập huấn thu ngân trước",
        },
    )
    db.session.commit()
    kinds = {
        (n.kind, n.user_id, n.pilot_id)
        for n in db.session.scalars(
            select(Notification).where(Notification.kind.in_(("selected", "not_selected")))
        )
    }
    assert kinds == {
        ("selected", bn.lead.id, pilots[0].id),
        ("not_selected", bn.lead.id, pilots[1].id),
        ("not_selected", other_lead.id, pilots[2].id),
    }
    note = db.session.scalar(
        select(Notification).where(
            Notification.kind == "not_selected", Notification.user_id == other_lead.id
        )
    )
    with force_locale("vi"):
        _title, body = compose(note.kind, note.params)
    assert "Thanh toán không dùng tiền mặt tại bệnh viện" in body
    assert "Hiệu quả cao nhất" in body


def test_pilots_that_continue_are_told_until_when(bn, make):
    challenge, pilots = _contest(bn, make, [bn.lead, make.user("lead", bn.department)])
    new_end = make.days(90)
    selection.select_pilots(
        bn.head,
        challenge,
        {
            "selected": [pilots[0].id],
            "others": "extend",
            "new_end_date": new_end.isoformat(),
            "rationale": "Cho thêm thời gian",
            "success_formula": "QR tại quầy",
        },
    )
    db.session.commit()
    note = db.session.scalar(select(Notification).where(Notification.kind == "extended"))
    assert note.pilot_id == pilots[1].id
    with force_locale("vi"):
        _title, body = compose(note.kind, note.params)
    assert new_end.strftime("%d/%m/%Y") in body


def test_a_refused_selection_tells_nobody(bn, make):
    challenge, pilots = _contest(bn, make, [bn.lead, bn.lead])
    # The pilot to select lost its evaluation: its guard fails, nothing moves.
    db.session.execute(Evaluation.__table__.delete().where(Evaluation.pilot_id == pilots[0].id))
    db.session.commit()
    with pytest.raises(GuardFailed):
        selection.select_pilots(
            bn.head,
            challenge,
            {
                "selected": [pilots[0].id],
                "others": "not_selected",
                "rationale": "x",
                "success_formula": "y",
                "lessons": "z",
            },
        )
    db.session.rollback()
    assert db.session.scalar(select(Notification)) is None
