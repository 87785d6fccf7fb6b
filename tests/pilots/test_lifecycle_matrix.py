"""Every transition × every kind of actor, generated from the lifecycle table."""

import pytest
from sqlalchemy import select

from pilotmgr.core.audit import HistoryEntry
from pilotmgr.core.errors import NotFound, PermissionDenied
from pilotmgr.extensions import db
from pilotmgr.pilots import lifecycle
from pilotmgr.pilots.transitions import transition

ACTORS = (
    "owner",
    "head_of_unit",
    "head_above",
    "admin",
    "head_elsewhere",
    "staff_of_unit",
    "viewer_of_unit",
    "other_lead",
)
#: Which lifecycle roles each kind of actor holds on the pilot.
HOLDS = {"owner": {"owner"}, "head_of_unit": {"head"}, "head_above": {"head"}, "admin": {"head"}}


def _params():
    """Every step × every source stage × every outcome it allows × every kind of actor."""
    for t in lifecycle.TRANSITIONS:
        for source in sorted(t.sources):
            for outcome in sorted(t.outcomes) or [None]:
                for actor in ACTORS:
                    yield pytest.param(
                        t.name,
                        source,
                        t.target,
                        actor,
                        outcome,
                        bool(HOLDS.get(actor, set()) & t.actors),
                        id=f"{t.name}:{source}->{t.target}:{outcome or '-'}:{actor}",
                    )


@pytest.fixture
def world(make):
    ministry = make.unit("BO", "Bộ Tài chính")
    dept = make.unit("BO-CNTT", "Cục Tin học", parent=ministry)
    other = make.unit("TINH-BN", "UBND tỉnh Bắc Ninh")
    owner = make.user("lead", dept)
    return {
        "dept": dept,
        "owner": owner,
        "head_of_unit": make.user("head", dept),
        "head_above": make.user("head", ministry),
        "admin": make.user("admin", other),
        "head_elsewhere": make.user("head", other),
        "staff_of_unit": make.user("staff", dept),
        "viewer_of_unit": make.user("viewer", dept),
        "other_lead": make.user("lead", dept),
    }


def _request(target, outcome, today):
    from datetime import timedelta

    return {
        "to": target,
        "comment": "Ý kiến chỉ đạo",
        "outcome": outcome,
        "lessons": "Cần chuẩn hóa dữ liệu trước khi triển khai",
        "new_end_date": (today + timedelta(days=30)).isoformat(),
        "decision_number": "25/QĐ-UBND",
        "decision_date": today.isoformat(),
        "regulation": {
            "number": "12/2026/QĐ-UBND",
            "date": today.isoformat(),
            "issuer": "UBND tỉnh Bắc Ninh",
        },
    }


@pytest.mark.parametrize(
    ("step", "source", "target", "actor", "outcome", "allowed"), list(_params())
)
def test_transition_is_allowed_exactly_for_the_roles_in_the_table(
    world, make, step, source, target, actor, outcome, allowed
):
    pilot = make.pilot(stage=source, owner=world["owner"], unit_=world["dept"])
    data = _request(target, outcome, make.days(0)) | {"step": step}
    if allowed:
        transition(world[actor], pilot, data)
        db.session.commit()
        assert pilot.stage == target
    else:
        expected = NotFound if actor == "head_elsewhere" else PermissionDenied
        with pytest.raises(expected):
            transition(world[actor], pilot, data)
        db.session.rollback()
        assert db.session.get(type(pilot), pilot.id).stage == source


@pytest.mark.parametrize(
    ("actor", "step"),
    [("owner", "withdraw"), ("head_of_unit", "send_back"), ("admin", "send_back")],
)
def test_without_a_step_name_each_person_takes_their_own_step_back_to_draft(
    world, make, actor, step
):
    pilot = make.pilot(stage="proposed", owner=world["owner"], unit_=world["dept"])
    transition(world[actor], pilot, {"to": "draft", "comment": "Cần bổ sung"})
    db.session.commit()
    entry = db.session.scalars(
        select(HistoryEntry).where(HistoryEntry.action == "transition")
    ).one()
    assert (pilot.stage, entry.after["step"]) == ("draft", step)


def test_every_step_has_a_unique_name_and_every_form_a_step():
    from pilotmgr.pilots.forms import DECISION_FORMS

    names = [t.name for t in lifecycle.TRANSITIONS]
    assert len(names) == len(set(names))
    assert set(DECISION_FORMS) == set(names)


def test_the_finished_stages_declared_in_stages_are_those_no_step_leads_out_of():
    from pilotmgr.pilots import stages

    left_by_a_step = {source for t in lifecycle.TRANSITIONS for source in t.sources}
    assert frozenset(stages.Stage) - left_by_a_step == stages.FINISHED
    assert left_by_a_step == lifecycle.UNDER_WAY
    closing = {o for t in lifecycle.TRANSITIONS for o in t.outcomes}
    assert closing == set(stages.OUTCOMES) == set(stages.OUTCOME_LABELS)
