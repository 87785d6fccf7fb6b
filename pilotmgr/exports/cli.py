"""`flask imports purge`: remove the files dry runs left waiting for a commit."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group()
def imports():
    """Bulk import."""


@imports.command("purge")
@with_appcontext
def purge_command():
    """Remove checked files older than PILOTMGR_IMPORT_KEEP_HOURS (24 by default)."""
    from pilotmgr.exports.uploads import purge
    from pilotmgr.extensions import db

    removed = purge()
    db.session.commit()
    click.echo(f"{removed} uploaded files removed")
