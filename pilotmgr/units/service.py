"""Organisation units: a tree kept as materialised paths."""

from __future__ import annotations

import re
from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from pilotmgr.core import audit
from pilotmgr.core import validate as v
from pilotmgr.core.authority import is_admin, require
from pilotmgr.core.errors import ValidationFailed
from pilotmgr.core.query import Query
from pilotmgr.core.text import nfc
from pilotmgr.extensions import db
from pilotmgr.units.models import UNIT_KINDS, Unit

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$")
#: A unit's level, as its users call it.
KIND_LABELS = {
    "ministry": _l("Ministry"),
    "province": _l("Province or centrally-run city"),
    "agency": _l("Agency of a ministry (department, office, inspectorate)"),
    "department": _l("Provincial department"),
    "division": _l("Division, sub-department"),
    "": _l("Level not set"),
}
#: How a unit's name begins → its level. The longest beginning that matches wins: "Chi cục" is
#: not a "Cục", "Bộ phận một cửa" is not a ministry ("Văn phòng Bộ" begins with "Văn phòng").
KIND_BY_NAME = (
    ("bộ phận", "division"),
    ("chi cục", "division"),
    ("phòng", "division"),
    ("ủy ban nhân dân tỉnh", "province"),
    ("ủy ban nhân dân thành phố", "province"),
    ("ubnd tỉnh", "province"),
    ("ubnd thành phố", "province"),
    ("thành phố", "province"),
    ("tp.", "province"),
    ("tỉnh", "province"),
    ("văn phòng", "agency"),
    ("thanh tra", "agency"),
    ("cục", "agency"),
    ("vụ", "agency"),
    ("tổng cục", "agency"),
    ("bộ", "ministry"),
    ("sở", "department"),
)
_LONGEST_FIRST = sorted(KIND_BY_NAME, key=lambda pair: -len(pair[0]))


def _find_unit(code: str) -> Unit | None:
    return db.session.scalar(select(Unit).where(Unit.code == code))


def infer_kind(name: str) -> str:
    """The level a unit's name says: Bộ → ministry; Tỉnh, Thành phố → province; Cục, Văn phòng,
    Vụ, Thanh tra → agency; Sở → department; Phòng, Chi cục → division; otherwise ""."""
    folded = " ".join(nfc(name or "").casefold().split())
    for start, kind in _LONGEST_FIRST:
        if (
            folded == start
            or folded.startswith(start + " ")
            or (start.endswith(".") and folded.startswith(start))
        ):
            return kind
    return ""


def kind_field() -> v.Field:
    def convert(value):
        value = value.strip().lower() if isinstance(value, str) else value
        if not isinstance(value, str) or value not in UNIT_KINDS:
            raise ValueError(_l("Choose a level from the list."))
        return value

    return v.custom(convert, {"type": "string", "enum": list(UNIT_KINDS)})


class UnitInput(v.Input):
    code = v.text(40, required=True)
    name = v.text(255, required=True)
    parent = v.lookup(_find_unit, _l("No such unit."))
    kind = kind_field()


class UnitQuery(Query):
    """The units list's filter: one level."""

    kind = v.choice(UNIT_KINDS)


def create_unit(actor, data: Mapping) -> Unit:
    """Add a unit (admins only; `actor` None means the command line).

    Without a `kind`, the unit's level is read from its name (see `infer_kind`).
    """
    if actor is not None:
        require(is_admin(actor), str(_l("Only administrators manage units.")))
    values = v.parse(data, UnitInput)
    code = values["code"]
    if not CODE_RE.match(code):
        raise ValidationFailed({"code": [str(_l("Letters, digits, '.', '-' and '_' only."))]})
    if _find_unit(code) is not None:
        raise ValidationFailed({"code": [str(_l("This code is already used."))]})
    parent = values["parent"]
    kind = values["kind"] or infer_kind(values["name"])
    unit = Unit(code=code, name=values["name"], parent_id=parent.id if parent else None, kind=kind)
    db.session.add(unit)
    db.session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    db.session.flush()
    audit.record(
        actor=actor,
        obj=unit,
        action="create",
        unit_code=unit.code,
        after={
            "code": unit.code,
            "name": unit.name,
            "parent": parent.code if parent else None,
            "kind": unit.kind,
        },
    )
    return unit


