"""Who may see and change a pilot and its tasks: one layer for the web UI and the API alike."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, or_, select

from pilotmgr.auth.models import Role
from pilotmgr.core.authority import has_authority, in_subtree, is_admin
from pilotmgr.core.errors import NotFound
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Pilot, Task
from pilotmgr.pilots.stages import Stage
from pilotmgr.rollout.models import RolloutTarget
from pilotmgr.units.models import Unit, subtree_ids


def visible_pilots_clause(user):
    """SQL condition: pilots `user` may see (their unit's subtree, their own, their tasks)."""

    if is_admin(user):
        return None
    # Uncorrelated subqueries: each is computed once from an index, instead of an EXISTS
    # probed for every pilot (which made a staff member's list scan every task).
    return or_(
        Pilot.unit_id.in_(subtree_ids(user.unit)),
        Pilot.owner_id == user.id,
        Pilot.id.in_(select(Task.pilot_id).where(Task.assignee_id == user.id)),
        *_rollout_clauses(user),
    )


def _rollout_clauses(user):
    """Pilots rolled out to the user's unit (or below it), or with a target they answer for."""

    # Two indexed lookups side by side, like the terms above, so the planner keeps its indexes.
    return (
        Pilot.id.in_(select(RolloutTarget.pilot_id).where(RolloutTarget.responsible_id == user.id)),
        Pilot.id.in_(
            select(RolloutTarget.pilot_id).where(RolloutTarget.unit_id.in_(subtree_ids(user.unit)))
        ),
    )


def sees_pilot_itself(user, pilot) -> bool:
    """Admins, the owner, the pilot's unit and those above it, and its tasks' assignees."""

    if is_admin(user) or pilot.owner_id == user.id or in_subtree(pilot.unit, user.unit):
        return True
    return bool(
        db.session.scalar(
            select(exists().where(Task.pilot_id == pilot.id, Task.assignee_id == user.id))
        )
    )


def can_view_pilot(user, pilot) -> bool:

    if sees_pilot_itself(user, pilot):
        return True
    # A target unit sees the pilot it must roll out: its guide, formula and its own target.
    return db.session.scalar(
        select(
            exists().where(
                RolloutTarget.pilot_id == pilot.id,
                or_(
                    RolloutTarget.responsible_id == user.id,
                    RolloutTarget.unit_id.in_(subtree_ids(user.unit)),
                ),
            )
        )
    )


def can_edit_pilot(user, pilot) -> bool:
    """The owner and heads with authority may edit a pilot until it is scaled or closed."""
    if pilot.stage in (Stage.scaled, Stage.closed):
        return False
    return pilot.owner_id == user.id or has_authority(user, pilot.unit)


def can_create_pilot(user, unit: Unit) -> bool:
    if is_admin(user):
        return True
    return user.role in (Role.head, Role.lead) and in_subtree(unit, user.unit)


def can_update_task(user, task, pilot) -> bool:
    return task.assignee_id == user.id or can_edit_pilot(user, pilot)


def can_manage_programmes(user) -> bool:
    return user.role in (Role.admin, Role.head)


def require_visible(user, pilot) -> None:
    """Hide what the user may not see: it answers as if it did not exist."""
    if pilot is None or not can_view_pilot(user, pilot):
        raise NotFound(str(_l("No such pilot.")))


# --- rollout targets ------------------------------------------------------------------


def can_view_target(user, target) -> bool:
    """One target's page and files: its unit (and the units above it), its responsible person,
    and whoever sees the pilot itself. Another target unit of the same pilot sees the board's
    summary row, not this target's page, notes history or evidence."""
    if target.responsible_id == user.id or in_subtree(target.unit, user.unit):
        return True
    return sees_pilot_itself(user, target.pilot)


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
