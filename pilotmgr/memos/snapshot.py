"""The plain data a memo is rendered from: read once, from approved figures only, then frozen."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from pilotmgr.auth.models import Role, User
from pilotmgr.core.audit import jsonable
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Challenge, Kpi, Pilot, Task
from pilotmgr.results.attainment import mean_attainment
from pilotmgr.results.service import kpi_results
from pilotmgr.rollout.models import RolloutTarget
from pilotmgr.units.models import Unit

#: Prefixes of provincial-level unit names; what follows is the place a memo is written at.
PLACE_PREFIXES = ("Tỉnh ", "Thành phố ", "TP. ", "UBND tỉnh ", "UBND thành phố ")
#: Central bodies sit in the capital.
DEFAULT_PLACE = "Hà Nội"


def _num(value) -> str | None:
    return None if value is None else jsonable(Decimal(value))


def _ancestors(unit: Unit) -> list[Unit]:
    """The unit and every unit above it, nearest first."""
    ids = [int(i) for i in unit.path.strip("/").split("/") if i]
    found = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(ids)))}
    chain = [found[i] for i in reversed(ids) if i in found]
    return chain or [unit]


def place_of(chain: list[Unit]) -> str:
    """The province or city a unit belongs to, as written before the date of a document."""
    for unit in chain:
        for prefix in PLACE_PREFIXES:
            if unit.name.startswith(prefix):
                return unit.name[len(prefix) :].strip()
    return DEFAULT_PLACE


def decision_maker(pilot: Pilot, chain: list[Unit], kind: str) -> Unit:
    """The unit whose leadership a memo is addressed to: the one that decides.

    A memo goes up from the pilot's unit to the unit above it. A rollout is decided by a unit
    whose authority covers every target unit too, so its memo goes up to the nearest unit above
    them all (a rollout to the provinces, to the ministry) — and on to the nearest such unit
    that has a head who can decide, when that one has none.
    """
    default = chain[1] if len(chain) > 1 else chain[0]
    if kind != "rollout":
        return default
    paths = [default.path, pilot.unit.path]
    paths += db.session.scalars(
        select(Unit.path)
        .join(RolloutTarget, RolloutTarget.unit_id == Unit.id)
        .where(RolloutTarget.pilot_id == pilot.id)
    ).all()
    shared = _shared_ids(paths)
    covering = [u for u in chain if u.id in shared]  # nearest first
    if not covering:  # targets in another tree: the top of the pilot's own
        return chain[-1]
    with_head = set(
        db.session.scalars(
            select(User.unit_id).where(
                User.unit_id.in_([u.id for u in covering]),
                User.role == Role.head,
                User.is_active_account,
            )
        )
    )
    return next((u for u in covering if u.id in with_head), covering[0])


def _shared_ids(paths: list[str]) -> set[int]:
    """The ids of the units every one of the materialised paths passes through."""
    parts = [[int(i) for i in p.strip("/").split("/") if i] for p in paths]
    shared = []
    for ids in zip(*parts, strict=False):
        if len(set(ids)) != 1:
            break
        shared.append(ids[0])
    return set(shared)


def subject(kind: str, pilot: Pilot, challenge: Challenge | None) -> str:
    """What the memo is about (printed after "V/v"), in the current locale."""
    if kind == "pilot_approval":
        return _("approval of the pilot “%(title)s”", title=pilot.title)
    if kind == "selection":
        name = challenge.title if challenge else pilot.title
        return _("selecting the successful model for “%(title)s”", title=name)
    return _("rolling out the model “%(title)s”", title=pilot.title)


def build(kind: str, lang: str, pilot: Pilot, issuer: User, today: date) -> dict:
    """The memo's data as JSON-ready values; the number is added when it is issued."""
    challenge = db.session.get(Challenge, pilot.challenge_id) if pilot.challenge_id else None
    chain = _ancestors(pilot.unit)
    parent = chain[1] if len(chain) > 1 else None
    recipient = decision_maker(pilot, chain, kind)
    with force_locale(lang):
        data = {
            "kind": kind,
            "lang": lang,
            "number": None,
            "issued_on": today.isoformat(),
            "place": place_of(chain),
            "unit": {
                "code": pilot.unit.code,
                "name": pilot.unit.name,
                "parent_name": parent.name if parent else "",
            },
            "recipient": recipient.name,
            "subject": subject(kind, pilot, challenge),
            "pilot": _pilot(pilot, challenge),
            "proposer": {"name": pilot.owner.name, "email": pilot.owner.email},
            "issuer": {"name": issuer.name, "email": issuer.email},
            "decision": None,
        }
    data["kpis"] = _kpis(pilot)
    data["mean_attainment"] = _num(
        mean_attainment([k.pop("_attainment") for k in data["kpis"]]) if data["kpis"] else None
    )
    if kind == "pilot_approval":
        data["tasks"] = _tasks(pilot)
    elif kind == "selection":
        data["candidates"] = _candidates(issuer, challenge, pilot)
    else:
        ranked = _recalled(issuer, challenge, pilot)
        # The rollout memo recalls the comparison the pilot was selected in: the five best of
        # the pilots that selection decided over, and the pilot itself.
        data["candidates"] = [c for c in ranked if c["rank"] <= 5 or c["recommended"]]
        data["targets"] = _targets(pilot)
        data["regulation"] = {
            "number": pilot.regulation_number,
            "date": jsonable(pilot.regulation_date),
            "issuer": pilot.regulation_issuer,
        }
        data["risks"] = _risks(data, today)
    return data


