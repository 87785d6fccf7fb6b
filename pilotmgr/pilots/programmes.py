"""Programmes and the challenges (problems) their pilots attack."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from pilotmgr.core import audit
from pilotmgr.core import validate as v
from pilotmgr.core.errors import NotFound
from pilotmgr.core.pagination import Page, paginate
from pilotmgr.core.permissions import can_manage_programmes, require
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Challenge, Programme


def _find_programme(value: str) -> Programme | None:
    return db.session.get(Programme, n) if (n := v.row_id(value)) else None


def create_programme(actor, data: Mapping) -> Programme:
    require(can_manage_programmes(actor), str(_l("Only heads and administrators do this.")))
    values = v.parse(data, {"name": v.text(255, required=True), "description": v.text(10_000)})
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
    values = v.parse(
        data,
        {
            "programme_id": v.lookup(_find_programme, _l("No such programme."), required=True),
            "title": v.text(255, required=True),
            "problem": v.text(10_000),
        },
    )
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


def list_programmes(page: int, per_page: int) -> Page:
    return paginate(select(Programme).order_by(Programme.id), page, per_page)


def list_challenges(page: int, per_page: int, programme_id=None) -> Page:
    query = select(Challenge).order_by(Challenge.id)
    if programme_id not in (None, ""):
        if v.row_id(programme_id) is None:
            return Page([], 0, page, per_page)
        query = query.where(Challenge.programme_id == int(programme_id))
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
