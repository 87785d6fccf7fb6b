import click
from flask.cli import with_appcontext

from pilotmgr.core.cli import run
from pilotmgr.units import service


@click.group()
def units():
    """Manage organisation units."""


@units.command("create")
@click.option("--code", required=True)
@click.option("--name", required=True)
@click.option("--parent", default=None, help="The parent unit's code.")
@with_appcontext
def create(code, name, parent):
    """Create a unit."""
    unit = run(service.create_unit, None, {"code": code, "name": name, "parent": parent})
    click.echo(f"created unit {unit.code}")
