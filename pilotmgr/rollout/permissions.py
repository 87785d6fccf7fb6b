"""Who may plan a rollout and act on its targets."""

from __future__ import annotations

from pilotmgr.auth.models import Role
from pilotmgr.core.authority import has_authority, in_subtree
from pilotmgr.pilots.permissions import sees_pilot_itself
from pilotmgr.pilots.stages import Stage


def can_view_target(user, target) -> bool:
    """One target's page and files: its unit (and the units above it), its responsible person,
    and whoever sees the pilot itself. Another target unit of the same pilot sees the board's
    summary row, not this target's page, notes history or evidence."""
    if target.responsible_id == user.id or in_subtree(target.unit, user.unit):
        return True
    return sees_pilot_itself(user, target.pilot)


def can_plan_rollout(user, pilot) -> bool:
    """The owner and heads with authority draw up the rollout plan while it can still change."""
    if pilot.stage not in (Stage.selected, Stage.rolling_out):
        return False
    return pilot.owner_id == user.id or has_authority(user, pilot.unit)


def can_update_target(user, target) -> bool:
    """Status, note and evidence of one rollout target.

    The target unit acts for itself: its responsible person and the heads of that unit or of a
    unit above it; besides them only heads with authority over the pilot (and admins).
    """
    return target_updater(user, target.pilot)(target.responsible_id, target.unit.path)


def target_updater(user, pilot):
    """can_update_target for many targets of one pilot: a test of (responsible id, unit path)."""
    if pilot.stage not in (Stage.selected, Stage.rolling_out):
        return lambda _responsible_id, _unit_path: False
    if has_authority(user, pilot.unit):
        return lambda _responsible_id, _unit_path: True
    if pilot.stage != Stage.rolling_out:  # target units act once the rollout is approved
        return lambda _responsible_id, _unit_path: False
    head_path = user.unit.path if user.role == Role.head else None

    def check(responsible_id, unit_path: str) -> bool:
        if responsible_id == user.id:
            return True
        return head_path is not None and unit_path.startswith(head_path)

    return check
