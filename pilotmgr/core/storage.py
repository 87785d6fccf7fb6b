"""Uploaded files kept with the rows that name them, so they commit or vanish together.

Every web server on the database serves every file, and a request that fails leaves
nothing behind: the bytes are rows of the same transaction.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Protocol

from flask import current_app
from sqlalchemy import Integer, LargeBinary, String, Text, delete
from sqlalchemy.orm import Mapped, deferred, mapped_column

from pilotmgr.core.models import TimestampMixin
from pilotmgr.extensions import db


class StoredFile(TimestampMixin, db.Model):
    """The bytes of one uploaded file, under a random key that reveals nothing."""

    __tablename__ = "stored_files"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    #: SHA-256 of `data`, hex (of the bytes expected, when they are missing).
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    #: Loaded only when the file is served: lists of files never pull their bytes.
    data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary, nullable=True))
    #: Why `data` is empty: a file already missing from the upload folder when files moved
    #: into the database. Empty for every file that has its bytes.
    missing_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")


class FileStore(Protocol):
    """Where uploaded bytes live; `put` joins the caller's transaction and never commits."""

    def put(self, data: bytes) -> str: ...

    def get(self, key: str) -> bytes | None: ...

    def delete(self, keys: list[str]) -> None: ...


class DatabaseStore:
    """Files as rows of `stored_files`: the default, and the one every server shares."""

    def put(self, data: bytes) -> str:
        key = secrets.token_hex(24)
        db.session.add(
            StoredFile(key=key, size=len(data), sha256=hashlib.sha256(data).hexdigest(), data=data)
        )
        db.session.flush()
        return key

    def get(self, key: str) -> bytes | None:
        found = db.session.get(StoredFile, key)
        return None if found is None else found.data

    def delete(self, keys: list[str]) -> None:
        db.session.execute(delete(StoredFile).where(StoredFile.key.in_(keys)))


STORES: dict[str, type] = {"database": DatabaseStore}


def file_store() -> FileStore:
    """The store named by PILOTMGR_FILE_STORE (only "database" for now)."""
    name = current_app.config.get("PILOTMGR_FILE_STORE", "database")
    if name not in STORES:
        raise RuntimeError(f"PILOTMGR_FILE_STORE={name!r} is not one of {sorted(STORES)}")
    return STORES[name]()
