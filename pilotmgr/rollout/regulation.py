"""The mandatory regulation on a rolled-out pilot, recorded or corrected with its file."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l

from pilotmgr.core import audit
from pilotmgr.core import validate as v
from pilotmgr.core.authority import has_authority, require
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Pilot
from pilotmgr.pilots.stages import Stage
from pilotmgr.pilots.transitions import RegulationInput

REGULATION_AUDITED = (
    "regulation_number",
    "regulation_date",
    "regulation_issuer",
    "regulation_title",
)


def record_regulation(actor, pilot: Pilot, data: Mapping, file=None) -> Pilot:
    """Record (or correct) the regulation that makes the model mandatory, with its file."""
    from pilotmgr.pilots.files import save_file

    require(
        pilot.stage in (Stage.rolling_out, Stage.scaled) and has_authority(actor, pilot.unit),
        str(_l("Only heads with authority record the regulation of a rollout.")),
    )
    values = v.parse(data, RegulationInput)
    before = audit.snapshot(pilot, REGULATION_AUDITED)
    pilot.regulation_number = values["number"]
    pilot.regulation_date = values["date"]
    pilot.regulation_issuer = values["issuer"]
    pilot.regulation_title = values["title"] or ""
    db.session.flush()
    after = audit.snapshot(pilot, REGULATION_AUDITED)
    audit.record(
        actor=actor,
        obj=pilot,
        action="regulation",
        pilot_id=pilot.id,
        before=before,
        after=after,
        unit_code=pilot.unit.code,
    )
    if file is not None and getattr(file, "filename", ""):
        save_file(actor, pilot, file, values["number"], purpose="regulation")
    return pilot