def _pilot(pilot: Pilot, challenge: Challenge | None) -> dict:
    return {
        "id": pilot.id,
        "title": pilot.title,
        "summary": pilot.summary,
        "stage": pilot.stage,
        "challenge": challenge.title if challenge else "",
        "problem": challenge.problem if challenge else "",
        "owner": pilot.owner.name,
        "unit": pilot.unit.name,
        "start_date": jsonable(pilot.start_date),
        "end_date": jsonable(pilot.end_date),
        "partner": pilot.partner,
        "budget": _num(pilot.budget),
        "success_formula": pilot.success_formula,
        "lessons": pilot.lessons,
    }


def _kpis(pilot: Pilot) -> list[dict]:
    """Each KPI with its latest *approved* value and attainment (submitted values never count)."""
    rows = []
    kpis = db.session.scalars(select(Kpi).where(Kpi.pilot_id == pilot.id).order_by(Kpi.id)).all()
    for result in kpi_results(pilot, list(kpis)):
        kpi, att = result.kpi, result.attainment
        rows.append(
            {
                "name": kpi.name,
                "unit": kpi.unit,
                "direction": kpi.direction,
                "baseline": _num(kpi.baseline),
                "target": _num(kpi.target),
                "latest": _num(att.latest),
                "latest_on": jsonable(att.latest_on),
                "percent": _num(att.percent),
                "verdict": result.verdict.verdict if result.verdict else att.verdict,
                "values": [[m.measured_on.isoformat(), _num(m.value)] for m in result.approved],
                "_attainment": att,
            }
        )
    return rows


def _tasks(pilot: Pilot) -> list[dict]:
    tasks = db.session.scalars(
        select(Task).where(Task.pilot_id == pilot.id).order_by(Task.due_date, Task.id)
    ).all()
    people = _people([t.assignee_id for t in tasks])
    return [
        {
            "title": t.title,
            "assignee": people.get(t.assignee_id, ""),
            "due_date": jsonable(t.due_date),
            "deliverable": t.deliverable,
        }
        for t in tasks
    ]


def _people(ids) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


def _deciding(challenge: Challenge | None, pilot: Pilot):
    """The latest selection of the challenge that selected `pilot`, if any."""
    from pilotmgr.results.models import Selection

    if challenge is None:
        return None
    decisions = db.session.scalars(
        select(Selection)
        .where(Selection.challenge_id == challenge.id)
        .order_by(Selection.id.desc())
    )
    for decision in decisions:
        if pilot.id in _ids(decision.selected_ids):
            return decision
    return None


def _ids(text: str) -> list[int]:
    return [int(i) for i in text.split(",") if i.strip()]


