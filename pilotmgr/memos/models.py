"""Issued decision memos (tờ trình): frozen bytes, their numbers, and the decisions they led to."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from pilotmgr.auth.models import User
from pilotmgr.core.models import TimestampMixin, UTCDateTime, utcnow
from pilotmgr.extensions import db
from pilotmgr.units.models import Unit

MEMO_KINDS = ("pilot_approval", "selection", "rollout")
MEMO_LANGS = ("vi", "en")
DECISION_OUTCOMES = ("approve", "approve_with_conditions", "reject")


class MemoCounter(db.Model):
    """The last memo number an issuing unit gave in a year; bumped under a row lock."""

    __tablename__ = "memo_counters"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class Memo(db.Model):
    """One issued memo. Nothing on it changes after it is inserted."""

    __tablename__ = "memos"
    __table_args__ = (UniqueConstraint("unit_id", "year", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    lang: Mapped[str] = mapped_column(String(2), nullable=False)
    #: The issuing unit, whose yearly sequence gave the number.
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    sequence: Mapped[int] = mapped_column(Integer, nullable=False)
    #: As printed: "12/TTr-BN".
    number: Mapped[str] = mapped_column(String(80), nullable=False)
    title: Mapped[str] = mapped_column(String(500), nullable=False)
    issued_on: Mapped[date] = mapped_column(Date, nullable=False)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    #: SHA-256 of the PDF bytes, hex: what a downloaded file is checked against.
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    #: SHA-256 of the canonical JSON snapshot, hex: printed in the QR code on the memo itself.
    content_sha256: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    #: The data the memo was rendered from, exactly as frozen at issue.
    snapshot: Mapped[dict] = mapped_column(JSON, nullable=False)
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    #: The memo this one re-issues with the head's decision filled in.
    reissue_of_id: Mapped[int | None] = mapped_column(ForeignKey("memos.id"), nullable=True)

    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)
    issued_by: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class Decision(TimestampMixin, db.Model):
    """A head's decision on a pilot's transition, with the memo it answered."""

    __tablename__ = "memo_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), nullable=False, index=True)
    memo_id: Mapped[int | None] = mapped_column(ForeignKey("memos.id"), nullable=True, index=True)
    #: approve, approve_with_conditions or reject.
    outcome: Mapped[str] = mapped_column(String(24), nullable=False)
    #: The stage the pilot moved to.
    to_stage: Mapped[str] = mapped_column(String(16), nullable=False)
    decision_number: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    decided_on: Mapped[date] = mapped_column(Date, nullable=False)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    comment: Mapped[str] = mapped_column(Text, nullable=False, default="")
    #: [{"text", "assignee", "due_date", "task_id"}]: each condition became a task.
    conditions: Mapped[list] = mapped_column(JSON, nullable=False, default=list)

    decided_by: Mapped[User] = relationship(lazy="joined", innerjoin=True)


@event.listens_for(Memo, "before_update")
def _refuse_update(_mapper, _conn, target):
    raise RuntimeError("issued memos never change")


@event.listens_for(Memo, "before_delete")
def _refuse_delete(_mapper, _conn, target):
    raise RuntimeError("issued memos are kept")
