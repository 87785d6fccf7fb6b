"""Programmes and the challenges (problems) their pilots attack."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from pilotmgr.core import audit
from pilotmgr.core import validate as v
from pilotmgr.core.authority import require
from pilotmgr.core.errors import NotFound, check_version
from pilotmgr.core.pagination import paginate
from pilotmgr.core.query import Query
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Challenge, Programme
from pilotmgr.pilots.permissions import can_manage_programmes


def _find_programme(value: str) -> Programme | None:
    return db.session.get(Programme, n) if (n := v.row_id(value)) else None


class ProgrammeInput(v.Input):
    name = v.text(255, required=True)
    description = v.prose(10_000)


class ProgrammeChanges(ProgrammeInput):
    version = v.version()


class ChallengeInput(v.Input):
    programme_id = v.id_lookup(_find_programme, _l("No such programme."), required=True)
    title = v.text(255, required=True)
    problem = v.prose(10_000)


class ChallengeChanges(ChallengeInput):
    version = v.version()


class ChallengeQuery(Query):
    programme_id = v.integer(1, v.MAX_ROW_ID)


def create_programme(actor, data: Mapping) -> Programme:
    require(can_manage_programmes(actor), str(_l("Only heads and administrators do this.")))
    values = v.parse(data, ProgrammeInput)
    programme = Programme(
        name=values["name"],
        description=values["description"] or "",
        created_by_id=actor.id if actor else None,
    )
    db.session.add(programme)
    db.session.flush()
    audit.record(actor=actor, obj=programme, action="create", after={"name": programme.name})
    return programme


def create_challenge(actor, data: Mapping) -> Challenge:
    require(can_manage_programmes(actor), str(_l("Only heads and administrators do this.")))
    values = v.parse(data, ChallengeInput)
    challenge = Challenge(
        programme_id=values["programme_id"].id,
        title=values["title"],
        problem=values["problem"] or "",
    )
    db.session.add(challenge)
    db.session.flush()
    audit.record(
        actor=actor,
        obj=challenge,
        action="create",
        after={"programme_id": challenge.programme_id, "title": challenge.title},
    )
    return challenge


def update_programme(actor, programme: Programme, data: Mapping) -> Programme:
    """Rename a programme or rewrite its description; the change is on record."""
    require(can_manage_programmes(actor), str(_l("Only heads and administrators do this.")))
    values = v.parse(data, ProgrammeChanges, partial=True)
    check_version(programme, values["version"])
    before = audit.snapshot(programme, ("name", "description"))
    if "name" in values:
        programme.name = values["name"]
    if "description" in values:
        programme.description = values["description"] or ""
    audit.record_changes(
        actor=actor,
        obj=programme,
        before=before,
        after=audit.snapshot(programme, ("name", "description")),
        pilot_id=None,
        unit_code="",
    )
    return programme


def update_challenge(actor, challenge: Challenge, data: Mapping) -> Challenge:
    """Retitle a challenge, restate its problem or move it to another programme, on record."""
    require(can_manage_programmes(actor), str(_l("Only heads and administrators do this.")))
    values = v.parse(data, ChallengeChanges, partial=True)
    check_version(challenge, values["version"])
    fields = ("programme_id", "title", "problem")
    before = audit.snapshot(challenge, fields)
    if "programme_id" in values:
        challenge.programme_id = values["programme_id"].id
    if "title" in values:
        challenge.title = values["title"]
    if "problem" in values:
        challenge.problem = values["problem"] or ""
    audit.record_changes(
        actor=actor,
        obj=challenge,
        before=before,
        after=audit.snapshot(challenge, fields),
        pilot_id=None,
        unit_code="",
    )
    db.session.refresh(challenge, ["programme"])
    return challenge


def get_programme(programme_id) -> Programme:
    programme = _find_programme(programme_id) if programme_id is not None else None
    if programme is None:
        raise NotFound(str(_l("No such programme.")))
    return programme


def catalogue(user) -> list[tuple[Programme, list[tuple[Challenge, int]]]]:
    """Every programme with its challenges and how many of their pilots `user` may see."""
    from sqlalchemy import func

    from pilotmgr.pilots.models import Pilot
    from pilotmgr.pilots.permissions import visible_pilots_clause

    counts = select(Pilot.challenge_id, func.count()).group_by(Pilot.challenge_id)
    if (visible := visible_pilots_clause(user)) is not None:
        counts = counts.where(visible)
    pilots = dict(db.session.execute(counts).tuples().all())
    by_programme: dict[int, list] = {}
    for challenge in all_challenges():
        by_programme.setdefault(challenge.programme_id, []).append(
            (challenge, pilots.get(challenge.id, 0))
        )
    return [(p, by_programme.get(p.id, [])) for p in all_programmes()]


def list_programmes(page: int, per_page: int):
    return paginate(select(Programme).order_by(Programme.id), page, per_page)


def list_challenges(page: int, per_page: int, programme_id: int | None = None):
    query = select(Challenge).order_by(Challenge.id)
    if programme_id is not None:
        query = query.where(Challenge.programme_id == programme_id)
    return paginate(query, page, per_page)


def all_programmes() -> list[Programme]:
    return list(db.session.scalars(select(Programme).order_by(Programme.name)))


def all_challenges() -> list[Challenge]:
    return list(db.session.scalars(select(Challenge).order_by(Challenge.title)))


def get_challenge(challenge_id) -> Challenge:
    challenge = db.session.get(Challenge, n) if (n := v.row_id(challenge_id)) else None
    if challenge is None:
        raise NotFound(str(_l("No such challenge.")))
    return challenge
