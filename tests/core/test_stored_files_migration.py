"""Migration 0015 moves evidence files from the upload folder into the database."""

from __future__ import annotations

import hashlib
import os
import uuid

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from config import TestConfig, database_url
from pilotmgr import create_app
from pilotmgr.core.storage import StoredFile, file_store
from pilotmgr.extensions import db
from tests import factories

PDF = b"%PDF-1.4\n% bien ban nghiem thu\n%%EOF"
PRESENT, MISSING = "a" * 48, "b" * 48


def _evidence_before_0015(pilot, stored_name: str, data: bytes) -> None:
    db.session.execute(
        text(
            "INSERT INTO evidence (pilot_id, filename, stored_name, kind, size, sha256, note, "
            "uploaded_by_id, purpose, retraction_reason, created_at) VALUES (:pilot, :name, "
            ":stored, 'pdf', :size, :sha, '', :owner, '', '', '2026-01-05 08:00:00')"
        ),
        {
            "pilot": pilot.id,
            "name": "Biên bản.pdf",
            "stored": stored_name,
            "size": len(data),
            "sha": hashlib.sha256(data).hexdigest(),
            "owner": pilot.owner_id,
        },
    )
    db.session.commit()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    """A database with no tables yet: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.sqlite'}"
        return
    url = os.environ.get("PILOTMGR_TEST_DATABASE_URL")
    if not url:
        pytest.skip("PILOTMGR_TEST_DATABASE_URL is not set")
    server = make_url(database_url(url))
    name = f"pm_files_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _app(uri, tmp_path):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = uri
        PILOTMGR_UPLOAD_DIR = str(tmp_path / "uploads")

    return create_app(Config)


def test_upgrading_moves_each_file_into_the_database_and_records_one_already_missing(
    empty_database, tmp_path
):
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    (uploads / PRESENT).write_bytes(PDF)
    app = _app(empty_database, tmp_path)
    with app.app_context():
        upgrade(revision="0013")
        pilot = factories.pilot("piloting")
        _evidence_before_0015(pilot, PRESENT, PDF)
        _evidence_before_0015(pilot, MISSING, b"lost long ago")
        upgrade()
        moved = db.session.get(StoredFile, PRESENT)
        lost = db.session.get(StoredFile, MISSING)
        assert file_store().get(PRESENT) == PDF
        assert moved.sha256 == hashlib.sha256(PDF).hexdigest() and moved.missing_reason == ""
        assert lost.data is None and str(uploads) in lost.missing_reason
        assert lost.sha256 == hashlib.sha256(b"lost long ago").hexdigest()
        db.session.commit()
        db.engine.dispose()


def test_downgrading_gives_the_files_back_to_the_upload_folder(empty_database, tmp_path):
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    (uploads / PRESENT).write_bytes(PDF)
    app = _app(empty_database, tmp_path)
    with app.app_context():
        upgrade(revision="0013")
        _evidence_before_0015(factories.pilot("piloting"), PRESENT, PDF)
        upgrade()
        (uploads / PRESENT).unlink()
        db.session.remove()
        downgrade(revision="0013")
        with db.engine.connect() as conn:
            names = conn.execute(select(text("stored_name")).select_from(text("evidence")))
            assert names.scalars().all() == [PRESENT]
        db.engine.dispose()
    assert (uploads / PRESENT).read_bytes() == PDF


def test_upgrading_removes_the_files_earlier_dry_runs_left_behind(empty_database, tmp_path):
    left = tmp_path / "uploads" / "imports"
    left.mkdir(parents=True)
    (left / f"3-{'a' * 32}.xlsx").write_bytes(b"PK checked long ago")
    app = _app(empty_database, tmp_path)
    with app.app_context():
        upgrade()
        assert list(left.iterdir()) == []
        db.session.remove()
        db.engine.dispose()
