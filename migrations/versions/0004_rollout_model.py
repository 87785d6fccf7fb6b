"""rollout model: waves, blocked reasons, completion days, the pilot's open wave

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("rollout_targets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("wave", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(
            sa.Column("blocked_reason", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("done_on", sa.Date(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_rollout_targets_responsible_id"), ["responsible_id"], unique=False
        )
    with op.batch_alter_table("pilots", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("rollout_open_wave", sa.Integer(), nullable=False, server_default="1")
        )


def downgrade():
    with op.batch_alter_table("pilots", schema=None) as batch_op:
        batch_op.drop_column("rollout_open_wave")
    with op.batch_alter_table("rollout_targets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rollout_targets_responsible_id"))
        batch_op.drop_column("done_on")
        batch_op.drop_column("blocked_reason")
        batch_op.drop_column("wave")
