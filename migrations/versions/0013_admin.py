"""accounts: temporary passwords to change at next sign-in, diacritics-free search of people

Revision ID: 0013
Revises: 0012
"""

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def _fold(value: str) -> str:
    # The same folding as pilotmgr.core.text.fold, frozen here as migrations must not import
    # application code that may change later.
    decomposed = unicodedata.normalize("NFD", (value or "").translate({0x111: "d", 0x110: "d"}))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("must_change_password", sa.Boolean(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("search_text", sa.Text(), server_default="", nullable=False))

    users = sa.table(
        "users",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("email", sa.String),
        sa.column("search_text", sa.Text),
    )
    conn = op.get_bind()
    for row in conn.execute(sa.select(users.c.id, users.c.name, users.c.email)).all():
        conn.execute(
            users.update()
            .where(users.c.id == row.id)
            .values(search_text=_fold(f"{row.name} {row.email}"))
        )


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("search_text")
        batch_op.drop_column("must_change_password")
