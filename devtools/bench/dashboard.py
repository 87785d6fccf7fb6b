"""`flask bench`: the leaders' dashboard for an admin over every pilot and task, and the
export of every pilot to Excel. Targets: p95 ≤ 150 ms with as many queries as at a small N;
the export ≤ 5 s."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from pilotmgr.extensions import db
from pilotmgr.pilots.models import Pilot

DASHBOARD_P95_MS = 150.0
EXPORT_S = 5.0


def run(ctx) -> None:
    admin = ctx.client(ctx.user("admin"))
    province_head = ctx.client(ctx.user("head_p0"))
    page = ctx.measure(
        "leaders_dashboard_admin", lambda: admin.get("/dashboard"), target_ms=DASHBOARD_P95_MS
    )
    ctx.measure(
        "leaders_dashboard_province",
        lambda: province_head.get("/dashboard"),
        target_ms=DASHBOARD_P95_MS,
    )
    if not ctx.small:
        verdict = "ok" if page["p95_ms"] <= DASHBOARD_P95_MS else "SLOW"
        print(f"  dashboard target p95 ≤ {DASHBOARD_P95_MS:g} ms: {verdict}", flush=True)

    pilots = db.session.scalar(select(func.count()).select_from(Pilot))
    result = {}

    def export():
        response = admin.get("/exports/pilots.xlsx")
        if response.status_code != 200:
            raise RuntimeError(f"export: HTTP {response.status_code}")
        result["bytes"] = len(response.data)
        result["data"] = response.data

    entry = ctx.timed("export_pilots_xlsx", export)
    if not ctx.small:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(result["data"]), read_only=True).worksheets[0]
        rows = sum(1 for _ in sheet.iter_rows(values_only=True)) - 1
        if rows != pilots:
            raise RuntimeError(f"export wrote {rows} pilots of {pilots}")
        verdict = "ok" if entry["ms"] <= EXPORT_S * 1000 else "SLOW"
        print(
            f"  exported {rows:,} pilots to XLSX ({result['bytes'] / 1e6:.1f} MB); "
            f"target ≤ {EXPORT_S:g} s: {verdict}",
            flush=True,
        )
