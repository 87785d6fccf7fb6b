import click
from flask.cli import with_appcontext


@click.command("bench")
@click.option("--pilots", default=10_000, show_default=True, type=click.IntRange(1))
@click.option("--json", "json_file", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def bench(pilots, json_file):
    """Seed a temporary database and report page timings and SQL query counts."""
    from devtools.bench.run import run_bench

    run_bench(pilots, json_file)
