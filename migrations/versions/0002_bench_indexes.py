"""indexes found by flask bench

"Awaiting my decision" filters pilots by stage and unit subtree and sorts by stage_changed_at;
one index on all three answers it from the index alone. It starts with (stage, unit_id), so it
replaces the narrower ix_pilots_stage_unit.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("pilots", schema=None) as batch_op:
        batch_op.create_index(
            "ix_pilots_stage_unit_changed", ["stage", "unit_id", "stage_changed_at"], unique=False
        )
        batch_op.drop_index("ix_pilots_stage_unit")


def downgrade():
    with op.batch_alter_table("pilots", schema=None) as batch_op:
        batch_op.create_index("ix_pilots_stage_unit", ["stage", "unit_id"], unique=False)
        batch_op.drop_index("ix_pilots_stage_unit_changed")
