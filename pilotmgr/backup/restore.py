"""Restore a backup into a database at the same revision, in one transaction."""

from __future__ import annotations

import zipfile
from itertools import islice

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from pilotmgr.backup.archive import BATCH, BackupError, read_manifest, read_rows, revision, tables
from pilotmgr.backup.codec import row_decoder
from pilotmgr.extensions import db


def _check_shape(manifest: dict, found_revision: str | None) -> None:
    if manifest.get("alembic_revision") != found_revision:
        raise BackupError(
            f"the backup is at revision {manifest.get('alembic_revision')}, the database at "
            f"{found_revision}: bring the database to the backup's revision first "
            "(flask db upgrade with the same release)"
        )
    ours = {t.name: [c.name for c in t.columns] for t in tables()}
    theirs = {t["name"]: t["columns"] for t in manifest["tables"]}
    if set(ours) != set(theirs) or any(set(ours[n]) != set(theirs[n]) for n in ours):
        raise BackupError("the backup's tables and columns differ from this release's")


def has_rows(conn) -> bool:
    return any(conn.execute(select(func.count()).select_from(t)).scalar() for t in tables())


def _self_references(table) -> list[str]:
    """Nullable columns pointing at their own table: set after every row exists."""
    return [
        fk.parent.name
        for fk in table.foreign_keys
        if fk.column.table is table and fk.parent.nullable
    ]


def _insert_table(conn, archive, table) -> int:
    decode, later = row_decoder(table), _self_references(table)
    links, rows, count = [], iter(read_rows(archive, table.name)), 0
    while batch := [decode(r) for r in islice(rows, BATCH)]:
        for row in batch:
            if any(row.get(c) is not None for c in later):
                links.append(row.copy())
                row.update(dict.fromkeys(later))
        conn.execute(table.insert(), batch)
        count += len(batch)
    key = table.primary_key.columns
    for row in links:
        where = [c == row[c.name] for c in key]
        conn.execute(update(table).where(*where).values({c: row[c] for c in later}))
    return count


def _reset_sequences(conn) -> None:
    """PostgreSQL hands out ids after the restored ones, not from 1 again."""
    for table in tables():
        key = list(table.primary_key.columns)
        if len(key) != 1 or key[0].autoincrement is False or key[0].type.python_type is not int:
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f'COALESCE(MAX("{key[0].name}"), 0) + 1, false) FROM "{table.name}"'
            ),
            {"table": table.name, "column": key[0].name},
        )


def restore_backup(path, force: bool = False) -> dict:
    """Load every row of the backup at `path`; refuses a database with data unless `force`."""
    db.session.remove()
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BackupError(f"cannot read {path}: {exc}") from None
    try:
        with archive:
            return _restore(archive, force)
    except (KeyError, ValueError, DBAPIError) as exc:
        # A damaged or edited archive: the transaction is rolled back, nothing changed.
        detail = str(getattr(exc, "orig", None) or exc)[:300]
        raise BackupError(f"the backup cannot be restored, nothing changed: {detail}") from None


def _restore(archive: zipfile.ZipFile, force: bool) -> dict:
    with db.engine.begin() as conn:
        manifest = read_manifest(archive)
        _check_shape(manifest, revision(conn))
        if has_rows(conn):
            if not force:
                raise BackupError("the database already has data; nothing restored (use --force)")
            for table in reversed(tables()):
                conn.execute(delete(table))
        counts = {t.name: _insert_table(conn, archive, t) for t in tables()}
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn)
    return counts
