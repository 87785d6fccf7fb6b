"""Rules for pilots and KPIs. Functions change rows and history, flush, never commit.

Tasks have their own module, `pilotmgr.pilots.tasks`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from pilotmgr.auth.models import Role, User
from pilotmgr.core import audit
from pilotmgr.core import validate as v
from pilotmgr.core.authority import has_authority, require
from pilotmgr.core.clock import local_today, local_zone
from pilotmgr.core.errors import Conflict, NotFound, ValidationFailed, check_version
from pilotmgr.core.pagination import Page
from pilotmgr.core.query import Query
from pilotmgr.core.text import fold
from pilotmgr.extensions import db
from pilotmgr.pilots.lifecycle import FINISHED, STAGES
from pilotmgr.pilots.models import (
    DIRECTIONS,
    Challenge,
    Kpi,
    Pilot,
    Programme,
    Task,
)
from pilotmgr.pilots.permissions import (
    can_create_pilot,
    can_edit_pilot,
    require_visible,
    visible_pilots_clause,
)
from pilotmgr.pilots.stages import Stage
from pilotmgr.results.models import Evidence
from pilotmgr.units.models import Unit

PILOT_AUDITED = (
    "title",
    "summary",
    "challenge_id",
    "unit_id",
    "owner_id",
    "start_date",
    "end_date",
    "budget",
    "partner",
)
KPI_AUDITED = ("name", "unit", "baseline", "target", "direction")
#: A stage unchanged for longer than ten years is not "stuck", it is a typing slip.
MAX_STUCK_DAYS = 3650


def find_unit(code: str) -> Unit | None:
    return db.session.scalar(select(Unit).where(Unit.code == code, Unit.is_active))


def find_user(email: str) -> User | None:
    return db.session.scalar(
        select(User).where(User.email == email.lower(), User.is_active_account)
    )


def find_challenge(value: str) -> Challenge | None:
    return db.session.get(Challenge, n) if (n := v.row_id(value)) else None


def find_programme(value: str) -> Programme | None:
    return db.session.get(Programme, n) if (n := v.row_id(value)) else None


class PilotInput(v.Input):
    """A pilot's terms, from the pilot form, an imported row or the API."""

    title = v.text(255, required=True)
    summary = v.prose(10_000)
    challenge_id = v.id_lookup(find_challenge, _l("No such challenge."))
    unit = v.lookup(find_unit, _l("No such unit."), required=True)
    owner = v.lookup(find_user, _l("No such user."), required=True)
    start_date = v.iso_date()
    end_date = v.iso_date()
    budget = v.decimal(min_value=0)
    partner = v.text(255)


class PilotChanges(PilotInput):
    version = v.version()
    #: Why, on record with the change.
    comment = v.prose(10_000)


class KpiInput(v.Input):
    name = v.text(255, required=True)
    unit = v.text(40)
    baseline = v.decimal()
    target = v.decimal()
    direction = v.choice(DIRECTIONS, required=True)


class KpiChanges(KpiInput):
    version = v.version()
    #: Why, on record; needed when a fixed threshold changes.
    comment = v.prose(10_000)


class KpiRemovalQuery(Query):
    """`?version=` guards a stale read."""

    version = v.integer(1, v.MAX_ROW_ID)


class KpiRemoval(KpiRemovalQuery):
    """What a removal may say (the query's version, or the same in a JSON body): the comment
    is on record."""

    comment = v.prose(10_000)


class PilotQuery(Query):
    """The pilot list's filters (the leaders' dashboard links with stuck, overdue, pending)."""

    stage = v.choice(STAGES)
    unit = v.lookup(find_unit, _l("No such unit."))
    owner = v.lookup(find_user, _l("No such user."))
    challenge = v.id_lookup(find_challenge, _l("No such challenge."))
    programme = v.id_lookup(find_programme, _l("No such programme."))
    q = v.text(200)
    #: Unfinished pilots whose stage has not changed for `stuck_days` (default from settings).
    stuck = v.boolean()
    stuck_days = v.integer(1, MAX_STUCK_DAYS)
    #: Pilots with an open task past its due date.
    overdue = v.boolean()
    #: Pilots with a measurement waiting for review.
    pending = v.boolean()


