import click
from flask.cli import with_appcontext

from pilotmgr.core.cli import run
from pilotmgr.units import service
from pilotmgr.units.models import UNIT_KINDS


@click.group()
def units():
    """Manage organisation units."""


@units.command("create")
@click.option("--code", required=True)
@click.option("--name", required=True)
@click.option("--parent", default=None, help="The parent unit's code.")
@click.option(
    "--kind",
    type=click.Choice(UNIT_KINDS),
    default=None,
    help="The unit's level; read from its name when not given (Bộ, Tỉnh, Sở, Phòng, ...).",
)
@with_appcontext
def create(code, name, parent, kind):
    """Create a unit."""
    data = {"code": code, "name": name, "parent": parent, "kind": kind}
    unit = run(service.create_unit, None, data)
    click.echo(f"created unit {unit.code} ({unit.kind or 'no level'})")
