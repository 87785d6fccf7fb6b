"""files in the database: evidence and regulation files move from the upload folder into rows

Each evidence row's file is read from PILOTMGR_UPLOAD_DIR into `stored_files`. A file already
missing from the folder gets a row without bytes and with the reason, so the evidence keeps
its name and fingerprint on record and its download answers 404 as before. The files in the
folder are left where they are; they may be removed once the upgrade is checked.

Revision ID: 0015
Revises: 0014
"""

import hashlib
import logging
import os
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

stored_files = sa.table(
    "stored_files",
    sa.column("key", sa.String),
    sa.column("size", sa.Integer),
    sa.column("sha256", sa.String),
    sa.column("data", sa.LargeBinary),
    sa.column("missing_reason", sa.Text),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
evidence = sa.table(
    "evidence",
    sa.column("stored_name", sa.String),
    sa.column("size", sa.Integer),
    sa.column("sha256", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def _upload_dir() -> Path:
    # The running app's setting when upgraded through `flask db upgrade`; the same default
    # as config.py otherwise (frozen here: migrations do not import application code).
    try:
        from flask import current_app

        return Path(current_app.config["PILOTMGR_UPLOAD_DIR"])
    except (ImportError, RuntimeError, KeyError):
        default = Path(__file__).resolve().parents[2] / "instance" / "uploads"
        return Path(os.environ.get("PILOTMGR_UPLOAD_DIR", str(default)))


def _file_row(folder: Path, row) -> dict:
    path = folder / row.stored_name
    values = {"key": row.stored_name, "created_at": row.created_at, "missing_reason": ""}
    if path.is_file():
        data = path.read_bytes()
        return values | {
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "data": data,
        }
    log.warning("evidence file %s is missing from %s: recorded without bytes", path.name, folder)
    reason = f"not found in {folder} when files moved into the database (migration 0015)"
    return values | {"size": row.size, "sha256": row.sha256, "data": None, "missing_reason": reason}


def upgrade():
    op.create_table(
        "stored_files",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("missing_reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_stored_files")),
    )
    conn = op.get_bind()
    folder = _upload_dir()
    rows = conn.execute(
        sa.select(evidence.c.stored_name, evidence.c.size, evidence.c.sha256, evidence.c.created_at)
    ).all()
    moved = 0
    for row in rows:
        values = _file_row(folder, row)
        conn.execute(stored_files.insert().values(**values))
        moved += values["data"] is not None
    if rows:
        log.info("moved %d of %d evidence files from %s into the database", moved, len(rows), folder)
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_evidence_stored_name_stored_files"),
            "stored_files",
            ["stored_name"],
            ["key"],
        )


def downgrade():
    # Give the files back to the folder the older release reads them from.
    conn = op.get_bind()
    folder = _upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    query = sa.select(stored_files.c.key, stored_files.c.data).where(
        stored_files.c.data.is_not(None)
    )
    for key, data in conn.execute(query):
        path = folder / key
        if not path.is_file():
            path.write_bytes(data)
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_evidence_stored_name_stored_files"), type_="foreignkey"
        )
    op.drop_table("stored_files")
