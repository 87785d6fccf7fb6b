"""A second web server on the test database, with its own instance and upload folders."""

from __future__ import annotations

from contextlib import contextmanager

from config import TestConfig
from pilotmgr import create_app
from pilotmgr.extensions import db
from tests.conftest import csrf_token
from tests.factories import PASSWORD


@contextmanager
def second_server(database_uri: str, folder):
    """The app another machine would run; yields its app, closes its connections after."""

    class SecondServer(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_uri
        PILOTMGR_INSTANCE_DIR = str(folder / "second-instance")
        PILOTMGR_UPLOAD_DIR = str(folder / "second-uploads")

    app = create_app(SecondServer)
    try:
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()


def logged_in(client, user):
    """`client` signed in as `user` through the real login form."""
    token = csrf_token(client)
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    return client