def stuck_before(days: int | None = None) -> datetime:
    """The moment before which an unchanged stage counts as stuck: `days` local days ago."""
    from flask import current_app

    days = days or current_app.config["PILOTMGR_STUCK_DAYS"]
    midnight = datetime.combine(today(), time(), tzinfo=local_zone())
    return midnight - timedelta(days=max(1, min(days, MAX_STUCK_DAYS)))


def list_filters(data: Mapping) -> dict:
    """`pilot_list_query`'s filters from a query string (PilotQuery), or ValidationFailed."""
    values = v.parse_query(data, PilotQuery)
    return {
        "stage": values["stage"],
        "unit": values["unit"],
        "owner": values["owner"],
        "challenge": values["challenge"],
        "programme": values["programme"],
        "q": values["q"] or "",
        "stuck_before": stuck_before(values["stuck_days"]) if values["stuck"] else None,
        "overdue_on": today() if values["overdue"] else None,
        "pending_review": bool(values["pending"]),
    }


# --- reading ---------------------------------------------------------------------------


def get_pilot(user, pilot_id) -> Pilot:
    pilot = db.session.get(Pilot, n) if (n := v.row_id(pilot_id)) else None
    require_visible(user, pilot)
    return pilot


def pilot_list_query(
    user,
    *,
    stage=None,
    unit=None,
    owner=None,
    challenge=None,
    programme=None,
    q=None,
    stuck_before=None,
    overdue_on=None,
    pending_review=False,
):
    """The pilots `user` may see, filtered; every filter is a plain value or None.

    `stuck_before`: unfinished pilots whose stage has not changed since then; `overdue_on`:
    pilots with an open task due before that day; `pending_review`: with a measurement waiting.
    """
    query = select(Pilot)
    query = _dashboard_filters(query, stuck_before, overdue_on, pending_review)
    clause = visible_pilots_clause(user)
    if clause is not None:
        query = query.where(clause)
    if stage:
        query = query.where(Pilot.stage == stage)
    if unit is not None:
        query = query.where(
            Pilot.unit_id.in_(
                select(Unit.id).where(Unit.path.startswith(unit.path, autoescape=True))
            )
        )
    if owner is not None:
        query = query.where(Pilot.owner_id == owner.id)
    if challenge is not None:
        query = query.where(Pilot.challenge_id == challenge.id)
    if programme is not None:
        query = query.where(
            Pilot.challenge_id.in_(
                select(Challenge.id).where(Challenge.programme_id == programme.id)
            )
        )
    for word in fold(q).split():
        query = query.where(Pilot.search_text.contains(word, autoescape=True))
    return query


def _dashboard_filters(query, stuck_before, overdue_on, pending_review):
    from pilotmgr.pilots.models import OPEN_TASK_STATUSES
    from pilotmgr.results.models import Measurement

    if stuck_before is not None:
        query = query.where(Pilot.stage.not_in(FINISHED), Pilot.stage_changed_at < stuck_before)
    if overdue_on is not None:
        query = query.where(
            Pilot.id.in_(
                select(Task.pilot_id).where(
                    Task.status.in_(OPEN_TASK_STATUSES), Task.due_date < overdue_on
                )
            )
        )
    if pending_review:
        query = query.where(
            Pilot.id.in_(
                select(Kpi.pilot_id)
                .join(Measurement, Measurement.kpi_id == Kpi.id)
                .where(Measurement.status == "submitted")
            )
        )
    return query