def list_units(page: int, per_page: int, kind: str | None = None):
    """A page of the active units in tree order, each with its parent; `kind` keeps one level."""
    from pilotmgr.core.pagination import paginate

    query = select(Unit).where(Unit.is_active).options(selectinload(Unit.parent))
    if kind is not None:
        query = query.where(Unit.kind == kind)
    return paginate(query.order_by(Unit.path), page, per_page)


def all_units() -> list[Unit]:
    """Every active unit in tree order (parents before children)."""
    return list(db.session.scalars(select(Unit).where(Unit.is_active).order_by(Unit.path)))


def units_under(root: Unit) -> list[Unit]:
    return list(
        db.session.scalars(
            select(Unit)
            .where(Unit.is_active, Unit.path.startswith(root.path, autoescape=True))
            .order_by(Unit.path)
        )
    )


def tree_order(units: list[Unit]) -> list[Unit]:
    """Sort units depth-first by name within each parent (paths sort by id, not name)."""
    by_parent: dict[int | None, list[Unit]] = {}
    ids = {u.id for u in units}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in ids else None
        by_parent.setdefault(parent, []).append(unit)
    ordered: list[Unit] = []

    def walk(parent):
        for unit in sorted(by_parent.get(parent, []), key=lambda u: u.name):
            ordered.append(unit)
            walk(unit.id)

    walk(None)
    return ordered


def update_unit(actor, unit: Unit, data: Mapping) -> Unit:
    """Rename a unit, set its level, or hang it under another parent (subtree paths follow)."""
    from pilotmgr.core.authority import in_subtree
    from pilotmgr.core.errors import Conflict, check_version
    from pilotmgr.units.models import UNIT_KINDS

    require(is_admin(actor), str(_l("Only administrators manage units.")))
    values = v.parse(
        data,
        {
            "name": v.text(255, required=True),
            "kind": v.choice(UNIT_KINDS),
            "parent": v.lookup(_find_active_unit, _l("No such unit.")),
        },
        partial=True,
    )
    check_version(unit, data.get("version"))
    if not unit.is_active:
        raise Conflict(str(_l("This unit was merged into another; it can no longer be changed.")))
    parent_before = db.session.get(Unit, unit.parent_id) if unit.parent_id else None
    before = {"name": unit.name, "kind": unit.kind, "parent": _code(parent_before)}
    if "name" in values:
        unit.name = values["name"]
    if "kind" in values:
        unit.kind = values["kind"] or ""
    parent = values.get("parent", parent_before)
    if parent is not None and (parent.id == unit.id or in_subtree(parent, unit)):
        raise ValidationFailed(
            {"parent": [str(_l("Choose a unit that is not this unit itself or below it."))]}
        )
    if (parent.id if parent else None) != unit.parent_id:
        _rehang(unit, parent)
    after = {"name": unit.name, "kind": unit.kind, "parent": _code(parent)}
    audit.record_changes(
        actor=actor, obj=unit, before=before, after=after, pilot_id=None, unit_code=unit.code
    )
    return unit


def _find_active_unit(code: str) -> Unit | None:
    return db.session.scalar(select(Unit).where(Unit.code == code, Unit.is_active))


def _code(unit: Unit | None) -> str | None:
    return unit.code if unit is not None else None


def _rehang(unit: Unit, parent: Unit | None) -> None:
    """Move `unit` and everything below it under `parent` (None: to the top level)."""
    old_path = unit.path
    new_path = f"{parent.path if parent else '/'}{unit.id}/"
    below = db.session.scalars(select(Unit).where(Unit.path.startswith(old_path, autoescape=True)))
    for each in below:
        each.path = new_path + each.path[len(old_path) :]
    unit.parent_id = parent.id if parent else None
