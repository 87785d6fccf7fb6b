"""The append-only history: who did what, when, why, with the values before and after."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pilotmgr.core.models import UTCDateTime, utcnow
from pilotmgr.extensions import db


class HistoryEntry(db.Model):
    __tablename__ = "history"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The pilot the entry belongs to, so a pilot's timeline is one indexed query.
    pilot_id: Mapped[int | None] = mapped_column(ForeignKey("pilots.id"), nullable=True, index=True)
    object_type: Mapped[str] = mapped_column(String(32), nullable=False)
    object_id: Mapped[int] = mapped_column(nullable=False)
    #: "create", "update", "transition", "delete" or a feature's own verb.
    action: Mapped[str] = mapped_column(String(32), nullable=False)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, index=True)
    comment: Mapped[str] = mapped_column(Text, nullable=False, default="")
    before: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    after: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    #: The unit the work was done under at the time, kept when units merge later.
    unit_code: Mapped[str] = mapped_column(String(40), nullable=False, default="")

    # By name: core/ imports no feature; the users' table is auth's.
    actor: Mapped[User | None] = relationship("User", lazy="raise")  # noqa: F821


@event.listens_for(HistoryEntry, "before_update")
def _refuse_update(_mapper, _conn, target):
    raise RuntimeError("history entries are append-only")


@event.listens_for(HistoryEntry, "before_delete")
def _refuse_delete(_mapper, _conn, target):
    raise RuntimeError("history entries are append-only")


def jsonable(value):
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def snapshot(obj, fields) -> dict:
    return {name: jsonable(getattr(obj, name)) for name in fields}


def record(
    *,
    actor,
    obj,
    action: str,
    pilot_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    comment: str = "",
    unit_code: str = "",
) -> HistoryEntry:
    """Add a history entry to the session (flushed with the change it describes)."""
    entry = HistoryEntry(
        pilot_id=pilot_id,
        object_type=type(obj).__name__.lower(),
        object_id=obj.id,
        action=action,
        actor_id=actor.id if actor is not None else None,
        comment=comment or "",
        before={k: jsonable(v) for k, v in (before or {}).items()},
        after={k: jsonable(v) for k, v in (after or {}).items()},
        unit_code=unit_code,
    )
    db.session.add(entry)
    return entry


def record_changes(
    *, actor, obj, before: dict, after: dict, pilot_id: int | None, unit_code: str, comment=""
) -> set[str]:
    """Flush an edit and record the fields it changed (nothing when none did); returns them."""
    changed = {k for k in after if after[k] != before.get(k)}
    db.session.flush()
    if changed:
        record(
            actor=actor,
            obj=obj,
            action="update",
            pilot_id=pilot_id,
            before={k: before.get(k) for k in changed},
            after={k: after[k] for k in changed},
            comment=comment,
            unit_code=unit_code,
        )
    return changed