def list_pilots(user, page: int, per_page: int, **filters) -> Page:
    query = pilot_list_query(user, **filters)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    # Choose the page's ids first, then load only those pilots with their units and owners:
    # joining thousands of visible pilots before sorting and cutting the page is slow.
    ids = (
        query.with_only_columns(Pilot.id)
        .order_by(Pilot.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
        .subquery()
    )
    items = db.session.scalars(
        select(Pilot)
        .join(ids, Pilot.id == ids.c.id)
        .options(selectinload(Pilot.challenge))
        .order_by(Pilot.id.desc())
    )
    return Page(items=list(items), total=total or 0, page=page, per_page=per_page)


def pilot_detail(user, pilot_id) -> Pilot:
    """A visible pilot with its KPIs, tasks and their people loaded in a fixed few queries."""
    pilot = (
        db.session.scalar(
            select(Pilot)
            .where(Pilot.id == v.row_id(pilot_id))
            .options(
                selectinload(Pilot.challenge),
                selectinload(Pilot.kpis),
                selectinload(Pilot.tasks).selectinload(Task.assignee),
            )
            .execution_options(populate_existing=True)
        )
        if v.row_id(pilot_id)
        else None
    )
    require_visible(user, pilot)
    return pilot


def regulation_file(pilot: Pilot) -> Evidence | None:
    """The file of the regulation the rollout issued (the newest one stored for it)."""
    return db.session.scalar(
        select(Evidence)
        .where(Evidence.pilot_id == pilot.id, Evidence.purpose == "regulation")
        .order_by(Evidence.id.desc())
        .limit(1)
    )


def history(user, pilot) -> list[audit.HistoryEntry]:
    require_visible(user, pilot)
    return list(
        db.session.scalars(
            select(audit.HistoryEntry)
            .where(audit.HistoryEntry.pilot_id == pilot.id)
            .options(selectinload(audit.HistoryEntry.actor))
            .order_by(audit.HistoryEntry.at, audit.HistoryEntry.id)
        )
    )


# --- pilots ------------------------------------------------------------------------------


def _check_dates(values: Mapping, pilot: Pilot | None = None) -> None:
    start = values.get("start_date", pilot.start_date if pilot else None)
    end = values.get("end_date", pilot.end_date if pilot else None)
    if start and end and end <= start:
        raise ValidationFailed(
            {"end_date": [str(_l("The end date must be after the start date."))]}
        )


def _check_owner(owner: User) -> None:
    if owner.role not in (Role.lead, Role.head, Role.admin):
        raise ValidationFailed({"owner": [str(_l("The owner must be a project lead or a head."))]})


def _apply_pilot_values(pilot: Pilot, values: Mapping) -> None:
    for key, value in values.items():
        if key == "unit":
            pilot.unit, pilot.unit_id = value, value.id
        elif key == "owner":
            pilot.owner, pilot.owner_id = value, value.id
        elif key == "challenge_id":
            pilot.challenge_id = value.id if value else None
        elif key in ("summary", "partner"):
            setattr(pilot, key, value or "")
        else:
            setattr(pilot, key, value)


def create_pilot(actor, data: Mapping) -> Pilot:
    values = v.parse(data, PilotInput)
    require(
        can_create_pilot(actor, values["unit"]),
        str(_l("You may register pilots only in your own unit or below it.")),
    )
    _check_owner(values["owner"])
    _check_dates(values)
    pilot = Pilot(stage=Stage.draft, created_by_id=actor.id)
    _apply_pilot_values(pilot, values)
    db.session.add(pilot)
    db.session.flush()
    audit.record(
        actor=actor,
        obj=pilot,
        action="create",
        pilot_id=pilot.id,
        after=audit.snapshot(pilot, PILOT_AUDITED),
        unit_code=pilot.unit.code,
    )
    return pilot


def update_pilot(actor, pilot: Pilot, data: Mapping) -> Pilot:
    require(can_edit_pilot(actor, pilot))
    values = v.parse(data, PilotChanges, partial=True)
    check_version(pilot, values.pop("version"))
    comment = values.pop("comment", None) or ""
    if "unit" in values and values["unit"].id != pilot.unit_id:
        require(
            can_create_pilot(actor, values["unit"]),
            str(_l("You may move pilots only within your own unit.")),
        )
    if "owner" in values:
        _check_owner(values["owner"])
    _check_dates(values, pilot)
    before = audit.snapshot(pilot, PILOT_AUDITED)
    _apply_pilot_values(pilot, values)
    audit.record_changes(
        actor=actor,
        obj=pilot,
        before=before,
        after=audit.snapshot(pilot, PILOT_AUDITED),
        pilot_id=pilot.id,
        unit_code=pilot.unit.code,
        comment=comment,
    )
    return pilot


# --- KPIs --------------------------------------------------------------------------------


def get_kpi(user, kpi_id) -> Kpi:
    kpi = db.session.get(Kpi, n) if (n := v.row_id(kpi_id)) else None
    if kpi is None:
        raise NotFound(str(_l("No such KPI.")))
    require_visible(user, db.session.get(Pilot, kpi.pilot_id))
    return kpi


def list_kpis(user, pilot: Pilot) -> list[Kpi]:
    require_visible(user, pilot)
    return list(db.session.scalars(select(Kpi).where(Kpi.pilot_id == pilot.id).order_by(Kpi.id)))


def _check_kpi_range(values: Mapping, kpi: Kpi | None = None) -> None:
    """A target equal to the baseline measures nothing: attainment would divide by zero."""
    baseline = values.get("baseline", kpi.baseline if kpi else None)
    target = values.get("target", kpi.target if kpi else None)
    if baseline is not None and target is not None and baseline == target:
        raise ValidationFailed({"target": [str(_l("The target must differ from the baseline."))]})


def add_kpi(actor, pilot: Pilot, data: Mapping) -> Kpi:
    require(can_edit_pilot(actor, pilot))
    values = v.parse(data, KpiInput)
    values["unit"] = values["unit"] or ""
    _check_kpi_range(values)
    kpi = Kpi(pilot_id=pilot.id, **values)
    db.session.add(kpi)
    db.session.flush()
    audit.record(
        actor=actor,
        obj=kpi,
        action="create",
        pilot_id=pilot.id,
        after=audit.snapshot(kpi, KPI_AUDITED),
        unit_code=pilot.unit.code,
    )
    return kpi


#: Once a pilot starts, its thresholds are fixed: results are judged against what was promised.
FROZEN_KPI_FIELDS = ("baseline", "target", "direction")


def _check_frozen_thresholds(actor, kpi: Kpi, pilot: Pilot, values: dict, comment: str) -> None:
    if pilot.stage in (Stage.draft, Stage.proposed):
        return
    changed = [k for k in FROZEN_KPI_FIELDS if k in values and values[k] != getattr(kpi, k)]
    if not changed:
        return
    require(
        has_authority(actor, pilot.unit),
        str(_l("Targets are fixed once the pilot starts; only a head may change them.")),
    )
    if not comment.strip():
        raise ValidationFailed({"comment": [str(_l("Say why a fixed target changes."))]})


def update_kpi(actor, kpi: Kpi, data: Mapping) -> Kpi:
    pilot = db.session.get(Pilot, kpi.pilot_id)
    require(can_edit_pilot(actor, pilot))
    values = v.parse(data, KpiChanges, partial=True)
    check_version(kpi, values.pop("version"))
    comment = values.pop("comment", None) or ""
    if "unit" in values:
        values["unit"] = values["unit"] or ""
    _check_kpi_range(values, kpi)
    _check_frozen_thresholds(actor, kpi, pilot, values, comment)
    before = audit.snapshot(kpi, KPI_AUDITED)
    for key, value in values.items():
        setattr(kpi, key, value)
    db.session.flush()
    after = audit.snapshot(kpi, KPI_AUDITED)
    changed = {k for k in after if after[k] != before[k]}
    if changed:
        audit.record(
            actor=actor,
            obj=kpi,
            action="update",
            pilot_id=pilot.id,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
            comment=comment,
            unit_code=pilot.unit.code,
        )
    return kpi


def delete_kpi(actor, kpi: Kpi, data: Mapping | None = None) -> None:
    """Remove a KPI while the pilot is a draft; the history keeps what it was."""
    from pilotmgr.results.models import Measurement

    pilot = db.session.get(Pilot, kpi.pilot_id)
    require(can_edit_pilot(actor, pilot))
    values = v.parse(data or {}, KpiRemoval)
    if values["version"] is not None:
        check_version(kpi, values["version"])
    if pilot.stage != Stage.draft:
        raise Conflict(
            str(_l("A KPI can be deleted only while the pilot is a draft; correct it instead."))
        )
    if db.session.scalar(select(Measurement.id).where(Measurement.kpi_id == kpi.id).limit(1)):
        raise Conflict(str(_l("This KPI has recorded values and cannot be deleted.")))
    audit.record(
        actor=actor,
        obj=kpi,
        action="delete",
        pilot_id=pilot.id,
        before=audit.snapshot(kpi, KPI_AUDITED),
        comment=values["comment"] or "",
        unit_code=pilot.unit.code,
    )
    db.session.delete(kpi)
    db.session.flush()


def today():
    return local_today()
