"""mail integrity: failed mail, Message-ID random part, mail category, digest marks; one-line
fields cleaned of control characters; mail stuck in "sending" queued again

Revision ID: 0014
Revises: 0013
"""

import re
import unicodedata
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# The same cleaning as pilotmgr.core.text.one_line, frozen here as migrations must not import
# application code that may change later.
_CONTROL = "\x00-\x1f\x7f-\x9f\u2028\u2029"
_BREAK_RUN = re.compile(rf"[^\S{_CONTROL}]*[{_CONTROL}][\s{_CONTROL}]*")

#: table → its one-line text columns (titles, names, units, numbers, subjects).
ONE_LINE = {
    "programmes": ("name",),
    "challenges": ("title",),
    "pilots": (
        "title",
        "partner",
        "regulation_number",
        "regulation_issuer",
        "regulation_title",
        "rollout_decision_number",
        "reference",
    ),
    "kpis": ("name", "unit"),
    "tasks": ("title",),
    "units": ("code", "name"),
    "users": ("name",),
    "calendar_days": ("note",),
    "outbox": ("subject",),
}
#: Columns with a unique constraint: a cleaned value that is already taken is left as it was.
UNIQUE = {("pilots", "reference"), ("units", "code")}
KEYS = {"calendar_days": "day"}
_MOMENT = sa.DateTime(timezone=True)


def _one_line(value: str) -> str:
    return unicodedata.normalize("NFC", _BREAK_RUN.sub(" ", value)).strip()


def _clean_column(conn, table_name: str, column: str) -> None:
    key = KEYS.get(table_name, "id")
    table = sa.table(table_name, sa.column(key), sa.column(column, sa.String))
    rows = conn.execute(sa.select(table.c[key], table.c[column])).all()
    for row_key, value in rows:
        if not value or _one_line(value) == value:
            continue
        clean = _one_line(value)
        if (table_name, column) in UNIQUE and conn.execute(
            sa.select(table.c[key]).where(table.c[column] == clean)
        ).first():
            continue
        conn.execute(table.update().where(table.c[key] == row_key).values({column: clean}))


def _requeue_stuck(conn, now: datetime) -> None:
    outbox = sa.table(
        "outbox",
        sa.column("status"),
        sa.column("next_attempt_at", _MOMENT),
        sa.column("claimed_at", _MOMENT),
    )
    conn.execute(
        outbox.update()
        .where(outbox.c.status == "sending")
        .values(status="pending", next_attempt_at=now, claimed_at=None)
    )


def _mark_waiting_digest_items(conn, now: datetime) -> None:
    """Digest readers' items since their last digest (or the last day) wait for the next one."""
    users = sa.table("users", sa.column("id"), sa.column("email_mode"))
    notes = sa.table(
        "notifications",
        sa.column("id"),
        sa.column("user_id"),
        sa.column("created_at", _MOMENT),
        sa.column("digest_due"),
    )
    outbox = sa.table(
        "outbox", sa.column("user_id"), sa.column("message_id"), sa.column("created_at", _MOMENT)
    )
    readers = conn.execute(sa.select(users.c.id).where(users.c.email_mode == "digest"))
    for (user_id,) in readers.all():
        last = conn.execute(
            sa.select(sa.func.max(outbox.c.created_at)).where(
                outbox.c.user_id == user_id, outbox.c.message_id.like("<digest-%")
            )
        ).scalar()
        since = last or now - timedelta(days=1)
        conn.execute(
            notes.update()
            .where(notes.c.user_id == user_id, notes.c.created_at > since)
            .values(digest_due=True)
        )


def upgrade():
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_token", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column("category", sa.String(length=16), server_default="notices", nullable=False)
        )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("digest_due", sa.Boolean(), server_default="0", nullable=False)
        )
        batch_op.create_index(
            "ix_notifications_digest_due",
            ["user_id"],
            unique=False,
            postgresql_where=sa.text("digest_due"),
            sqlite_where=sa.text("digest_due"),
        )
    conn = op.get_bind()
    now = datetime.now(UTC)
    if conn.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # SQLite keeps UTC moments naive (see UTCDateTime)
    outbox = sa.table("outbox", sa.column("message_id"), sa.column("category"))
    conn.execute(
        outbox.update()
        .where(outbox.c.message_id.like("<leader-digest-%"))
        .values(category="leader_digest")
    )
    for table_name, columns in ONE_LINE.items():
        for column in columns:
            _clean_column(conn, table_name, column)
    _requeue_stuck(conn, now)
    _mark_waiting_digest_items(conn, now)


def downgrade():
    conn = op.get_bind()
    # "failed" is new: such mail goes back to the queue the old code knows.
    outbox = sa.table("outbox", sa.column("status"))
    conn.execute(outbox.update().where(outbox.c.status == "failed").values(status="pending"))
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_digest_due")
        batch_op.drop_column("digest_due")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("category")
        batch_op.drop_column("message_token")
