from flask import request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from pilotmgr.api import body, created, page_json, page_params
from pilotmgr.api import user as api_user
from pilotmgr.core.pagination import paginate
from pilotmgr.core.routes import Routes
from pilotmgr.extensions import db
from pilotmgr.units import service
from pilotmgr.units.models import Unit

#: Attached to the API blueprint by the app factory.
routes = Routes()


def unit_json(unit: Unit, parent: Unit | None = None) -> dict:
    if parent is None and unit.parent_id:
        parent = unit.parent
    return {
        "id": unit.id,
        "code": unit.code,
        "name": unit.name,
        "parent": parent.code if parent else None,
        "kind": unit.kind,
        "active": unit.is_active,
        "version": unit.version,
    }


@routes.get("/units")
def list_units():
    page, per_page = page_params()
    query = (
        select(Unit).where(Unit.is_active).options(selectinload(Unit.parent)).order_by(Unit.path)
    )
    kind = request.args.get("kind")
    if kind is not None:
        query = query.where(Unit.kind == kind)
    return page_json(paginate(query, page, per_page), unit_json)


@routes.post("/units")
def create_unit():
    unit = service.create_unit(api_user(), body())
    parent = db.session.get(Unit, unit.parent_id) if unit.parent_id else None
    return created(unit_json(unit, parent))
