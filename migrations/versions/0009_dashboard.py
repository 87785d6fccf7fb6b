"""dashboard: pilot references for re-imports, the leader digest switch, mail attachments,
task indexes for the scoreboard and overdue lists

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("pilots", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reference", sa.String(length=80), nullable=True))
        batch_op.create_index(
            "ix_pilots_challenge_unit_owner",
            ["challenge_id", "unit_id", "owner_id", "stage"],
            unique=False,
        )
        batch_op.create_unique_constraint(batch_op.f("uq_pilots_reference"), ["reference"])
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tasks_due_date_status",
            ["due_date", "status", "pilot_id", "completed_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_tasks_status_due_date", ["status", "due_date", "pilot_id"], unique=False
        )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("leader_digest", sa.Boolean(), nullable=False, server_default="1")
        )
    op.create_table(
        "outbox_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mail_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mail_id"], ["outbox.id"], name=op.f("fk_outbox_attachments_mail_id_outbox")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_attachments")),
    )
    with op.batch_alter_table("outbox_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_attachments_mail_id"), ["mail_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("outbox_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_attachments_mail_id"))
    op.drop_table("outbox_attachments")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("leader_digest")
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_status_due_date")
        batch_op.drop_index("ix_tasks_due_date_status")
    with op.batch_alter_table("pilots", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_pilots_reference"), type_="unique")
        batch_op.drop_index("ix_pilots_challenge_unit_owner")
        batch_op.drop_column("reference")
