"""pilots.stage holds only the lifecycle's stages: a CHECK constraint

The stages are frozen here as they are at this revision (migrations do not import application
code that may change later); a later revision that adds a stage replaces the constraint.

Revision ID: 0017
Revises: 0016
"""

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

STAGES = ("draft", "proposed", "piloting", "evaluating", "selected", "rolling_out", "scaled", "closed")


def upgrade():
    with op.batch_alter_table("pilots", schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f("ck_pilots_stage_known"), "stage IN (" + ", ".join(f"'{s}'" for s in STAGES) + ")"
        )


def downgrade():
    with op.batch_alter_table("pilots", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_pilots_stage_known"), type_="check")
