"""Reminders are rows: planned once under a natural key, claimed once, delivered once."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, SmallInteger, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from pilotmgr.core.models import UTCDateTime, utcnow
from pilotmgr.extensions import db
from pilotmgr.notices.rules import DEFAULT_RULES, days_text

REMINDER_KINDS = ("before", "due", "overdue", "escalation", "pilot_end", "decision")
EMAIL_MODES = ("single", "digest", "off")


class Reminder(db.Model):
    """One reminder to one person about one deadline step; `key` makes it happen once."""

    __tablename__ = "reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: subject:id:kind:deadline:step:recipient — a changed deadline gives new keys (re-plans).
    key: Mapped[str] = mapped_column(String(160), unique=True, nullable=False)
    subject_type: Mapped[str] = mapped_column(String(16), nullable=False)
    subject_id: Mapped[int] = mapped_column(nullable=False)
    pilot_id: Mapped[int | None] = mapped_column(ForeignKey("pilots.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    step: Mapped[str] = mapped_column(String(16), nullable=False)
    deadline: Mapped[date] = mapped_column(Date, nullable=False)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    #: A scan records only what is due, as "sent" under its batch token: the unique key lets
    #: one scan alone insert a reminder, so only that scan writes its channels.
    status: Mapped[str] = mapped_column(String(8), nullable=False, default="sent")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: The scan that claimed it: its channels are written from the rows carrying this token.
    batch: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)


class Notification(db.Model):
    """What a user sees in the app: a reminder's in-app channel, or an event (see events.py).

    The text is composed when shown, in the reader's language of the day: from the reminder,
    or from the event's kind and the facts it recorded (`params`).
    """

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_read", "user_id", "read_at"),
        # Only the few waiting for a digest are indexed (most notifications never are).
        Index(
            "ix_notifications_digest_due",
            "user_id",
            postgresql_where=text("digest_due"),
            sqlite_where=text("digest_due"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    reminder_id: Mapped[int | None] = mapped_column(
        ForeignKey("reminders.id"), nullable=True, unique=True
    )
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    #: An event's cause and recipient ("submitted:history-12:7"): each event reaches each person once.
    key: Mapped[str | None] = mapped_column(String(200), nullable=True, unique=True)
    pilot_id: Mapped[int | None] = mapped_column(ForeignKey("pilots.id"), nullable=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    #: The facts the text is made from, as they were when it happened (titles, names, comment).
    params: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    #: Where the event is seen, a path on this site ("/pilots/12#task-5").
    url: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: Waits for its reader's next daily digest (set when made for a digest reader; the digest
    #: that carries it clears it), so each goes out in exactly one digest, whatever the day.
    digest_due: Mapped[bool] = mapped_column(nullable=False, default=False, server_default="0")


#: Why a mail is sent, and so which setting its one-click unsubscribe switches off.
MAIL_CATEGORIES = ("notices", "leader_digest")


class OutboxMail(db.Model):
    """An e-mail queued in the same transaction as its cause, sent after the commit."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    #: A reminder's mail is composed when sent (empty texts here); a digest carries its texts.
    reminder_id: Mapped[int | None] = mapped_column(ForeignKey("reminders.id"), nullable=True)
    to_addr: Mapped[str] = mapped_column(String(255), nullable=False)
    subject: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    text_body: Mapped[str] = mapped_column(Text, nullable=False, default="")
    html_body: Mapped[str] = mapped_column(Text, nullable=False, default="")
    #: The mail's natural key (per reminder, event, digest day or week): one row each. The
    #: Message-ID header is made from it, the installation's domain and `message_token`.
    message_id: Mapped[str] = mapped_column(String(255), unique=True, nullable=False)
    #: The random part of the Message-ID, drawn before the first attempt: a retry keeps it.
    message_token: Mapped[str | None] = mapped_column(String(32), nullable=True)
    #: notices (reminders, events, daily digest) or leader_digest; see MAIL_CATEGORIES.
    category: Mapped[str] = mapped_column(
        String(16), nullable=False, default="notices", server_default="notices"
    )
    #: pending → sending → sent; a temporary failure goes back to pending with a later
    #: next_attempt_at; a permanent one (cannot be built, refused with 5xx) ends as failed.
    status: Mapped[str] = mapped_column(String(8), nullable=False, default="pending")
    attempts: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0)
    last_error: Mapped[str] = mapped_column(Text, nullable=False, default="")
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class CalendarDay(db.Model):
    """An admin's exception to the national calendar: an extra day off or a make-up working day."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    working: Mapped[bool] = mapped_column(nullable=False)
    note: Mapped[str] = mapped_column(String(255), nullable=False, default="")


class ReminderRule(db.Model):
    """A programme's reminder rules; programmes without a row use the defaults (DEFAULT_RULES,
    which the columns' defaults also come from)."""

    __tablename__ = "reminder_rules"

    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), primary_key=True)
    #: Working days before a task's due date, comma-separated, e.g. "7,3,1".
    before_days: Mapped[str] = mapped_column(
        String(64), nullable=False, default=days_text(DEFAULT_RULES.before_days)
    )
    overdue_every: Mapped[int] = mapped_column(
        SmallInteger, nullable=False, default=DEFAULT_RULES.overdue_every
    )
    escalate_after: Mapped[int] = mapped_column(
        SmallInteger, nullable=False, default=DEFAULT_RULES.escalate_after
    )
    pilot_end_days: Mapped[str] = mapped_column(
        String(64), nullable=False, default=days_text(DEFAULT_RULES.pilot_end_days)
    )
    decision_after: Mapped[int] = mapped_column(
        SmallInteger, nullable=False, default=DEFAULT_RULES.decision_after
    )


class ReminderState(db.Model):
    """The latest step recorded for each deadline subject, so a scan skips what it has sent.

    Only a shortcut: a scan compares one row per deadline instead of building its keys, and
    the reminders' unique key still decides that each reminder is recorded once.
    """

    __tablename__ = "reminder_states"
    # SQLite: the primary key is the table's own order, so a lookup is one search.
    __table_args__ = {"sqlite_with_rowid": False}

    subject_type: Mapped[str] = mapped_column(String(16), primary_key=True)
    subject_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    #: The deadline the step below belongs to; a changed deadline starts its chain again.
    deadline: Mapped[date] = mapped_column(Date, nullable=False)
    #: The latest chain step recorded for that deadline (b7, b3, b1, due, o1, o2, …).
    step: Mapped[str] = mapped_column(String(16), nullable=False)
    recipient_id: Mapped[int] = mapped_column(nullable=False)
    #: The deadline whose escalation was recorded; none yet for the current one when it differs.
    escalated_deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
