"""Running a service from the command line: one commit, errors as readable messages."""

import click

from pilotmgr.core.errors import ServiceError, ValidationFailed
from pilotmgr.extensions import db


def run(action, *args, **kwargs):
    try:
        result = action(*args, **kwargs)
        db.session.commit()
        return result
    except ValidationFailed as exc:
        db.session.rollback()
        lines = [f"{field}: {' '.join(str(m) for m in msgs)}" for field, msgs in exc.errors.items()]
        raise click.ClickException("\n".join(lines)) from None
    except ServiceError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc.detail)) from None
