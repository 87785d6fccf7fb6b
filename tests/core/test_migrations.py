"""Migrations build exactly the models' schema; SQLite pragmas; production needs a secret."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

from config import database_url
from pilotmgr.extensions import db

ROOT = Path(__file__).resolve().parents[2]


def _upgrade(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "FLASK_APP": "wsgi.py"}
    flask = Path(sys.executable).with_name("flask")
    subprocess.run([str(flask), "db", "upgrade"], cwd=ROOT, env=env, check=True)


def _differences(url: str) -> list:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return compare_metadata(MigrationContext.configure(conn), db.metadata)
    finally:
        engine.dispose()


def test_sqlite_migrations_match_models(app, tmp_path):
    url = f"sqlite:///{tmp_path / 'mig.sqlite'}"
    _upgrade(url)
    assert _differences(url) == []


def test_postgresql_migrations_match_models(app):
    base = os.environ.get("PILOTMGR_TEST_DATABASE_URL")
    if not base:
        pytest.skip("PILOTMGR_TEST_DATABASE_URL is not set")
    base = database_url(base)  # the driver the app uses (psycopg 3)
    server, _, name = base.rpartition("/")
    scratch = f"{name}_mig"
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch}"'))
        conn.execute(text(f'CREATE DATABASE "{scratch}"'))
    try:
        _upgrade(f"{server}/{scratch}")
        assert _differences(f"{server}/{scratch}") == []
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch}"'))
        admin.dispose()


def test_sqlite_pragmas(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    from config import ProductionConfig

    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        ProductionConfig.check()
