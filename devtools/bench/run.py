"""`flask bench`: seed a throw-away SQLite database, time the core pages, run feature hooks.

The user's configured database is never touched: every run builds its own apps on temporary
SQLite files that are deleted at the end. Each timed call runs in a fresh application context,
as a real request would, so nothing (the SQLAlchemy identity map, Flask-Login's cached user)
leaks from one sample into the next and query counts are honest.
"""

from __future__ import annotations

import gc
import importlib
import importlib.util
import json
import math
import secrets
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event, select

from config import Config
from devtools.bench.seed import Seeded, seed
from pilotmgr.extensions import db
from pilotmgr.pilots.stages import Stage

FEATURES = ("results", "reminders", "rollout", "memos", "dashboard")
SMALL_N = 100
SAMPLES = 30
#: Targets of issue 2 on a 2-core machine with SQLite.
P95_TARGET_MS = 50.0


class PilotRef(int):
    """A seeded pilot: usable as its id (an int) or as an object with `.id`, `.stage`, …"""

    stage: str
    unit_id: int
    province_id: int
    owner_id: int
    challenge_id: int

    def __new__(cls, pilot_id: int, **attrs):
        ref = super().__new__(cls, pilot_id)
        ref.__dict__.update(attrs)
        return ref

    @property
    def id(self) -> int:
        return int(self)


class QueryCounter:
    """Counts SQL statements sent to one engine."""

    def __init__(self, engine):
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._on_execute)

    def _on_execute(self, *_args):
        self.count += 1


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[max(math.ceil(pct / 100 * len(ordered)) - 1, 0)]


class BenchContext:
    """What a feature's `bench.run(ctx)` gets (see BENCH_HOOK.md)."""

    def __init__(self, app, n: int, seeded: Seeded, report: dict, *, small: bool = False):
        from pilotmgr.pilots.models import Pilot

        self.app = app
        self.n = n
        self.seeded = seeded
        self.report = report
        #: A small run only counts queries (the N+1 guard); a few samples are enough.
        self.small = small
        self.counter = QueryCounter(db.engine)
        rows = db.session.execute(
            select(
                Pilot.id, Pilot.stage, Pilot.unit_id, Pilot.owner_id, Pilot.challenge_id
            ).order_by(Pilot.id)
        )
        self.pilots = [
            PilotRef(
                r.id,
                stage=r.stage,
                unit_id=r.unit_id,
                province_id=seeded.province_of[r.unit_id],
                owner_id=r.owner_id,
                challenge_id=r.challenge_id,
            )
            for r in rows
        ]

    # --- people -----------------------------------------------------------------------------

    def user(self, key: str):
        """A seeded user by key (e.g. "head_root", "staff_d0_0"; see bench/seed.py)."""
        from pilotmgr.auth.models import User

        return db.session.get(User, self.seeded.users[key])

    def seed_users(self) -> dict:
        """role → a User of that role: admin, head of the root unit, a lead, a staff, a viewer."""
        keys = {
            "admin": "admin",
            "head": "head_root",
            "lead": "lead_d0_0",
            "staff": "staff_d0_0",
            "viewer": "viewer_root",
        }
        return {role: self.user(key) for role, key in keys.items()}

    def client(self, user):
        """A test client whose session says `user` is logged in (as after the login form)."""
        client = self.app.test_client()
        with client.session_transaction() as sess:
            sess["_user_id"] = str(user.id)
            sess["_fresh"] = True
        return client

    def api_headers(self, user) -> dict:
        from pilotmgr.auth.service import issue_token

        token = issue_token(user)
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    # --- measuring --------------------------------------------------------------------------

    def _call(self, name: str, fn: Callable[[], Any]) -> tuple[float, float, int]:
        """One call in a fresh app context: (wall ms, this thread's CPU ms, SQL statements).

        CPU time is reported beside wall time because the machine is shared: other people's
        work stretches wall time but not the CPU this request itself needed.
        """
        with self.app.app_context():
            before = self.counter.count
            start, cpu_start = time.perf_counter(), time.thread_time()
            result = fn()
            elapsed = (time.perf_counter() - start) * 1000
            cpu = (time.thread_time() - cpu_start) * 1000
            queries = self.counter.count - before
        status = getattr(result, "status_code", None)
        if status is not None and status >= 400:
            raise RuntimeError(f"{name}: HTTP {status} (a benchmark must time a working page)")
        return elapsed, cpu, queries

    def measure(
        self,
        name: str,
        fn: Callable[[], Any],
        samples: int = SAMPLES,
        target_ms: float = P95_TARGET_MS,
    ) -> dict:
        """Warm up once, then time `samples` calls; record p50/p95 and queries per call.

        `target_ms`: the page's p95 target, when its issue sets another than the core pages'.
        """
        db.session.commit()  # what the hook seeded must be visible to the requests
        self._call(name, fn)
        if self.small:
            samples = min(samples, 3)
        timings, cpu_timings, counts = [], [], set()
        for _ in range(samples):
            ms, cpu, queries = self._call(name, fn)
            timings.append(ms)
            cpu_timings.append(cpu)
            counts.add(queries)
        queries = max(counts)
        entry = {
            "p50_ms": round(statistics.median(timings), 2),
            "p95_ms": round(percentile(timings, 95), 2),
            "queries": queries,
            "cpu_p50_ms": round(statistics.median(cpu_timings), 2),
            "cpu_p95_ms": round(percentile(cpu_timings, 95), 2),
            "samples": samples,
            "target_p95_ms": target_ms,
        }
        if self.small:  # the small run is only the N+1 guard: its timings mean nothing
            self.report.setdefault("small", {})[name] = {"queries": queries}
            return entry
        if len(counts) > 1:
            entry["queries_varied"] = sorted(counts)
        self.report.setdefault("pages", {})[name] = entry
        print(
            f"  {name:<28} p50 {entry['p50_ms']:7.1f} ms   p95 {entry['p95_ms']:7.1f} ms"
            f"   {queries:3d} queries   (CPU p95 {entry['cpu_p95_ms']:.1f} ms)",
            flush=True,
        )
        return entry

    def timed(self, name: str, fn: Callable[[], Any]) -> dict:
        """One timed call in the current context (jobs such as a reminder scan)."""
        before = self.counter.count
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        entry = {
            "ms": round((time.perf_counter() - start) * 1000, 2),
            "cpu_ms": round((time.process_time() - cpu) * 1000, 2),
            "queries": self.counter.count - before,
        }
        section = "small_jobs" if self.small else "jobs"
        self.report.setdefault(section, {})[name] = entry
        if not self.small:
            print(
                f"  {name:<28} {entry['ms']:9.1f} ms   {entry['queries']:3d} queries"
                f"   (CPU {entry['cpu_ms']:.1f} ms)",
                flush=True,
            )
        return entry


