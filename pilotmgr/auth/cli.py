import click
from flask.cli import with_appcontext
from sqlalchemy import select

from pilotmgr.auth import service
from pilotmgr.auth.models import ROLES, User
from pilotmgr.core.cli import run
from pilotmgr.extensions import db


@click.group()
def users():
    """Manage user accounts."""


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--password", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--unit", "unit_code", required=True, help="The unit's code.")
@click.option("--lang", default="vi", type=click.Choice(["vi", "en"]))
@with_appcontext
def create(email, name, password, role, unit_code, lang):
    """Create a user."""
    user = run(
        service.create_user,
        None,
        {
            "email": email,
            "name": name,
            "password": password,
            "role": role,
            "unit": unit_code,
            "lang": lang,
        },
    )
    click.echo(f"created {user.email} ({user.role}, {unit_code})")


@users.command("token")
@click.argument("email")
@with_appcontext
def token(email):
    """Print a new API token for EMAIL (on the last line)."""
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"no user {email}")
    click.echo(run(service.issue_token, user))
