"""What the rollout board, the pilot page and the programme-wide page show: flat query counts."""

from __future__ import annotations

import html
from datetime import date
from typing import NamedTuple

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from pilotmgr.core.authority import has_authority
from pilotmgr.core.charts import step_chart
from pilotmgr.core.clock import local_today
from pilotmgr.core.pagination import Page, paginate
from pilotmgr.extensions import db
from pilotmgr.pilots import service as pilots_service
from pilotmgr.pilots.lifecycle import ROLLOUT
from pilotmgr.pilots.models import Pilot
from pilotmgr.pilots.permissions import target_updater, visible_pilots_clause
from pilotmgr.pilots.stages import STAGES, Stage
from pilotmgr.rollout import service
from pilotmgr.rollout.coverage import Coverage, coverage_by_pilot, coverage_of, progress
from pilotmgr.rollout.models import RolloutTarget
from pilotmgr.rollout.permissions import can_plan_rollout
from pilotmgr.units.models import Unit

ROLLOUT_STAGES = tuple(s for s in STAGES if s in ROLLOUT)


class Row(NamedTuple):
    id: int
    unit_code: str
    unit_name: str
    responsible_id: int | None
    due_date: date | None
    wave: int
    status: str
    note: str
    blocked_reason: str
    overdue: bool
    can_update: bool
    version: int


def board_rows(user, pilot: Pilot, under: Unit | None, today: date) -> list[Row]:
    """The board's targets as plain rows (hundreds of them: no ORM objects), attention first:
    overdue and blocked targets, then the rest, each part in tree order."""
    query = (
        select(
            RolloutTarget.id,
            Unit.code,
            Unit.name,
            RolloutTarget.responsible_id,
            RolloutTarget.due_date,
            RolloutTarget.wave,
            RolloutTarget.status,
            RolloutTarget.note,
            RolloutTarget.blocked_reason,
            Unit.path,
            RolloutTarget.version,
        )
        .join(Unit, Unit.id == RolloutTarget.unit_id)
        .where(RolloutTarget.pilot_id == pilot.id)
        .order_by(Unit.path)
    )
    if under is not None:
        query = query.where(Unit.path.startswith(under.path, autoescape=True))
    may_update = target_updater(user, pilot)
    open_wave = pilot.rollout_open_wave
    rows = []
    # Core execution: plain tuples without the ORM's per-row bookkeeping.
    result = db.session.connection().execute(query)
    for tid, code, name, responsible, due, wave, status, note, reason, path, version in result:
        overdue = status != "done" and wave <= open_wave and due is not None and due < today
        rows.append(
            Row(
                tid,
                code,
                name,
                responsible,
                due,
                wave,
                status,
                note,
                reason,
                overdue,
                may_update(responsible, path),
                version,
            )
        )
    return sorted(rows, key=lambda r: not (r.overdue or r.status == "blocked"))


def table_html(
    rows: list[Row], people: dict[int, str], target_url: str, ticked: set[str] = frozenset()
) -> Markup:
    """The board's table body in one pass: a board may list hundreds of units, and rendering
    each cell through the template engine cost more than everything else on the page.

    Rows the user may update get a checkbox for the bulk update (`ticked` stay ticked)."""
    labels = {k: html.escape(str(v)) for k, v in service.STATUS_LABELS.items()}
    overdue = f' <span class="badge text-bg-danger">{html.escape(_("overdue"))}</span>'
    tick_label = html.escape(_("Tick"))
    # On a phone each row is a card: its cells say what they hold (see app.css).
    head = {
        "responsible": html.escape(_("Responsible")),
        "due": html.escape(_("Due")),
        "wave": html.escape(_("Wave")),
        "status": html.escape(_("Status")),
        "note": html.escape(_("Note")),
    }
    names = {k: html.escape(v) for k, v in people.items()}
    out = []
    for r in rows:
        unit = html.escape(r.unit_name)
        tick = ""
        if r.can_update:
            value = f"{r.id}:{r.version}"
            checked = " checked" if value in ticked or str(r.id) in ticked else ""
            tick = (
                f'<input class="form-check-input" type="checkbox" name="targets" '
                f'form="bulk-update" value="{value}" id="tick-{r.id}"{checked} '
                f'aria-label="{tick_label}: {unit}">'
            )
            unit = f'<a href="{target_url}{r.id}">{unit}</a>'
        note = html.escape(r.blocked_reason if r.status == "blocked" else r.note)
        due = r.due_date.strftime("%d/%m/%Y") if r.due_date else ""
        out.append(
            f'<tr class="target-{r.status}{" overdue" if r.overdue else ""}" '
            f'data-unit="{html.escape(r.unit_code)}"><td class="tick">{tick}</td>'
            f'<td class="unit">{unit}</td>'
            f'<td data-label="{head["responsible"]}">{names.get(r.responsible_id, "—")}</td>'
            f'<td class="text-nowrap" data-label="{head["due"]}">{due}'
            f'{overdue if r.overdue else ""}</td><td data-label="{head["wave"]}">{r.wave}</td>'
            f'<td data-label="{head["status"]}"><span class="badge target-{r.status}">'
            f"{labels[r.status]}</span></td>"
            f'<td class="small" data-label="{head["note"]}">{note}</td></tr>'
        )
    # Every value above went through html.escape; the statuses and waves are our own codes.
    return Markup("\n".join(out))


