"""What administrators do to accounts: edit, deactivate and reactivate, reset a password.

Every change is on record (history entries without a pilot, `object_type` "user"); nothing
here ever records a password or its hash.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from pilotmgr.auth.models import LANGS, ROLES, ApiToken, Role, User
from pilotmgr.auth.service import _find_unit, check_password_strength
from pilotmgr.core import audit
from pilotmgr.core import validate as v
from pilotmgr.core.authority import is_admin, require
from pilotmgr.core.errors import ValidationFailed, check_version
from pilotmgr.extensions import db
from pilotmgr.pilots.stages import FINISHED
from pilotmgr.units.models import Unit

ONLY_ADMINS = _l("Only administrators manage users.")


def account_snapshot(user: User, unit: Unit | None = None) -> dict:
    """The account's recorded facts; the unit by its code, as history keeps it after merges."""
    unit = unit or db.session.get(Unit, user.unit_id)
    return {
        "name": user.name,
        "role": user.role,
        "unit": unit.code,
        "lang": user.lang,
        "active": user.is_active_account,
    }


class UserChanges(v.Input):
    """A change to an account: any of these, with the version read."""

    name = v.text(255, required=True)
    role = v.choice(ROLES, required=True)
    unit = v.lookup(_find_unit, _l("No such unit."), required=True)
    lang = v.choice(LANGS, required=True)
    active = v.boolean(required=True)
    version = v.version()


def update_user(actor, user: User, data: Mapping) -> User:
    """Change name, role, unit, language and (API) whether the account is active."""
    require(is_admin(actor), str(ONLY_ADMINS))
    values = v.parse(data, UserChanges, partial=True)
    check_version(user, values["version"])
    _refuse_own_lockout(actor, user, values.get("role"), values.get("active"))
    before = account_snapshot(user)
    for key in ("name", "role", "lang"):
        if key in values:
            setattr(user, key, values[key])
    unit = values.get("unit") or db.session.get(Unit, user.unit_id)
    user.unit_id = unit.id
    active = values.get("active", user.is_active_account)
    if active != user.is_active_account:
        _switch(user, active)
    after = account_snapshot(user, unit)
    audit.record_changes(
        actor=actor, obj=user, before=before, after=after, pilot_id=None, unit_code=unit.code
    )
    db.session.refresh(user, ["unit"])
    return user


def set_active(actor, user: User, active: bool, data: Mapping) -> User:
    """Deactivate (no sign-in, open sessions end, API tokens revoked) or reactivate an account."""
    require(is_admin(actor), str(ONLY_ADMINS))
    values = v.parse(data, {"reason": v.prose(2000)})
    check_version(user, data.get("version"))
    _refuse_own_lockout(actor, user, None, active)
    if user.is_active_account == active:
        return user
    revoked = _switch(user, active)
    db.session.flush()
    audit.record(
        actor=actor,
        obj=user,
        action="reactivate" if active else "deactivate",
        before={"active": not active},
        after={"active": active} | ({"tokens_revoked": revoked} if revoked else {}),
        comment=values["reason"] or "",
        unit_code=db.session.get(Unit, user.unit_id).code,
    )
    return user


def _switch(user: User, active: bool) -> int:
    """Flip the account; deactivating also revokes its API tokens (so reactivating does not
    bring old ones back). Returns how many tokens were revoked."""
    user.is_active_account = active
    if active:
        return 0
    result = db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    return result.rowcount or 0


def _refuse_own_lockout(actor, user: User, role, active) -> None:
    """An administrator cannot lock themself out: someone must be left to undo it."""
    if actor is None or actor.id != user.id:
        return
    if role is not None and role != Role.admin:
        raise ValidationFailed(
            {"role": [str(_l("You cannot take away your own administrator role."))]}
        )
    if active is False:
        raise ValidationFailed({"active": [str(_l("You cannot deactivate your own account."))]})


def reset_password(actor, user: User, data: Mapping) -> User:
    """Give the account a temporary password; its owner must choose a new one at sign-in."""
    from pilotmgr.notices.events import notify

    require(is_admin(actor), str(ONLY_ADMINS))
    values = v.parse(data, {"password": v.secret(required=True)})
    if actor is not None and actor.id == user.id:
        raise ValidationFailed({"password": [str(_l("Change your own password under Settings."))]})
    check_password_strength(values["password"])
    user.set_password(values["password"])
    user.must_change_password = True
    db.session.flush()
    entry = audit.record(
        actor=actor,
        obj=user,
        action="password_reset",
        unit_code=db.session.get(Unit, user.unit_id).code,
    )
    db.session.flush()
    notify("password_reset", [user], cause=f"history-{entry.id}", actor=actor, url="/settings")
    return user


def open_work(user: User) -> dict:
    """What still waits on a person: to hand over before (or after) deactivating them."""
    from pilotmgr.pilots.models import OPEN_TASK_STATUSES, Pilot, Task
    from pilotmgr.rollout.models import RolloutTarget

    def count(query) -> int:
        return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0

    return {
        "tasks": count(
            select(Task.id).where(Task.assignee_id == user.id, Task.status.in_(OPEN_TASK_STATUSES))
        ),
        "pilots": count(
            select(Pilot.id).where(Pilot.owner_id == user.id, Pilot.stage.not_in(FINISHED))
        ),
        "targets": count(
            select(RolloutTarget.id).where(
                RolloutTarget.responsible_id == user.id, RolloutTarget.status != "done"
            )
        ),
    }


def account_history(user: User) -> list:
    """The account's own history entries, newest first."""
    from sqlalchemy.orm import joinedload

    return list(
        db.session.scalars(
            select(audit.HistoryEntry)
            .where(
                audit.HistoryEntry.object_type == "user", audit.HistoryEntry.object_id == user.id
            )
            .options(joinedload(audit.HistoryEntry.actor))
            .order_by(audit.HistoryEntry.at.desc(), audit.HistoryEntry.id.desc())
        )
    )