# --- the core pages ---------------------------------------------------------------------------


def core_pages(ctx: BenchContext) -> None:
    """Pilot list (page of 50, filtered by stage and province), detail, my work, the API list."""
    from pilotmgr.units.models import Unit

    # The busiest (stage, province) pair, so the filtered page is full at any N.
    # Piloting is the common case; a tiny N may have none, so fall back to any stage.
    pairs: dict[tuple[str, int], int] = {}
    for p in ctx.pilots:
        pairs[(p.stage, p.province_id)] = pairs.get((p.stage, p.province_id), 0) + 1
    stage, province_id = max(pairs, key=lambda k: (k[0] == Stage.piloting, pairs[k], -k[1]))
    province = db.session.get(Unit, province_id)
    detail = next(p for p in ctx.pilots if p.stage == stage and p.province_id == province_id)

    head = ctx.user("head_root")
    head_client = ctx.client(head)
    staff_client = ctx.client(ctx.user("staff_d0_0"))
    province_head_client = ctx.client(
        ctx.user(f"head_p{ctx.seeded.province_ids.index(province_id)}")
    )
    api_client = ctx.app.test_client()
    api_headers = ctx.api_headers(head)

    list_url = f"/pilots/?stage={stage}&unit={province.code}&per_page=50"
    ctx.measure("pilot_list", lambda: head_client.get(list_url))
    ctx.measure("pilot_list_all", lambda: head_client.get("/pilots/?per_page=50"))
    search_url = "/pilots/?q=hoa+don+dien+tu&per_page=50"
    ctx.measure("pilot_list_search", lambda: head_client.get(search_url))
    ctx.measure(
        "pilot_list_province_head", lambda: province_head_client.get("/pilots/?per_page=50")
    )
    ctx.measure("pilot_list_staff", lambda: staff_client.get("/pilots/?per_page=50"))
    ctx.measure("pilot_detail", lambda: head_client.get(f"/pilots/{detail.id}"))
    ctx.measure("my_work", lambda: staff_client.get("/my-work"))
    ctx.measure("my_work_head", lambda: head_client.get("/my-work"))
    ctx.measure("my_work_province_head", lambda: province_head_client.get("/my-work"))
    ctx.measure(
        "api_pilots", lambda: api_client.get("/api/v1/pilots?per_page=50", headers=api_headers)
    )


