"""rollout: decision and regulation on the pilot, rollout guide, evidence per target

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("pilots", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("regulation_title", sa.String(length=255), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column(
                "rollout_decision_number", sa.String(length=80), nullable=False, server_default=""
            )
        )
        batch_op.add_column(sa.Column("rollout_decision_date", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("rollout_guide", sa.Text(), nullable=False, server_default="")
        )
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rollout_target_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("purpose", sa.String(length=16), nullable=False, server_default="")
        )
        batch_op.create_index(
            batch_op.f("ix_evidence_rollout_target_id"), ["rollout_target_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_evidence_rollout_target_id_rollout_targets"),
            "rollout_targets",
            ["rollout_target_id"],
            ["id"],
        )


def downgrade():
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_evidence_rollout_target_id_rollout_targets"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_evidence_rollout_target_id"))
        batch_op.drop_column("purpose")
        batch_op.drop_column("rollout_target_id")
    with op.batch_alter_table("pilots", schema=None) as batch_op:
        batch_op.drop_column("rollout_guide")
        batch_op.drop_column("rollout_decision_date")
        batch_op.drop_column("rollout_decision_number")
        batch_op.drop_column("regulation_title")