def _recalled(issuer: User, challenge: Challenge | None, pilot: Pilot) -> list[dict]:
    """The comparison the pilot was selected in: as that decision kept it, or (for decisions
    recorded before rankings were kept) computed now over the pilots it decided over.

    No such selection, no comparison to recall. Either way the memo shows only the pilots
    its issuer may see, and its cost does not grow with the pilots the challenge gathers.
    """
    decision = _deciding(challenge, pilot)
    if decision is None:
        return []
    if decision.ranking is None:
        among = _ids(decision.selected_ids) + _ids(decision.other_ids)
        return _candidates(issuer, challenge, pilot, among=among)
    from pilotmgr.pilots.permissions import visible_pilots_clause

    query = (
        select(Pilot.id, Pilot.title, Unit.name, Pilot.budget)
        .join(Unit, Unit.id == Pilot.unit_id)
        .where(Pilot.id.in_([entry["pilot_id"] for entry in decision.ranking]))
    )
    clause = visible_pilots_clause(issuer)
    if clause is not None:
        query = query.where(clause)
    facts = {row.id: (row.title, row.name, row.budget) for row in db.session.execute(query)}
    return _ranked(decision.ranking, facts, pilot)


def _candidates(
    issuer: User, challenge: Challenge | None, pilot: Pilot, among: list[int] | None = None
) -> list[dict]:
    """The challenge's pilots (or those `among`) ranked by the comparison's one rule."""
    from pilotmgr.results.selection import comparison, ranking_entry

    if challenge is None or among == []:
        return []
    ranked = comparison(issuer, challenge, among)
    facts = {c.pilot.id: (c.pilot.title, c.pilot.unit.name, c.pilot.budget) for c in ranked}
    return _ranked([ranking_entry(c) for c in ranked], facts, pilot)


def _ranked(entries: list[dict], facts: dict, pilot: Pilot) -> list[dict]:
    """The memo's candidates: ranking entries best first, each with its pilot's title, unit
    and budget (`facts`: pilot id → those three); entries without facts are left out and the
    rest ranked among themselves."""
    shown = [entry for entry in entries if entry["pilot_id"] in facts]
    rows = []
    for rank, entry in enumerate(shown, start=1):
        title, unit, budget = facts[entry["pilot_id"]]
        rows.append(
            {
                "rank": rank,
                "pilot_id": entry["pilot_id"],
                "title": title,
                "unit": unit,
                "composite": _num(entry["composite"]),
                "criteria": {k: _num(v) for k, v in entry["criteria"].items()},
                "evaluations": entry["evaluations"],
                "mean_attainment": _num(entry["mean_attainment"]),
                "cost_per_point": _num(entry["cost_per_point"]),
                "budget": _num(budget),
                "recommended": entry["pilot_id"] == pilot.id,
            }
        )
    return rows


def _targets(pilot: Pilot) -> list[dict]:
    rows = db.session.execute(
        select(
            Unit.name.label("unit"),
            User.name.label("responsible"),
            RolloutTarget.due_date,
            RolloutTarget.wave,
            RolloutTarget.status,
            RolloutTarget.blocked_reason,
        )
        .join(Unit, Unit.id == RolloutTarget.unit_id)
        .outerjoin(User, User.id == RolloutTarget.responsible_id)
        .where(RolloutTarget.pilot_id == pilot.id)
        .order_by(RolloutTarget.wave, RolloutTarget.due_date, Unit.name)
    )
    return [
        {
            "seq": seq,
            "unit": row.unit,
            "responsible": row.responsible or "",
            "due_date": jsonable(row.due_date),
            "wave": row.wave,
            "status": row.status,
            "blocked_reason": row.blocked_reason,
        }
        for seq, row in enumerate(rows, start=1)
    ]


def _risks(data: dict, today: date) -> list[str]:
    """Risks read off the recorded data: weak KPIs, blocked, late or unassigned targets."""
    risks = []
    with force_locale(data["lang"]):
        for k in data["kpis"]:
            if k["verdict"] != "met":
                risks.append(_("KPI “%(name)s” has not clearly met its target.", name=k["name"]))
        for t in data["targets"]:
            if t["status"] == "blocked":
                risks.append(
                    _("%(unit)s is blocked: %(reason)s", unit=t["unit"], reason=t["blocked_reason"])
                )
            elif t["status"] != "done" and t["due_date"] and t["due_date"] < today.isoformat():
                risks.append(_("%(unit)s is past its deadline.", unit=t["unit"]))
            if not t["responsible"]:
                risks.append(_("%(unit)s has no responsible person yet.", unit=t["unit"]))
        if not data["regulation"]["number"]:
            risks.append(
                _("Without a regulation making the model mandatory, units may not adopt it.")
            )
    return risks
