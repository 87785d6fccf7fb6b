"""Each lifecycle step tells the people it concerns, once, with the comment; never the actor."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from pilotmgr.extensions import db
from pilotmgr.notices.events import compose
from pilotmgr.pilots import lifecycle
from pilotmgr.pilots.effects import Announce
from pilotmgr.pilots.transitions import transition
from pilotmgr.reminders.models import OutboxMail
from pilotmgr.rollout.models import RolloutTarget
from tests.pilots.conftest import notified

COMMENT = "Ý kiến chỉ đạo của lãnh đạo tỉnh."


def _move(actor, pilot, to, **extra):
    transition(actor, pilot, {"to": to, "comment": COMMENT, **extra})
    db.session.commit()


def test_a_submission_reaches_every_head_above_the_unit_and_no_one_else(org, make):
    pilot = make.pilot("draft", owner=org.lead, unit_=org.department)
    _move(org.lead, pilot, "proposed")
    got = notified("submitted")
    assert set(got) == {org.head.id, org.head_department.id}
    title, body = compose("submitted", got[org.head.id][0].params)
    assert title == f"Chờ đồng chí quyết định: {pilot.title}"
    assert "Cao Thị Hạnh" in body and COMMENT in body


@pytest.mark.parametrize(
    ("source", "to", "kind", "extra"),
    [
        ("proposed", "draft", "sent_back", {}),
        ("proposed", "piloting", "approved", {}),
        ("evaluating", "selected", "selected", {}),
        ("rolling_out", "scaled", "scaled", {}),
        ("piloting", "closed", "closed", {"outcome": "stopped", "lessons": "Bài học"}),
    ],
)
def test_a_heads_decision_reaches_the_owner_with_the_comment(org, make, source, to, kind, extra):
    pilot = make.pilot(source, owner=org.lead, unit_=org.department)
    if to == "scaled":
        extra = {"regulation": {"number": "12/QĐ", "date": "2027-01-05", "issuer": "UBND tỉnh"}}
    _move(org.head, pilot, to, **extra)
    got = notified(kind)
    assert list(got) == [org.lead.id]
    note = got[org.lead.id][0]
    assert note.url == f"/pilots/{pilot.id}" and note.actor_id == org.head.id
    _title, body = compose(kind, note.params)
    assert COMMENT in body and "Phạm Đức Long" in body


def test_closing_says_why_in_words(org, make):
    pilot = make.pilot("proposed", owner=org.lead, unit_=org.department)
    _move(org.head, pilot, "closed", outcome="rejected")
    _title, body = compose("closed", notified("closed")[org.lead.id][0].params)
    assert "(bị từ chối)" in body


def test_an_extension_tells_the_owner_the_new_end_date(org, make):
    pilot = make.pilot("evaluating", owner=org.lead, unit_=org.department)
    new_end = make.days(45)
    _move(org.head, pilot, "piloting", new_end_date=new_end.isoformat())
    _title, body = compose("extended", notified("extended")[org.lead.id][0].params)
    assert new_end.strftime("%d/%m/%Y") in body


def test_an_approved_rollout_reaches_the_owner_and_those_answerable_in_open_waves(org, make):
    pilot = make.pilot("selected", owner=org.lead, unit_=org.department)
    later = make.user("head", make.unit("BNH-X2", "Xã Gia Bình", org.province))
    for unit, person, wave in (
        (make.unit("BNH-X1", "Xã Đông Tiến", org.province), org.staff, 1),
        (later.unit, later, 2),
    ):
        db.session.add(
            RolloutTarget(pilot_id=pilot.id, unit_id=unit.id, responsible_id=person.id, wave=wave)
        )
    db.session.commit()
    _move(
        org.head,
        pilot,
        "rolling_out",
        decision_number="15/QĐ-UBND",
        decision_date=make.days(0).isoformat(),
    )
    got = notified("rollout_approved")
    # The factory's own target answers to the owner: one notification for both reasons.
    assert set(got) == {org.lead.id, org.staff.id}
    assert all(len(notes) == 1 for notes in got.values())
    _title, body = compose("rollout_approved", got[org.staff.id][0].params)
    assert "15/QĐ-UBND" in body


def test_a_withdrawal_tells_the_heads_that_nothing_waits_for_them(org, make):
    pilot = make.pilot("proposed", owner=org.lead, unit_=org.department)
    transition(org.lead, pilot, {"to": "draft", "step": "withdraw"})
    db.session.commit()
    assert pilot.stage == "draft"
    assert set(notified("withdrawn")) == {org.head.id, org.head_department.id}
    assert not notified("sent_back")


def test_the_actor_is_never_told_of_their_own_step(org, make):
    pilot = make.pilot("draft", owner=org.head_department, unit_=org.department)
    _move(org.head_department, pilot, "proposed")
    assert set(notified("submitted")) == {org.head.id}


def test_people_who_want_each_mail_get_one_in_their_language(org, make):
    org.lead.email_mode, org.lead.lang = "single", "en"
    org.head.email_mode = "digest"
    db.session.commit()
    pilot = make.pilot("proposed", owner=org.lead, unit_=org.department)
    _move(org.head, pilot, "draft")
    mail = db.session.scalars(select(OutboxMail)).one()
    assert mail.to_addr == org.lead.email
    assert mail.subject == f"Sent back for changes: {pilot.title}"
    assert COMMENT in mail.text_body


def test_a_caller_that_announces_itself_can_take_a_step_quietly(org, make):
    pilot = make.pilot("evaluating", owner=org.lead, unit_=org.department)
    transition(org.head, pilot, {"to": "selected", "comment": COMMENT}, announce=False)
    db.session.commit()
    assert pilot.stage == "selected" and not notified()


def test_the_lifecycle_table_shows_what_each_step_announces():
    announced = {
        t.name: [e.kind for e in t.effects if isinstance(e, Announce)]
        for t in lifecycle.TRANSITIONS
    }
    assert announced == {
        "submit": ["submitted"],
        "send_back": ["sent_back"],
        "withdraw": ["withdrawn"],
        "approve": ["approved"],
        "start_evaluation": [],
        "extend": ["extended"],
        "select": ["selected"],
        "approve_rollout": ["rollout_approved"],
        "scale": ["scaled"],
        "close": ["closed"],
        "stop": [],
    }


def test_a_step_that_fails_its_guard_tells_no_one(org, make):
    from pilotmgr.core.errors import GuardFailed

    pilot = make.pilot("proposed", owner=org.lead, unit_=org.department)
    with pytest.raises(GuardFailed):
        transition(org.head, pilot, {"to": "draft", "comment": " "})
    db.session.rollback()
    assert not notified()


def test_extending_needs_a_date_after_today(org, make):
    from pilotmgr.core.errors import GuardFailed

    pilot = make.pilot("evaluating", owner=org.lead, unit_=org.department)
    with pytest.raises(GuardFailed) as refused:
        transition(
            org.head,
            pilot,
            {"to": "piloting", "new_end_date": (make.days(0) - timedelta(days=1)).isoformat()},
        )
    assert [m.field for m in refused.value.missing] == ["new_end_date"]
