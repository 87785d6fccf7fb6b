"""`flask reminders scan`, `flask outbox send`, `flask scheduler run`."""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import with_appcontext

from pilotmgr.core.cli import parse_moment


@click.group()
def reminders():
    """Deadline reminders."""


@reminders.command("scan")
@click.option("--now", "now", help="Pretend it is this moment (ISO 8601; local time if no offset).")
@with_appcontext
def scan_command(now):
    """Plan and record every reminder due as of now; safe to run any number of times."""
    from pilotmgr.extensions import db
    from pilotmgr.reminders.service import scan

    result = scan(parse_moment(now))
    db.session.commit()
    click.echo(str(result))


@click.group()
def outbox():
    """Queued e-mail."""


@outbox.command("send")
@click.option("--now", "now", help="Pretend it is this moment (ISO 8601; local time if no offset).")
@with_appcontext
def send_command(now):
    """Deliver queued e-mail due as of now; failures stay queued with a retry time."""
    from pilotmgr.extensions import db
    from pilotmgr.notices.outbox import outbox_counts, send_outbox
    from pilotmgr.reminders.digests import send_digests

    moment = parse_moment(now)
    send_digests(moment)
    db.session.commit()
    result = send_outbox(moment)
    db.session.commit()
    click.echo(f"{result['sent']} sent, {result['failed']} failed; queue: {outbox_counts()}")


@click.group()
def scheduler():
    """The long-running scheduler process."""


@scheduler.command("run")
@with_appcontext
def run_command():
    """Run the scheduler in the foreground (one per deployment; never in web workers)."""
    from pilotmgr.reminders.scheduler import run

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    run(current_app._get_current_object())
