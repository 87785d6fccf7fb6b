"""Migrations and models agree: `flask db upgrade` from empty gives exactly the models' schema."""

from __future__ import annotations

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from config import TestConfig, database_url
from pilotmgr import create_app
from pilotmgr.extensions import db


def _differences(uri: str) -> list:
    class MigrationConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = uri

    app = create_app(MigrationConfig)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            found = compare_metadata(context, db.metadata)
            tables = set(inspect(conn).get_table_names())
        # A full downgrade must work too, so a bad release can be taken back.
        downgrade(revision="base")
        with db.engine.connect() as conn:
            left = set(inspect(conn).get_table_names()) - {"alembic_version"}
        db.engine.dispose()
    assert "pilots" in tables and "alembic_version" in tables
    assert left == set()
    return found


def test_sqlite_upgrade_from_empty_matches_the_models(tmp_path):
    assert _differences(f"sqlite:///{tmp_path / 'migrated.sqlite'}") == []


def test_postgresql_upgrade_from_empty_matches_the_models():
    url = os.environ.get("PILOTMGR_TEST_DATABASE_URL")
    if not url:
        pytest.skip("PILOTMGR_TEST_DATABASE_URL is not set")
    server = make_url(database_url(url))
    name = f"pm_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        target = server.set(database=name).render_as_string(hide_password=False)
        assert _differences(target) == []
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
