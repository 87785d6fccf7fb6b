import click
from flask.cli import with_appcontext


@click.group()
def demo():
    """Demo data."""


@demo.command("load")
@click.option("--force", is_flag=True, help="Load even if the database already has data.")
@with_appcontext
def load(force):
    """Load realistic Vietnamese demo data into an empty database."""
    from devtools.demo.data import database_is_empty, load_demo
    from pilotmgr.extensions import db

    if not force and not database_is_empty():
        click.echo("The database already has data; nothing loaded (use --force).")
        return
    summary = load_demo()
    db.session.commit()
    click.echo(summary)
