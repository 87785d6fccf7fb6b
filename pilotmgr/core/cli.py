"""Running a service from the command line: one commit, errors as readable messages."""

from datetime import datetime

import click

from pilotmgr.core.clock import local_zone
from pilotmgr.core.errors import ServiceError, ValidationFailed
from pilotmgr.extensions import db


def parse_moment(value: str | None) -> datetime | None:
    """A `--now` option's moment (ISO 8601, local time if it has no offset); None if not given."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("an ISO date-time, e.g. 2027-01-15T08:30+07:00") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=local_zone())
    return moment


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
