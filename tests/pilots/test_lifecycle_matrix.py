"""Every transition × every kind of actor, generated from the lifecycle table."""

import pytest

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

CASES = [
    (t.sources and sorted(t.sources), t, actor, outcome)
    for t in lifecycle.TRANSITIONS
    for actor in ACTORS
    for outcome in (sorted(t.outcomes) or [None])
]


def _params():
    for sources, t, actor, outcome in CASES:
        for source in sources:
            allowed = bool(HOLDS.get(actor, set()) & t.actors)
            if t.target == "closed":
                # Any transition to closed that this actor holds and that permits the outcome.
                allowed = any(
                    HOLDS.get(actor, set()) & other.actors and outcome in other.outcomes
                    for other in lifecycle.transitions_from(source, "closed")
                )
            yield pytest.param(
                source,
                t.target,
                actor,
                outcome,
                allowed,
                id=f"{source}->{t.target}:{outcome or '-'}:{actor}",
            )


def _unique(params):
    seen = set()
    for p in params:
        if p.id not in seen:
            seen.add(p.id)
            yield p


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
    ("source", "target", "actor", "outcome", "allowed"), list(_unique(_params()))
)
def test_transition_is_allowed_exactly_for_the_roles_in_the_table(
    world, make, source, target, actor, outcome, allowed
):
    pilot = make.pilot(stage=source, owner=world["owner"], unit_=world["dept"])
    data = _request(target, outcome, make.days(0))
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
