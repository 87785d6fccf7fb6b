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
    # results (values, verdicts, evaluations, selection, evidence)
    "selection": _l("selection decision"),
}
ACTION_LABELS = {
    "create": _l("Added %(what)s"),
    "update": _l("Changed %(what)s"),
    "delete": _l("Removed %(what)s"),
    "open_wave": _l("Opened the next rollout wave"),
    "regulation": _l("Recorded the mandatory regulation"),
    "unit_merged": _l("Moved %(what)s to the unit it was merged into"),
    # results
    "retract": _l("Retracted %(what)s"),
    "plan_targets": _l("Planned the rollout to"),
    "targets_planned": _l("Set back to planned: the rollout in"),
    "targets_in_progress": _l("Started the rollout in"),
    "targets_done": _l("Recorded the rollout as done in"),
    "targets_blocked": _l("Recorded the rollout as blocked in"),
    "remove_target": _l("Removed from the rollout plan"),
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
    "responsible": _l("responsible person"),
    "rollout_open_wave": _l("open waves"),
    "rollout_guide": _l("rollout guide"),
    "success_formula": _l("success formula"),
    "regulation_number": _l("regulation number"),
    "regulation_date": _l("regulation date"),
    "regulation_issuer": _l("issued by"),
    "regulation_title": _l("regulation title"),
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
        # results: a value's review
        "submitted": _l("awaiting review"),
        "approved": _l("approved"),
        "rejected": _l("rejected"),
    },
    "priority": {"high": _l("high"), "normal": _l("normal"), "low": _l("low")},
    "direction": {"increase": _l("increase"), "decrease": _l("decrease")},
    # results
    "verdict": {"met": _l("met"), "not_met": _l("not met"), "inconclusive": _l("inconclusive")},
    "others": {"not_selected": _l("closed as not selected"), "extend": _l("continue piloting")},
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
    if entry.object_type == "evidence" and after.get("sha256"):
        name = f"{name} (SHA-256 {after['sha256']})"  # a file stays identifiable by content
    changes = []
    if entry.action == "unit_merged":
        name = f"{before.get('unit', '')} → {after.get('unit', '')}"
    if entry.action in CHANGE_ACTIONS:
        for key, new in after.items():
            if key in NAMING_FIELDS and key not in before:
                continue  # names the object (shown after the headline), not a change
            label = FIELD_LABELS.get(key, key.replace("_", " "))
            changes.append(f"{label}: {_show(key, before.get(key))} → {_show(key, new)}")
    return {"headline": headline, "name": name, "changes": changes}


def _show(key: str, value) -> str:
    if value is None or value == "":
        return "—"
    labels = VALUE_LABELS.get(key) or {}
    return str(labels.get(value, value))
