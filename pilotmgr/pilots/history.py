"""History entries in words a reader understands: what happened, and what changed from what."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

from pilotmgr.core.formats import format_day, format_number
from pilotmgr.pilots import lifecycle

OBJECT_LABELS = {
    "pilot": _l("pilot"),
    "kpi": _l("KPI"),
    "task": _l("task"),
    "measurement": _l("measurement"),
    "evaluation": _l("evaluation"),
    "rollouttarget": _l("rollout target"),
    "memo": _l("memo"),
    "evidence": _l("evidence"),
    "decision": _l("decision"),
    "selection": _l("selection decision"),
    "comment": _l("comment"),
    "kpiverdict": _l("KPI verdict"),
    "pilotevaluator": _l("evaluator"),
    "taskduerequest": _l("due date request"),
    "programme": _l("programme"),
    "challenge": _l("challenge"),
    "user": _l("user"),
    "unit": _l("unit"),
}
ACTION_LABELS = {
    "create": _l("Added %(what)s"),
    "update": _l("Changed %(what)s"),
    "delete": _l("Removed %(what)s"),
    "issue": _l("Issued %(what)s"),
    "decide": _l("Recorded the head's decision"),
    # results
    "retract": _l("Retracted %(what)s"),
    "comment": _l("Wrote in the discussion"),
    "open_wave": _l("Opened the next rollout wave"),
    "regulation": _l("Recorded the mandatory regulation"),
    "unit_merged": _l("Moved %(what)s to the unit it was merged into"),
    # rollout
    "plan_targets": _l("Planned the rollout to"),
    "targets_planned": _l("Set back to planned: the rollout in"),
    "targets_in_progress": _l("Started the rollout in"),
    "targets_done": _l("Recorded the rollout as done in"),
    "targets_blocked": _l("Recorded the rollout as blocked in"),
    "remove_target": _l("Removed from the rollout plan"),
    "due_request": _l("Asked for a new due date"),
    "due_decline": _l("Kept the due date asked to be moved"),
}
#: An action a feature has not described yet still reads as a sentence, never as its code.
UNKNOWN_ACTION = _l("Recorded a change to %(what)s")
#: Actions whose before/after values are listed as changes.
CHANGE_ACTIONS = ("update", "open_wave", "regulation")
FIELD_LABELS = {
    "title": _l("title"),
    "summary": _l("summary"),
    "challenge_id": _l("challenge"),
    "unit_id": _l("unit"),
    "owner_id": _l("owner"),
    "start_date": _l("start date"),
    "end_date": _l("end date"),
    "budget": _l("budget"),
    "partner": _l("partner"),
    "name": _l("name"),
    "unit": _l("unit of measure"),
    "baseline": _l("baseline"),
    "target": _l("target"),
    "direction": _l("direction"),
    "how": _l("how"),
    "assignee_id": _l("assignee"),
    "priority": _l("priority"),
    "due_date": _l("due date"),
    "deliverable": _l("deliverable"),
    "status": _l("status"),
    "note": _l("note"),
    "blocked_reason": _l("reason blocked"),
    "wave": _l("wave"),
    "responsible_id": _l("responsible person"),
    "rollout_open_wave": _l("open waves"),
    "rollout_guide": _l("rollout guide"),
    "success_formula": _l("success formula"),
    "regulation_number": _l("regulation number"),
    "regulation_date": _l("regulation date"),
    "regulation_issuer": _l("issued by"),
    "regulation_title": _l("regulation title"),
    "outcome": _l("outcome"),
    "decision_number": _l("decision number"),
    "decision_date": _l("decision date"),
    "regulation": _l("regulation"),
    "number": _l("number"),
    "files": _l("files"),
    # results
    "evaluator": _l("evaluator named"),
    "verdict": _l("verdict"),
    "value": _l("value"),
    "measured_on": _l("measured on"),
    "feasibility": _l("feasibility"),
    "effectiveness": _l("effectiveness"),
    "needs_fit": _l("fit to real needs"),
    "cost": _l("cost"),
    "scalability": _l("scalability"),
    "selected": _l("selected pilots"),
    "others": _l("the others"),
    "responsible": _l("responsible person"),
    "completion_note": _l("product delivered"),
}
#: Fields that name the object, shown after the headline instead of as a change.
NAMING_FIELDS = ("title", "name", "number")
#: Values whose raw form is a code with a translated label.
VALUE_LABELS = {
    "status": {
        "todo": _l("to do"),
        "in_progress": _l("in progress"),
        "done": _l("done"),
        "cancelled": _l("cancelled"),
        "planned": _l("planned"),
        "blocked": _l("blocked"),
        # results: a value's review
        "submitted": _l("awaiting review"),
        "approved": _l("approved"),
        "rejected": _l("rejected"),
    },
    "priority": {"high": _l("high"), "normal": _l("normal"), "low": _l("low")},
    "direction": {"increase": _l("increase"), "decrease": _l("decrease")},
    "stage": lifecycle.STAGE_LABELS,
    "outcome": lifecycle.OUTCOME_LABELS,
    # results
    "verdict": {"met": _l("met"), "not_met": _l("not met"), "inconclusive": _l("inconclusive")},
    "others": {"not_selected": _l("closed as not selected"), "extend": _l("continue piloting")},
}
DECISION_LABELS = {
    "approve": _l("approved"),
    "approve_with_conditions": _l("approved with conditions"),
    "reject": _l("rejected"),
}
DATE_FIELDS = frozenset(
    {
        "start_date",
        "end_date",
        "due_date",
        "regulation_date",
        "decision_date",
        "date",
        "done_on",
        "measured_on",
    }
)
NUMBER_FIELDS = frozenset({"budget", "baseline", "target", "value"})
#: Facts a transition records beside the stage, listed under its headline.
TRANSITION_FACTS = ("outcome", "end_date", "decision_number", "decision_date", "regulation")


def describe(entry) -> dict:
    """A headline, the object's name and the list of "field: before → after" changes."""
    after = entry.after or {}
    before = entry.before or {}
    if entry.action == "transition":
        return _describe_transition(before, after)
    what = OBJECT_LABELS.get(entry.object_type, _l("item"))
    template = ACTION_LABELS.get(entry.action, UNKNOWN_ACTION)
    headline = str(template % {"what": what}) if "%(what)s" in str(template) else str(template)
    shown = after if entry.action != "delete" else before
    name = next((str(shown[k]) for k in NAMING_FIELDS if shown.get(k)), "")
    if entry.object_type == "evidence" and shown.get("sha256"):
        name = f"{name} (SHA-256 {shown['sha256']})"  # a file stays identifiable by content
    changes = []
    if entry.action == "unit_merged":
        name = f"{before.get('unit', '')} → {after.get('unit', '')}"
    if entry.action == "decide":
        name = str(DECISION_LABELS.get(after.get("outcome"), ""))
        if after.get("memo"):
            name = f"{name} · {after['memo']}"
    if entry.action == "comment":
        name = after.get("excerpt", "")
        if after.get("files"):
            changes.append(f"{FIELD_LABELS['files']}: {', '.join(after['files'])}")
    if entry.action in CHANGE_ACTIONS:
        for key, new in after.items():
            if key in NAMING_FIELDS and key not in before:
                continue  # names the object (shown after the headline), not a change
            changes.append(f"{_label(key)}: {show(key, before.get(key))} → {show(key, new)}")
    return {"headline": headline, "name": name, "changes": changes}