def feature_hooks(ctx: BenchContext, errors: list[str]) -> None:
    for feature in FEATURES:
        name = f"devtools.bench.{feature}"
        try:
            found = importlib.util.find_spec(name) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            continue
        if not ctx.small:
            print(f"{feature}:", flush=True)
        try:
            importlib.import_module(name).run(ctx)
        except Exception:  # a broken hook must not hide the other figures
            db.session.rollback()
            errors.append(f"{name} ({'small' if ctx.small else ctx.n}): {traceback.format_exc()}")
            print(f"  FAILED: {name}", file=sys.stderr, flush=True)


# --- one run ----------------------------------------------------------------------------------


def bench_app(directory: Path, name: str):
    from pilotmgr import create_app

    class BenchConfig(Config):
        TESTING = True  # errors surface as exceptions instead of being turned into 500 pages
        SECRET_KEY = secrets.token_hex(16)
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{directory / name}.sqlite"
        PILOTMGR_UPLOAD_DIR = str(directory / f"{name}-uploads")

    return create_app(BenchConfig)


def run_once(directory: Path, n: int, report: dict, errors: list[str], *, small: bool) -> None:
    app = bench_app(directory, "small" if small else "bench")
    with app.app_context():
        try:
            db.create_all()
            start = time.perf_counter()
            seeded = seed(n)
            seconds = time.perf_counter() - start
            if not small:
                report["seed_s"] = round(seconds, 2)
                print(f"seeded {n:,} pilots in {seconds:.1f} s; timing pages:", flush=True)
            ctx = BenchContext(app, n, seeded, report, small=small)
            # A server process does not carry the seeding's garbage: collect it and keep what
            # is left out of later collections so pauses reflect the requests alone.
            gc.collect()
            gc.freeze()
            core_pages(ctx)
            feature_hooks(ctx, errors)
        finally:
            gc.unfreeze()
            db.session.remove()
            db.engine.dispose()


def run_bench(pilots: int = 10_000, json_file: str | None = None) -> dict:
    report: dict = {"pilots": pilots, "pages": {}, "small": {}}
    errors: list[str] = []
    with tempfile.TemporaryDirectory(prefix="pilotmgr-bench-") as tmp:
        run_once(Path(tmp), pilots, report, errors, small=False)
        run_once(Path(tmp), SMALL_N, report, errors, small=True)
    report["small_pilots"] = SMALL_N
    report["targets"] = {"p95_ms": P95_TARGET_MS, "queries": "same at N and at small N"}
    if errors:
        report["errors"] = errors
    print_table(report)
    if json_file:
        Path(json_file).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        print(f"written: {json_file}")
    if errors:
        for error in errors:
            print(error, file=sys.stderr)
        raise RuntimeError(f"{len(errors)} bench hook(s) failed")
    return report


def print_table(report: dict) -> None:
    n, small_n = report["pilots"], report.get("small_pilots", SMALL_N)
    print()
    print(
        f"{'page':<28} {'p50 ms':>8} {'p95 ms':>8} {'CPU p95':>8} {'queries':>8}"
        f" {f'@{small_n}':>8}  verdict"
    )
    for name, entry in report["pages"].items():
        small = report["small"].get(name, {}).get("queries")
        verdict = []
        target = entry.get("target_p95_ms", P95_TARGET_MS)
        if entry["p95_ms"] > target:
            verdict.append(f"SLOW (> {target:g} ms)")
        if small is not None and small != entry["queries"]:
            verdict.append("N+1?")
        print(
            f"{name:<28} {entry['p50_ms']:8.1f} {entry['p95_ms']:8.1f}"
            f" {entry.get('cpu_p95_ms', 0):8.1f} {entry['queries']:8d}"
            f" {'' if small is None else small:>8}  {', '.join(verdict) or 'ok'}"
        )
    for name, entry in report.get("jobs", {}).items():
        small = report.get("small_jobs", {}).get(name, {}).get("queries", "")
        print(
            f"{name + ' (job)':<28} {entry['ms']:8.1f} {'':>8} {entry.get('cpu_ms', 0):8.1f}"
            f" {entry['queries']:8d}"
            f" {small:>8}"
        )
    print(f"({n:,} pilots; query counts also at {small_n} pilots)")
