"""unit levels for existing units: read from their names (Bộ, Tỉnh, Thành phố, Cục, Sở, Phòng)

Units created before levels existed have kind "": planning a rollout to "the provinces" would
find none of them. Their level is read from the name, by the same rule `create_unit` follows
(copied here, so that the migration keeps doing what it did when the rule changes later).

Revision ID: 0012
Revises: 0011
"""

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

KIND_BY_NAME = (
    ("ủy ban nhân dân thành phố", "province"),
    ("ủy ban nhân dân tỉnh", "province"),
    ("ubnd thành phố", "province"),
    ("ubnd tỉnh", "province"),
    ("thành phố", "province"),
    ("văn phòng", "agency"),
    ("thanh tra", "agency"),
    ("tổng cục", "agency"),
    ("bộ phận", "division"),
    ("chi cục", "division"),
    ("phòng", "division"),
    ("tỉnh", "province"),
    ("cục", "agency"),
    ("tp.", "province"),
    ("vụ", "agency"),
    ("bộ", "ministry"),
    ("sở", "department"),
)

units = sa.table("units", sa.column("id", sa.Integer), sa.column("name"), sa.column("kind"))


def _kind(name: str) -> str:
    folded = " ".join(unicodedata.normalize("NFC", name or "").casefold().split())
    for start, kind in KIND_BY_NAME:
        if folded == start or folded.startswith(start + " "):
            return kind
        if start.endswith(".") and folded.startswith(start):
            return kind
    return ""


def upgrade():
    conn = op.get_bind()
    rows = conn.execute(sa.select(units.c.id, units.c.name).where(units.c.kind == "")).all()
    for unit_id, name in rows:
        kind = _kind(name)
        if kind:
            conn.execute(units.update().where(units.c.id == unit_id).values(kind=kind))


def downgrade():
    # The levels stay: 0011's downgrade drops the column with them.
    pass
