"""`flask bench` end to end at a small N: the report's shape, and the N+1 guard."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from devtools.bench import run
from devtools.bench.seed import seed
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Kpi, Pilot, Task

CORE = ("pilot_list", "pilot_detail", "my_work", "api_pilots")


@pytest.fixture(scope="module")
def bench_run(_app, tmp_path_factory):
    """One `flask bench --pilots 50 --json FILE` for the whole module (each run takes ~45 s):
    its output, its report, and how many pilots the configured database holds after it."""
    path = tmp_path_factory.mktemp("bench") / "bench.json"
    with _app.app_context():
        result = _app.test_cli_runner().invoke(
            args=["bench", "--pilots", "50", "--json", str(path)]
        )
        left = db.session.scalar(select(func.count()).select_from(Pilot))
        db.session.remove()
    assert result.exit_code == 0, result.output
    return result.output, json.loads(path.read_text()), left


@pytest.fixture
def report(bench_run):
    return bench_run[1]


def test_report_has_the_documented_shape(report):
    assert report["pilots"] == 50
    for name in CORE:
        entry = report["pages"][name]
        assert set(entry) >= {"p50_ms", "p95_ms", "queries"}
        assert 0 < entry["p50_ms"] <= entry["p95_ms"]
        assert entry["queries"] >= 1
        assert set(report["small"][name]) == {"queries"}


def test_query_counts_do_not_grow_with_the_number_of_pilots(report):
    """The N+1 guard: each page sends as many statements at 50 pilots as at 100."""
    for name, entry in report["pages"].items():
        assert entry["queries"] == report["small"][name]["queries"], name
        assert "queries_varied" not in entry, name


def test_the_cli_writes_json_and_leaves_the_configured_database_alone(bench_run):
    output, report, left_in_configured_database = bench_run
    assert "pilot_list" in output
    assert report["pilots"] == 50
    assert left_in_configured_database == 0


def test_seed_gives_every_pilot_ten_tasks_and_three_kpis(app):
    seeded = seed(30)
    assert db.session.scalar(select(func.count()).select_from(Pilot)) == 30
    assert db.session.scalar(select(func.count()).select_from(Task)) == 300
    assert db.session.scalar(select(func.count()).select_from(Kpi)) == 90
    assert {"admin", "head_root", "viewer_root", "lead_d0_0", "staff_d0_0"} <= set(seeded.users)
    stages = set(db.session.scalars(select(Pilot.stage).distinct()))
    assert len(stages) >= 4


def test_context_gives_hooks_clients_tokens_and_measurements(tmp_path):
    """What BENCH_HOOK.md promises a feature's run(ctx)."""
    app = run.bench_app(tmp_path, "ctx")
    with app.app_context():
        db.create_all()
        seeded = seed(10)
        report: dict = {}
        ctx = run.BenchContext(app, 10, seeded, report)
        assert ctx.n == 10 and len(ctx.pilots) == 10
        first = ctx.pilots[0]
        assert first.id == int(first) and first.stage
        users = ctx.seed_users()
        assert {u.role for u in users.values()} >= {"admin", "head", "lead", "staff"}
        client = ctx.client(users["head"])
        entry = ctx.measure("detail", lambda: client.get(f"/pilots/{first.id}"), samples=5)
        assert set(entry) >= {"p50_ms", "p95_ms", "queries"} and report["pages"]["detail"]
        headers = ctx.api_headers(users["lead"])
        api = app.test_client()
        ctx.measure("api", lambda: api.get("/api/v1/pilots", headers=headers), samples=3)
        job = ctx.timed("count", lambda: db.session.scalar(select(func.count(Pilot.id))))
        assert job["queries"] == 1 and report["jobs"]["count"] == job
        with pytest.raises(RuntimeError, match="HTTP 404"):
            ctx.measure("missing", lambda: client.get("/pilots/999999"), samples=1)
        db.session.remove()
        db.engine.dispose()
