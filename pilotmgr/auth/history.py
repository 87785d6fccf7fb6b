"""An account's history in words: what happened to it, and what changed from what."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from pilotmgr.auth.forms import LANGUAGE_NAMES
from pilotmgr.auth.models import ROLE_LABELS

ACTION_LABELS = {
    "create": _l("Account created"),
    "update": _l("Account changed"),
    "deactivate": _l("Account deactivated"),
    "reactivate": _l("Account reactivated"),
    "password_reset": _l("Temporary password set by an administrator"),
    "password_changed": _l("Password changed by its owner"),
    "unit_merged": _l("Moved to the unit its unit was merged into"),
}
FIELD_LABELS = {
    "name": _l("full name"),
    "role": _l("role"),
    "unit": _l("unit"),
    "lang": _l("language"),
    "active": _l("status"),
    "email": _l("e-mail"),
}


def describe_account_entry(entry, unit_names: dict | None = None) -> dict:
    """A headline and the list of "field: before → after" changes of one history entry;
    units (recorded by code) are named from `unit_names` (code → name)."""
    names = unit_names or {}
    headline = str(ACTION_LABELS.get(entry.action, _l("Account changed")))
    before, after = entry.before or {}, entry.after or {}
    changes = []
    if entry.action in ("update", "unit_merged"):
        for key, new in after.items():
            if key not in FIELD_LABELS:
                continue
            old = _show(key, before.get(key), names)
            changes.append(f"{FIELD_LABELS[key]}: {old} → {_show(key, new, names)}")
    elif entry.action == "create":
        changes = [
            f"{FIELD_LABELS[k]}: {_show(k, after[k], names)}"
            for k in ("role", "unit")
            if k in after
        ]
    return {"headline": headline, "changes": changes}


def _show(key: str, value, unit_names: dict) -> str:
    if value is None or value == "":
        return "—"
    if key == "unit":
        return unit_names.get(value, value)
    if key == "role":
        return str(ROLE_LABELS.get(value, value))
    if key == "lang":
        return LANGUAGE_NAMES.get(value, value)
    if key == "active":
        return str(_l("active") if value else _l("deactivated"))
    return str(value)
