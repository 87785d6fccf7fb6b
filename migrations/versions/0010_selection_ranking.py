"""selection ranking: the comparison a selection decided on, kept with the decision

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("selections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ranking", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("selections", schema=None) as batch_op:
        batch_op.drop_column("ranking")
