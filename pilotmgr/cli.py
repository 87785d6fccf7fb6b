"""Every `flask …` command of the product, gathered from the features.

`flask bench` and `flask demo` are developers' tools (devtools/), registered through the
`flask.commands` entry points in pyproject.toml.
"""

from flask import Flask


def register_cli(app: Flask) -> None:
    from pilotmgr.auth.cli import users
    from pilotmgr.backup.cli import backup, restore
    from pilotmgr.dashboard.cli import digest
    from pilotmgr.exports.cli import imports
    from pilotmgr.reminders.cli import outbox, reminders, scheduler
    from pilotmgr.units.cli import units

    for group in (users, units, reminders, outbox, scheduler, digest, imports, backup, restore):
        app.cli.add_command(group)
