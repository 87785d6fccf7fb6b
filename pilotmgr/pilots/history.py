"""History entries in words a reader understands: what happened, and what changed from what."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

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
}
ACTION_LABELS = {
    "create": _l("Added %(what)s"),
    "update": _l("Changed %(what)s"),
    "delete": _l("Removed %(what)s"),
    "open_wave": _l("Opened the next rollout wave"),
    "regulation": _l("Recorded the mandatory regulation"),
    "unit_merged": _l("Moved %(what)s to the unit it was merged into"),
    "due_request": _l("Asked for a new due date"),
    "due_decline": _l("Kept the due date asked to be moved"),
}
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
    "completion_note": _l("product delivered"),
}
#: Fields that name the object, shown after the headline instead of as a change.
NAMING_FIELDS = ("title", "name")
#: Values whose raw form is a code with a translated label.
VALUE_LABELS = {
    "status": {
        "todo": _l("to do"),
        "in_progress": _l("in progress"),
        "done": _l("done"),
        "cancelled": _l("cancelled"),
        "planned": _l("planned"),
        "blocked": _l("blocked"),
    },
    "priority": {"high": _l("high"), "normal": _l("normal"), "low": _l("low")},
    "direction": {"increase": _l("increase"), "decrease": _l("decrease")},
}


def describe(entry) -> dict:
    """A headline, the object's name and the list of "field: before → after" changes."""
    if entry.action == "transition":
        before, after = entry.before.get("stage"), entry.after.get("stage")
        headline = f"{lifecycle.STAGE_LABELS.get(before, before)} → "
        headline += str(lifecycle.STAGE_LABELS.get(after, after))
        return {"headline": headline, "name": "", "changes": []}
    what = OBJECT_LABELS.get(entry.object_type, entry.object_type)
    template = ACTION_LABELS.get(entry.action)
    headline = str(template % {"what": what}) if template else f"{entry.action} {what}"
    after = entry.after or {}
    before = entry.before or {}
    name = next((str(after[k]) for k in NAMING_FIELDS if after.get(k)), "")
    changes = []
    if entry.action == "unit_merged":
        name = f"{before.get('unit', '')} → {after.get('unit', '')}"
    if entry.action in CHANGE_ACTIONS:
        for key, new in after.items():
            label = FIELD_LABELS.get(key, key.replace("_", " "))
            changes.append(f"{label}: {_show(key, before.get(key))} → {_show(key, new)}")
    return {"headline": headline, "name": name, "changes": changes}


def _show(key: str, value) -> str:
    if value is None or value == "":
        return "—"
    labels = VALUE_LABELS.get(key) or {}
    return str(labels.get(value, value))
