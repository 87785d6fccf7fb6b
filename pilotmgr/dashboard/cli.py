"""`flask digest send`: queue (and deliver) the weekly leader digest."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

NOW = "now"


@click.group()
def digest():
    """The weekly leader digest."""


@digest.command("send")
@click.option(
    "--now",
    "now",
    is_flag=False,
    flag_value=NOW,
    default=None,
    help="Alone: send this week's digest now, whatever the day. With an ISO date-time: "
    "pretend it is that moment (sent only on a Monday from 07:30).",
)
@click.option("--email", "emails", multiple=True, help="Only to this head (repeatable).")
@with_appcontext
def send_command(now, emails):
    """Queue each head's digest once per ISO week, then deliver the outbox."""
    from pilotmgr.core.cli import parse_moment
    from pilotmgr.dashboard.digest import queue_leader_digests
    from pilotmgr.extensions import db
    from pilotmgr.notices.outbox import send_outbox

    moment = None if now in (None, NOW) else parse_moment(now)
    queued = queue_leader_digests(moment, force=now == NOW, emails=set(emails))
    db.session.commit()
    result = send_outbox(moment)
    db.session.commit()
    click.echo(f"digests queued: {queued}; outbox: {result}")
