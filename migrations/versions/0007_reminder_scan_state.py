"""Reminder scan state: each deadline's latest recorded step; tasks and targets by due date

The scan compares one row per deadline with its current step instead of building every
reminder's key, and reads the open tasks (and rollout targets) due on each day by index.

Revision ID: 0007
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "reminder_states",
        sa.Column("subject_type", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("escalated_deadline", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("subject_type", "subject_id", name=op.f("pk_reminder_states")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tasks_due_status", ["due_date", "status", "assignee_id", "pilot_id"], unique=False
        )
    with op.batch_alter_table("rollout_targets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rollout_targets_due_date"), ["due_date"], unique=False
        )


def downgrade():
    with op.batch_alter_table("rollout_targets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rollout_targets_due_date"))
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_due_status")
    op.drop_table("reminder_states")
