"""Authority over the unit tree, shared by every feature: who is an admin, who heads what.

Each feature keeps its own rules of who may do what (pilots/permissions.py,
rollout/permissions.py, …) on top of these; this module imports no feature.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from pilotmgr.core.errors import PermissionDenied


def is_admin(user) -> bool:
    return user is not None and bool(getattr(user, "is_admin", False))


def in_subtree(unit, root) -> bool:
    """Whether `unit` is `root` or lies below it (units carry their path from the top)."""
    return unit.path.startswith(root.path)


def has_authority(user, unit) -> bool:
    """A head's authority covers their unit and every unit below it; an admin's, everything."""
    if is_admin(user):
        return True
    return bool(getattr(user, "is_head", False)) and in_subtree(unit, user.unit)


def require(condition: bool, detail: str = "") -> None:
    if not condition:
        raise PermissionDenied(detail or str(_l("You are not allowed to do this.")))
