"""`flask backup FILE` and `flask restore FILE [--force]`."""

import click
from flask.cli import with_appcontext


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup(file):
    """Write every table (files and memos included) to a portable zip."""
    from pilotmgr.backup.archive import write_backup

    manifest = write_backup(file)
    rows = sum(t["rows"] for t in manifest["tables"])
    click.echo(f"{rows} rows of {len(manifest['tables'])} tables written to {file}")
    click.echo(f"revision {manifest['alembic_revision']}")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace the data already in the database.")
@with_appcontext
def restore(file, force):
    """Load a backup into a database at the same revision (empty unless --force)."""
    from pilotmgr.backup.archive import BackupError
    from pilotmgr.backup.restore import restore_backup

    try:
        counts = restore_backup(file, force=force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{sum(counts.values())} rows of {len(counts)} tables restored from {file}")