def board(user, pilot: Pilot, parent: Unit | None = None, ticked: set[str] = frozenset()) -> dict:
    today = local_today()
    rows = board_rows(user, pilot, parent, today)
    coverage = coverage_of(pilot.id, today, parent)
    people = {u.id: u.name for u in service.people(r.responsible_id for r in rows).values()}
    target_url = url_for("rollout.target", target_id=1)[:-1]
    return {
        "rows": rows,
        "can_bulk": any(r.can_update for r in rows),
        "table": table_html(rows, people, target_url, ticked),
        "coverage": coverage,
        "parents": target_parents(pilot),
        "parent": parent,
        "chart": _named(
            step_chart(progress(pilot.id, parent), coverage.total, until=today), coverage
        ),
        "today": today,
        "waves": sorted({r.wave for r in rows}),
        "can_plan": can_plan_rollout(user, pilot),
        "is_head": has_authority(user, pilot.unit),
    }


def _named(chart: str, coverage: Coverage) -> str:
    """The progress chart, named for screen readers (the chart helper gives it no name)."""
    if not chart or "aria-label" in chart.split(">", 1)[0]:
        return chart
    name = _(
        "Targets done over time: %(done)s of %(total)s", done=coverage.done, total=coverage.total
    )
    return chart.replace('role="img"', f'role="img" aria-label="{html.escape(name)}"', 1)


def target_parents(pilot: Pilot) -> list[Unit]:
    """The units directly above the pilot's targets, to filter the board by."""
    parent_ids = (
        select(Unit.parent_id)
        .join(RolloutTarget, RolloutTarget.unit_id == Unit.id)
        .where(RolloutTarget.pilot_id == pilot.id)
    )
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(parent_ids)).order_by(Unit.path)))


def people_choice() -> dict:
    """Who may answer for a target: active people other than viewers, as plain rows."""
    from pilotmgr.auth.models import Role, User

    rows = db.session.execute(
        select(User.id, User.email, User.name)
        .where(User.is_active_account, User.role != Role.viewer)
        .order_by(User.name, User.id)
    ).all()
    return {"people": rows}


def plan_choices() -> dict:
    """The plan form's option lists: every active unit in tree order, and the people."""
    from pilotmgr.units.service import all_units, tree_order

    return {"units": tree_order(all_units())} | people_choice()


def pilot_summary(user, pilot: Pilot) -> dict | None:
    """The rollout block of the pilot page (None before the pilot is selected), with empty
    forms; the page's failed forms (`page_forms`) take their place in the template."""
    from pilotmgr.rollout.forms import GuideForm, OpenWaveForm, PlanForm, RegulationForm

    if pilot.stage not in ROLLOUT_STAGES:
        return None
    can_plan = can_plan_rollout(user, pilot)
    is_head = has_authority(user, pilot.unit)
    summary = {
        "coverage": coverage_of(pilot.id, local_today()),
        "can_plan": can_plan,
        "is_head": is_head,
        "regulation_file": pilots_service.regulation_file(pilot),
        "has_later_wave": db.session.scalar(
            select(RolloutTarget.id)
            .where(RolloutTarget.pilot_id == pilot.id, RolloutTarget.wave > pilot.rollout_open_wave)
            .limit(1)
        )
        is not None,
        "wave_form": OpenWaveForm(formdata=None, id_prefix="wave-"),
    }
    if can_plan:
        summary["plan_form"] = PlanForm(formdata=None, id_prefix="plan-", **plan_choices())
        summary["guide_form"] = GuideForm(formdata=None, id_prefix="guide-", obj=pilot)
    if is_head and pilot.stage in (Stage.rolling_out, Stage.scaled):
        summary["regulation_form"] = RegulationForm.for_pilot(
            pilot, formdata=None, id_prefix="regulation-"
        )
    return summary


def rolling_out(user, page: int, per_page: int) -> tuple[Page, dict[int, Coverage]]:
    """Every rolling-out pilot the user may see, with its coverage."""
    query = select(Pilot).where(Pilot.stage == Stage.rolling_out).order_by(Pilot.title, Pilot.id)
    clause = visible_pilots_clause(user)
    if clause is not None:
        query = query.where(clause)
    found = paginate(query, page, per_page)
    return found, coverage_by_pilot([p.id for p in found.items], local_today())
