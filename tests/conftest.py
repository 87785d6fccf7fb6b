"""Fixtures: one schema per run; SQLite by default, PostgreSQL by env.

Each test runs inside one transaction on one connection that is rolled back afterwards: the
app's `db.session.commit()` only releases a savepoint. Tests whose data must really be committed
(another connection, thread or process reads it) are marked `commits`; their tables are emptied
afterwards instead.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from importlib.metadata import entry_points

import pytest
from flask_sqlalchemy.session import Session
from sqlalchemy import text

from config import TestConfig, database_url
from pilotmgr import create_app
from pilotmgr.extensions import db
from tests import factories


@pytest.fixture(scope="session")
def database_uri(tmp_path_factory) -> str:
    url = os.environ.get("PILOTMGR_TEST_DATABASE_URL")
    if url:
        return database_url(url)
    # A file, not :memory:, so that threads and processes share the database.
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


@pytest.fixture(scope="session")
def _app(database_uri, tmp_path_factory):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_uri
        PILOTMGR_UPLOAD_DIR = str(tmp_path_factory.mktemp("uploads"))

    app = create_app(Config)
    # The developers' commands (flask bench, flask demo) as the `flask` command finds them.
    for entry in entry_points(group="flask.commands"):
        app.cli.add_command(entry.load(), entry.name)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public;"))
        db.drop_all()
        db.create_all()
    return app


class _JoinedSession(Session):
    """Flask-SQLAlchemy's session, on the test's connection: its `get_bind` ignores `bind`."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return bind if bind is not None else self.bind


@contextmanager
def _rolled_back():
    """`db.session` joins one outer transaction on one connection, rolled back at the end."""
    connection = db.engine.connect()
    outer = connection.begin()
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # pysqlite begins a transaction only before DML, so the first SAVEPOINT would be the
        # outermost transaction and its RELEASE a real commit: begin the real one here
        # (SQLAlchemy's pysqlite notes). Only this connection; the app keeps pysqlite's way.
        driver = connection.connection.driver_connection
        driver.isolation_level = None
        connection.exec_driver_sql("BEGIN")
    app_session = db.session
    db.session = db._make_scoped_session(
        {"class_": _JoinedSession, "bind": connection, "join_transaction_mode": "create_savepoint"}
    )
    joined = db.session
    try:
        yield
    finally:
        db.session = app_session
        try:
            joined.remove()
        finally:
            outer.rollback()
            if sqlite:
                driver.isolation_level = ""
            connection.close()


def _empty_tables() -> None:
    db.session.remove()
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))


@pytest.fixture
def app(_app, request):
    saved = dict(_app.config)
    with _app.app_context():
        if request.node.get_closest_marker("commits"):
            yield _app
            _empty_tables()
        else:
            with _rolled_back():
                yield _app
    _app.config.clear()
    _app.config.update(saved)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make(app):
    """Factory helpers bound to the test's database (see tests/factories.py)."""
    return factories


@pytest.fixture
def world(make):
    """The suite's organisation: two provinces, every role, one draft pilot (`make.world`).

    tests/dashboard and the permission matrix build hand-counted worlds of their own.
    """
    return make.world()


CSRF_RE = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def csrf_token(client, path: str = "/login") -> str:
    """The CSRF token a real browser would find in the form at `path`."""
    html = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token in {path}"
    return match.group(1)


@pytest.fixture
def login(client):
    """Log `user` in through the real form; returns the client, with `client.csrf` set."""

    def do_login(user, password: str = factories.PASSWORD):
        if getattr(client, "csrf", None):
            client.post("/logout", data={"csrf_token": client.csrf})
        token = csrf_token(client)
        response = client.post(
            "/login", data={"email": user.email, "password": password, "csrf_token": token}
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        client.csrf = csrf_token(client, "/settings")
        return client

    return do_login


@pytest.fixture
def api(app):
    """An API caller: api(user).get(path), .post(path, json=...); tokens issued for real."""
    from pilotmgr.auth.service import issue_token

    class Caller:
        def __init__(self, user):
            self.client = app.test_client()
            if user is None:
                self.headers = {}
            else:
                token = issue_token(user)
                db.session.commit()
                self.headers = {"Authorization": f"Bearer {token}"}

        def __getattr__(self, method):
            def call(path, **kwargs):
                headers = {**self.headers, **kwargs.pop("headers", {})}
                return getattr(self.client, method)(f"/api/v1{path}", headers=headers, **kwargs)

            return call

    return Caller
