"""The lessons library: success formulas and lessons learned across selected and closed pilots."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from pilotmgr.core.pagination import Page, paginate
from pilotmgr.core.text import fold
from pilotmgr.pilots.models import Challenge, Pilot
from pilotmgr.pilots.stages import Stage, from_on
from pilotmgr.units.models import subtree_ids

LIBRARY_STAGES = tuple(from_on(Stage.selected))


def library(page: int, per_page: int, q: str = "", programme=None, unit=None, stage=None) -> Page:
    """Open to every signed-in user: lessons are meant to travel between units."""
    query = (
        select(Pilot)
        .where(
            Pilot.stage.in_(LIBRARY_STAGES),
            or_(Pilot.success_formula != "", Pilot.lessons != ""),
        )
        .options(selectinload(Pilot.unit), selectinload(Pilot.challenge))
        .order_by(Pilot.stage_changed_at.desc(), Pilot.id.desc())
    )
    if stage in LIBRARY_STAGES:
        query = query.where(Pilot.stage == stage)
    if unit is not None:
        query = query.where(Pilot.unit_id.in_(subtree_ids(unit)))
    if programme is not None:
        query = query.where(
            Pilot.challenge_id.in_(
                select(Challenge.id).where(Challenge.programme_id == programme.id)
            )
        )
    for word in fold(q or "").split():
        query = query.where(Pilot.search_text.contains(word, autoescape=True))
    return paginate(query, page, per_page)
