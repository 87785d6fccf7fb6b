"""The file a dry run checked, kept in the database until its commit or for a day at most."""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select

from pilotmgr.core.models import utcnow
from pilotmgr.core.storage import file_store
from pilotmgr.exports.models import ImportUpload
from pilotmgr.extensions import db

TOKEN = re.compile(r"^[0-9a-f]{32}$")


def keep(user, filename: str, data: bytes) -> str:
    """Keep a checked file for `user`'s commit; the token that names it (joins the transaction)."""
    token = secrets.token_hex(16)
    fmt = "xlsx" if (filename or "").lower().endswith(".xlsx") else "csv"
    db.session.add(
        ImportUpload(token=token, user_id=user.id, fmt=fmt, file_key=file_store().put(data))
    )
    db.session.flush()
    return token


def take(user, token: str) -> tuple[str, bytes] | None:
    """(file name, bytes) of `user`'s kept file, removed as it is taken; None if gone or not theirs.

    The removal joins the caller's transaction (the caller commits it).
    """
    if not TOKEN.match(token or ""):
        return None
    upload = db.session.scalar(
        select(ImportUpload).where(ImportUpload.token == token, ImportUpload.user_id == user.id)
    )
    if upload is None or upload.created_at < _oldest():
        return None
    found = (f"upload.{upload.fmt}", upload.file.data or b"")
    _remove([upload.token], [upload.file_key])
    return found


def _oldest(now: datetime | None = None) -> datetime:
    return (now or utcnow()) - timedelta(hours=current_app.config["PILOTMGR_IMPORT_KEEP_HOURS"])


def _remove(tokens: list[str], keys: list[str]) -> None:
    db.session.execute(delete(ImportUpload).where(ImportUpload.token.in_(tokens)))
    file_store().delete(keys)


def purge(now: datetime | None = None) -> int:
    """Remove every kept file older than PILOTMGR_IMPORT_KEEP_HOURS; how many (caller commits)."""
    old = db.session.execute(
        select(ImportUpload.token, ImportUpload.file_key).where(
            ImportUpload.created_at < _oldest(now)
        )
    ).all()
    if old:
        _remove([token for token, _key in old], [key for _token, key in old])
    return len(old)
