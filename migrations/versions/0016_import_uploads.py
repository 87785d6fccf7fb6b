"""import uploads in the database: a dry run's file waits for its commit as a row

Files that earlier dry runs left in the upload folder's `imports/` are removed, not carried
over: they were only ever good for the commit that followed their dry run, and none was ever
cleaned up.

Revision ID: 0016
Revises: 0015
"""

import logging
import os
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def _import_dir() -> Path:
    # As in 0015: the running app's setting, else config.py's default frozen here.
    try:
        from flask import current_app

        return Path(current_app.config["PILOTMGR_UPLOAD_DIR"]) / "imports"
    except (ImportError, RuntimeError, KeyError):
        default = Path(__file__).resolve().parents[2] / "instance" / "uploads"
        return Path(os.environ.get("PILOTMGR_UPLOAD_DIR", str(default))) / "imports"


def _remove_old_files() -> None:
    folder = _import_dir()
    if not folder.is_dir():
        return
    removed = 0
    for path in folder.iterdir():
        if path.is_file():
            path.unlink()
            removed += 1
    if removed:
        log.info("removed %d dry-run files left in %s", removed, folder)


def upgrade():
    op.create_table(
        "import_uploads",
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("fmt", sa.String(length=4), nullable=False),
        sa.Column("file_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_key"],
            ["stored_files.key"],
            name=op.f("fk_import_uploads_file_key_stored_files"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_import_uploads_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_import_uploads")),
    )
    with op.batch_alter_table("import_uploads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_uploads_user_id"), ["user_id"], unique=False)
    _remove_old_files()


def downgrade():
    with op.batch_alter_table("import_uploads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_uploads_user_id"))
    op.drop_table("import_uploads")
