from flask import request

from pilotmgr.api import body, created, page_json, page_params
from pilotmgr.api import user as api_user
from pilotmgr.api.openapi import page_of
from pilotmgr.core import output as o
from pilotmgr.core import validate as v
from pilotmgr.core.pagination import PageQuery
from pilotmgr.core.routes import Routes
from pilotmgr.extensions import db
from pilotmgr.units import service
from pilotmgr.units.models import UNIT_KINDS, Unit

#: Attached to the API blueprint by the app factory.
routes = Routes()


class UnitOut(o.Output):
    id = o.integer()
    code = o.text()
    name = o.text()
    parent = o.method("parent_code", o.text(null=True))
    #: "" when the unit's level was never said.
    kind = o.choice((*UNIT_KINDS, ""))
    active = o.boolean(attribute="is_active")
    version = o.integer()

    def parent_code(self, unit: Unit) -> str | None:
        # session.get reads the identity map first: the list loaded the parents already.
        return db.session.get(Unit, unit.parent_id).code if unit.parent_id else None


@routes.get("/units", query=(PageQuery, service.UnitQuery), out=page_of(UnitOut))
def list_units():
    """Organisation units; filter kind (ministry, province, ...)"""
    page, per_page = page_params()
    kind = v.parse_query(request.args, service.UnitQuery)["kind"]
    return page_json(service.list_units(page, per_page, kind), UnitOut)


@routes.post("/units", body=service.UnitInput, out=UnitOut, status=201)
def create_unit():
    """Create a unit (admin)

    Without a kind (ministry, province, agency, department, division), the level is read from
    the name.
    """
    return created(UnitOut().dump(service.create_unit(api_user(), body())))
