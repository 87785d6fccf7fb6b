"""Evidence files: listed, served privately and retracted (they are stored by `pilots.files`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from pilotmgr.core import audit
from pilotmgr.core import validate as v
from pilotmgr.core.authority import require
from pilotmgr.core.clock import now
from pilotmgr.core.errors import Conflict, NotFound, ValidationFailed
from pilotmgr.core.storage import file_store
from pilotmgr.extensions import db
from pilotmgr.pilots.files import save_file
from pilotmgr.pilots.lifecycle import FINISHED
from pilotmgr.pilots.permissions import (
    can_edit_pilot,
    can_update_target,
    can_view_pilot,
    can_view_target,
)
from pilotmgr.results.models import Evidence, Measurement
from pilotmgr.results.service import can_record


def _upload(value):
    """An uploaded file (a multipart part with a file name); its content is checked later."""
    if not getattr(value, "filename", "") or not hasattr(value, "read"):
        raise ValueError(_l("Choose a file."))
    return value


def _value_number(value) -> int:
    number = v.row_id(value) if isinstance(value, str | int) else None
    if number is None:
        raise ValueError(_l("No such value of this pilot."))
    return number


class EvidenceInput(v.Input):
    """A file backing the pilot's results (multipart), what it shows, the value it backs."""

    file = v.custom(
        _upload,
        {"type": "string", "format": "binary"},
        required=True,
        error_messages={"required": _l("Choose a file."), "null": _l("Choose a file.")},
    )
    note = v.prose(2000)
    # Sent as text in a multipart body: a whole number, read as forms are.
    measurement_id = v.custom(
        _value_number, {"type": "integer", "minimum": 1, "maximum": v.MAX_ROW_ID}
    )


class RetractionInput(v.Input):
    reason = v.prose(2000, required=True)


def add_evidence(actor, pilot, file, note: str = "", measurement_id=None) -> Evidence:
    require(can_record(actor, pilot), str(_l("You may not add evidence to this pilot.")))
    values = v.parse({"file": file, "note": note, "measurement_id": measurement_id}, EvidenceInput)
    measurement = None
    if values["measurement_id"] is not None:
        measurement = db.session.get(Measurement, values["measurement_id"])
        if measurement is None or measurement.kpi_id not in {k.id for k in pilot.kpis}:
            raise ValidationFailed({"measurement_id": [str(_l("No such value of this pilot."))]})
    return save_file(
        actor,
        pilot,
        values["file"],
        values["note"] or "",
        measurement_id=measurement.id if measurement else None,
    )


def evidence_for(pilot) -> list[Evidence]:
    """The files behind the pilot's results (its own and its tasks' products), oldest first.

    Retracted files are listed too (struck through, with who, when and why); files of a
    rollout target, the regulation and the discussion are shown where they belong.
    """
    return list(
        db.session.scalars(
            select(Evidence)
            .where(
                Evidence.pilot_id == pilot.id,
                Evidence.rollout_target_id.is_(None),
                Evidence.comment_id.is_(None),
                Evidence.purpose == "",
            )
            .order_by(Evidence.id)
        )
    )


def find_evidence(user, evidence_id) -> tuple[Evidence, object]:
    """A file and its pilot, if `user` may see the pilot; else NotFound."""
    from pilotmgr.core.validate import row_id
    from pilotmgr.pilots.models import Pilot

    number = row_id(evidence_id)
    found = db.session.get(Evidence, number) if number else None
    pilot = db.session.get(Pilot, found.pilot_id) if found else None
    if pilot is None or not can_view_pilot(user, pilot):
        raise NotFound()
    if found.rollout_target_id is not None:
        # A target's file belongs to that target: another target unit of the pilot sees the
        # pilot, not this file.
        from pilotmgr.rollout.models import RolloutTarget

        target = db.session.get(RolloutTarget, found.rollout_target_id)
        if target is None or not can_view_target(user, target):
            raise NotFound()
    return found, pilot


def get_evidence(user, evidence_id) -> tuple[Evidence, bytes]:
    """A file to download with its bytes: a retracted or missing one is not offered."""
    found, _pilot = find_evidence(user, evidence_id)
    if found.retracted_at is not None:
        raise NotFound()
    data = file_store().get(found.stored_name)
    if data is None:
        raise NotFound(
            str(
                _l(
                    "This file's content was already missing when files moved into the "
                    "database; its name and fingerprint stay on record."
                )
            )
        )
    return found, data


#: Once a pilot is scaled or closed its record is final: nothing is retracted any more.
FINAL_STAGES = FINISHED


def can_retract(user, found: Evidence, pilot) -> bool:
    """Its uploader, the pilot's editors, and for a target's file those who update the target."""
    if found.retracted_at is not None or pilot.stage in FINAL_STAGES:
        return False
    if found.uploaded_by_id == user.id or can_edit_pilot(user, pilot):
        return True
    if found.rollout_target_id is not None:
        from pilotmgr.rollout.models import RolloutTarget

        target = db.session.get(RolloutTarget, found.rollout_target_id)
        return target is not None and can_update_target(user, target)
    return False


def check_retractable(user, found: Evidence, pilot) -> None:
    """Raise why `user` cannot retract this file (already retracted, final, not theirs)."""
    if found.retracted_at is not None:
        raise Conflict(str(_l("This file was already retracted.")))
    if pilot.stage in FINAL_STAGES:
        raise Conflict(
            str(_l("The pilot's record is final: its files can no longer be retracted."))
        )
    require(can_retract(user, found, pilot), str(_l("You may not retract this file.")))


def retract_evidence(actor, found: Evidence, pilot, data) -> Evidence:
    """Take back a file uploaded by mistake, with a reason: it is no longer offered or counted.

    The row and the file stay (the history names it with its SHA-256), so what was once
    attached can still be accounted for.
    """
    if found.retracted_at is not None:
        raise Conflict(str(_l("This file was already retracted.")))
    if pilot.stage in FINAL_STAGES:
        raise Conflict(
            str(_l("The pilot's record is final: its files can no longer be retracted."))
        )
    require(can_retract(actor, found, pilot), str(_l("You may not retract this file.")))
    reason = v.parse(data, RetractionInput)["reason"]
    found.retracted_at, found.retracted_by_id = now(), actor.id
    found.retraction_reason = reason
    db.session.flush()
    audit.record(
        actor=actor,
        obj=found,
        action="retract",
        pilot_id=pilot.id,
        after={"name": found.filename, "sha256": found.sha256},
        comment=reason,
        unit_code=pilot.unit.code,
    )
    return found
