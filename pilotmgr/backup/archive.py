"""A backup is a zip: manifest.json, then one JSON-lines file per table in dependency order.

Blobs are base64, dates ISO 8601, so a backup taken on SQLite restores on PostgreSQL and back.
The manifest records the Alembic revision; a restore needs a database at the same revision.
"""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime

from sqlalchemy import inspect, select, text

from pilotmgr.backup.codec import encode
from pilotmgr.extensions import db

FORMAT = "pilotmgr-backup"
VERSION = 1
BATCH = 500


class BackupError(Exception):
    """A backup that cannot be written or restored, with what to do about it."""


def tables():
    """Every table of the models, parents before the rows that point at them."""
    return list(db.metadata.sorted_tables)


def revision(conn) -> str | None:
    """The database's Alembic revision; None where the schema was made without migrations."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _consistent(conn) -> None:
    # One snapshot for every table, so no row points at one the backup missed.
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
    elif conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN")


def _write_table(conn, archive: zipfile.ZipFile, table) -> int:
    query = select(table).order_by(*table.primary_key.columns)
    count = 0
    with archive.open(f"tables/{table.name}.jsonl", "w") as out:
        result = conn.execution_options(yield_per=BATCH).execute(query)
        for row in result.mappings():
            line = {name: encode(value) for name, value in row.items()}
            out.write(json.dumps(line, ensure_ascii=False).encode("utf-8") + b"\n")
            count += 1
    return count


def write_backup(path) -> dict:
    """Write every row of every table to `path`; answers the manifest."""
    with db.engine.connect() as conn, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        _consistent(conn)
        counts = {t.name: _write_table(conn, archive, t) for t in tables()}
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "alembic_revision": revision(conn),
            "created_at": datetime.now(UTC).isoformat(),
            "dialect": conn.dialect.name,
            "tables": [
                {"name": t.name, "columns": [c.name for c in t.columns], "rows": counts[t.name]}
                for t in tables()
            ],
        }
        conn.rollback()
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError):
        raise BackupError("not a pilotmgr backup: manifest.json is missing or unreadable") from None
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(
            f"not a pilotmgr backup of version {VERSION}: "
            f"{manifest.get('format')!r} version {manifest.get('version')!r}"
        )
    return manifest


def read_rows(archive: zipfile.ZipFile, name: str):
    """The rows of one table as plain dicts of JSON values, in the order they were written."""
    with archive.open(f"tables/{name}.jsonl") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)