def _describe_transition(before: dict, after: dict) -> dict:
    source, target = before.get("stage"), after.get("stage")
    headline = f"{show('stage', source)} → {show('stage', target)}"
    step = lifecycle.STEPS.get(after.get("step", ""))
    if step is not None:
        headline = f"{step.label}: {headline}"
    changes = []
    for key in TRANSITION_FACTS:
        if after.get(key) in (None, "", {}):
            continue
        if key == "end_date" and before.get(key):
            changes.append(f"{_label(key)}: {show(key, before[key])} → {show(key, after[key])}")
        else:
            changes.append(f"{_label(key)}: {show(key, after[key])}")
    return {"headline": headline, "name": "", "changes": changes}


def _label(key: str) -> str:
    return str(FIELD_LABELS.get(key, _l("detail")))


def show(key: str, value) -> str:
    """A recorded value as the reader writes it: labels, names, 31/12/2026, 1.200.000,5."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        return ", ".join(show(k, v) for k, v in value.items() if v not in (None, ""))
    if isinstance(value, list):
        return ", ".join(show(key, v) for v in value)
    labels = VALUE_LABELS.get(key) or {}
    if isinstance(value, str) and value in labels:
        return str(labels[value])
    if key in DATE_FIELDS:
        return _day(value)
    if key in NUMBER_FIELDS:
        try:
            return format_number(Decimal(str(value)))
        except InvalidOperation:
            return str(value)
    if key in ("owner_id", "assignee_id", "responsible_id", "unit_id", "challenge_id"):
        return _name_of(key, value)
    return str(value)


def _day(value) -> str:
    if isinstance(value, datetime | date):
        return format_day(value)
    try:
        return format_day(date.fromisoformat(str(value)[:10]))
    except ValueError:
        return str(value)


def _name_of(key: str, value) -> str:
    """The person, unit or challenge a recorded id names (read from the identity map if loaded)."""
    from pilotmgr.auth.models import User
    from pilotmgr.extensions import db
    from pilotmgr.pilots.models import Challenge
    from pilotmgr.units.models import Unit

    model = {"unit_id": Unit, "challenge_id": Challenge}.get(key, User)
    from pilotmgr.core.validate import row_id

    number = row_id(value) if value is not None else None
    found = db.session.get(model, number) if number else None
    if found is None:
        return str(value)
    return getattr(found, "title", None) or found.name
