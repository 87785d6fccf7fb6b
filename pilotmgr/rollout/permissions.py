"""Who may plan a rollout.

Who sees and updates one target (and its files) is decided with the pilot's visibility, in
`pilotmgr.pilots.permissions`, so that the evidence files below the rollout can ask it too.
"""

from __future__ import annotations

from pilotmgr.core.authority import has_authority
from pilotmgr.pilots.stages import Stage


def can_plan_rollout(user, pilot) -> bool:
    """The owner and heads with authority draw up the rollout plan while it can still change."""
    if pilot.stage not in (Stage.selected, Stage.rolling_out):
        return False
    return pilot.owner_id == user.id or has_authority(user, pilot.unit)
