"""Ticked targets of the rollout board, updated together: one status, one note, one entry."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from pilotmgr.core import validate as v
from pilotmgr.core.authority import has_authority, require
from pilotmgr.core.errors import ValidationFailed
from pilotmgr.core.text import fold
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Pilot
from pilotmgr.pilots.permissions import target_updater
from pilotmgr.rollout.models import TARGET_STATUSES, RolloutTarget
from pilotmgr.rollout.service import record_status, set_status


def _target_ids(value) -> list[tuple[int, int | None]]:
    """Ticked targets: ids, or {"id", "version"} objects, or "id:version" strings."""
    if v.json_types():
        # JSON: a list of ids or {"id", "version"} objects, numbers as JSON numbers.
        if not isinstance(value, list) or not all(map(_json_target, value)):
            raise ValueError(_l("Tick the targets to update."))
    elif isinstance(value, str | int) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list | tuple):
        raise ValueError(_l("Tick the targets to update."))
    found = []
    for item in value:
        version = None
        if isinstance(item, dict):
            item, version = item.get("id"), item.get("version")
        elif isinstance(item, str) and ":" in item:
            item, version = item.split(":", 1)
        number = v.row_id(item)
        if number is None or (version is not None and v.row_id(version) is None):
            raise ValueError(_l("Tick the targets to update."))
        found.append((number, int(version) if version is not None else None))
    return list(dict.fromkeys(found))


def _json_number(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _json_target(item) -> bool:
    if isinstance(item, dict):
        version = item.get("version")
        return _json_number(item.get("id")) and (version is None or _json_number(version))
    return _json_number(item)


class BulkInput(v.Input):
    """The ticked targets (ids, or {id, version}), one status, one note (the reason when
    blocking)."""

    targets = v.custom(
        _target_ids,
        {
            "type": "array",
            "items": {
                "oneOf": [
                    {"type": "integer", "minimum": 1, "maximum": v.MAX_ROW_ID},
                    {
                        "type": "object",
                        "properties": {
                            "id": {"type": "integer", "minimum": 1, "maximum": v.MAX_ROW_ID},
                            "version": {
                                "type": ["integer", "null"],
                                "minimum": 1,
                                "maximum": v.MAX_ROW_ID,
                            },
                        },
                        "required": ["id"],
                    },
                ]
            },
        },
        required=True,
    )
    status = v.choice(TARGET_STATUSES, required=True)
    note = v.prose(10_000)


def bulk_update(actor, pilot: Pilot, data: Mapping) -> list[RolloutTarget]:
    """One status and one note for the ticked targets of a pilot: all of them, or none.

    Each target is checked as if updated alone; if any is refused, the answer names each
    refused unit and why, and nothing changes. The note is the reason when blocking.
    Returns the targets that changed (one history entry names all of them).
    """
    values = v.parse(data, BulkInput)
    status, note = values["status"], (values["note"] or "").strip()
    wanted = values["targets"]
    rows = db.session.scalars(
        select(RolloutTarget).where(
            RolloutTarget.pilot_id == pilot.id,
            RolloutTarget.id.in_([i for i, _v in wanted]),
        )
    ).unique()
    found = {t.id: t for t in rows}
    may = target_updater(actor, pilot)
    require(
        any(may(t.responsible_id, t.unit.path) for t in found.values()),
        str(_l("Only the target units and heads over the pilot may update these targets.")),
    )
    head = has_authority(actor, pilot.unit)
    refused = []
    for target_id, version in wanted:
        target = found.get(target_id)
        why = _bulk_refusal(target, version, status, may, head, pilot)
        if why:
            name = target.unit.name if target is not None else f"#{target_id}"
            refused.append(f"{name}: {why}")
    if refused:
        raise ValidationFailed({"targets": refused})
    if status == "blocked" and not note:
        raise ValidationFailed({"note": [str(_l("Say why the targets are blocked."))]})
    changed = []
    for target_id, _version in wanted:
        target = found[target_id]
        if target.status == status and (not note or note == _current_note(target)):
            continue
        set_status(target, status, note)
        if note and status != "blocked":
            target.note = note
        changed.append(target)
    db.session.flush()
    if changed:
        ordered = sorted(changed, key=lambda t: (fold(t.unit.name), t.id))
        record_status(actor, pilot, ordered, status, note)
    return changed


def _current_note(target: RolloutTarget) -> str:
    return target.blocked_reason if target.status == "blocked" else target.note


def _bulk_refusal(target, version, status, may, head, pilot) -> str | None:
    if target is None:
        return str(_l("not a target of this pilot."))
    if not may(target.responsible_id, target.unit.path):
        return str(_l("only its unit and heads over the pilot may update it."))
    if version is not None and version != target.version:
        return str(_l("someone else changed it in the meantime; reload the board."))
    if status != target.status and target.wave > pilot.rollout_open_wave and not head:
        return str(
            _l(
                "its wave %(wave)s is not open yet (open: up to wave %(open)s).",
                wave=target.wave,
                open=pilot.rollout_open_wave,
            )
        )
    return None
