"""Every `flask …` command, gathered from the features."""

from flask import Flask


def register_cli(app: Flask) -> None:
    from pilotmgr.auth.cli import users
    from pilotmgr.backup.cli import backup, restore
    from pilotmgr.bench.cli import bench
    from pilotmgr.dashboard.cli import digest
    from pilotmgr.demo.cli import demo
    from pilotmgr.exports.cli import imports
    from pilotmgr.reminders.cli import outbox, reminders, scheduler
    from pilotmgr.units.cli import units

    groups = (users, units, demo, bench, reminders, outbox, scheduler, digest, imports)
    for group in (*groups, backup, restore):
        app.cli.add_command(group)
