"""Words of the exports and the import template, in the reader's language; codes stay codes.

A coded value (a stage, a status, a priority, a direction) goes into a file twice: its label
for people, then the code itself, in a column of its own for machines.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from pilotmgr.core.text import fold
from pilotmgr.pilots.lifecycle import OUTCOME_LABELS, STAGE_LABELS

TASK_STATUS = {
    "todo": _l("to do"),
    "in_progress": _l("in progress"),
    "done": _l("done"),
    "cancelled": _l("cancelled"),
}
PRIORITY = {"high": _l("high"), "normal": _l("normal"), "low": _l("low")}
DIRECTION = {"increase": _l("increase"), "decrease": _l("decrease")}
MEASUREMENT_STATUS = {
    "submitted": _l("awaiting review"),
    "approved": _l("approved"),
    "rejected": _l("rejected"),
}
TARGET_STATUS = {
    "planned": _l("planned"),
    "in_progress": _l("in progress"),
    "done": _l("done"),
    "blocked": _l("blocked"),
}
RANKED_BY = {"unit": _l("By unit"), "owner": _l("By person")}
STAGE, OUTCOME = STAGE_LABELS, OUTCOME_LABELS
#: The header of the code column beside each labelled column.
CODE_HEADERS = {
    id(STAGE): _l("Stage code"),
    id(OUTCOME): _l("Outcome code"),
    id(TASK_STATUS): _l("Status code"),
    id(TARGET_STATUS): _l("Status code"),
    id(PRIORITY): _l("Priority code"),
    id(DIRECTION): _l("Direction code"),
    id(MEASUREMENT_STATUS): _l("Measurement status code"),
    id(RANKED_BY): _l("Ranking code"),
}
SHEET_TITLES = {
    "pilots": _l("Pilots"),
    "tasks": _l("Tasks"),
    "kpis": _l("KPIs"),
    "rollout-targets": _l("Rollout targets"),
    "scoreboard": _l("Scoreboard"),
    "import": _l("Pilots"),
}

#: The import template's columns (their codes, as COLUMNS in sheets.py) and their headers.
IMPORT_HEADERS = {
    "reference": _l("Reference"),
    "kind": _l("Row kind"),
    "title": _l("Title"),
    "unit": _l("Unit code"),
    "owner": _l("Owner e-mail"),
    "start_date": _l("Start date"),
    "end_date": _l("End date"),
    "summary": _l("Summary"),
    "partner": _l("Partner"),
    "budget": _l("Budget"),
    "kpi_unit": _l("Unit of measure"),
    "baseline": _l("Baseline"),
    "target": _l("Target"),
    "direction": _l("Direction"),
    "assignee": _l("Assignee e-mail"),
    "due_date": _l("Due date"),
    "deliverable": _l("Deliverable"),
    "priority": _l("Priority"),
}
#: What the kind column says of each row, as people write it.
ROW_KINDS = {"pilot": _l("pilot"), "kpi": _l("KPI"), "task": _l("task")}
LANGUAGES = ("vi", "en")


def cap(text) -> str:
    """A cell's text with a capital first letter ("đang làm" → "Đang làm")."""
    text = str(text)
    return text[:1].upper() + text[1:]


def code_header(labels: dict) -> str:
    return cap(CODE_HEADERS[id(labels)])


_written: dict[int, dict[str, str]] = {}


def in_every_language(labels: dict) -> dict[str, str]:
    """Folded label (in each language) or code → code: how people may write a coded value."""
    found = _written.get(id(labels))
    if found is None:
        found = {fold(code): code for code in labels}
        for lang in LANGUAGES:
            with force_locale(lang):
                found.update({fold(str(text)): code for code, text in labels.items()})
        _written[id(labels)] = found
    return found
