"""Everything the leaders' dashboard (and the weekly digest) shows, gathered in one place."""

from __future__ import annotations

from flask import url_for

from pilotmgr.core.charts import bar_chart
from pilotmgr.dashboard import leaders
from pilotmgr.dashboard.scope import current_programme
from pilotmgr.dashboard.scoreboard import scoreboard
from pilotmgr.pilots.lifecycle import STAGE_LABELS, STAGES

#: Rows shown per list on the page; the full lists are one click (or one export) away.
SHOWN = 20


def best_and_worst(rows: list, n: int = SHOWN // 2) -> list:
    """All rows if few; else the n best and the n worst, with None where rows were left out."""
    if len(rows) <= 2 * n:
        return rows
    return [*rows[:n], None, *rows[-n:]]


def build_board(scope, units: list | None = None) -> dict:
    """The page's figures; `units`: the active units (leaders.active_units()) if already read."""
    funnel = leaders.funnel(scope)
    tasks_total, tasks = leaders.overdue_tasks(scope)
    targets_total, targets = leaders.overdue_targets(scope)
    rollouts_total, rollouts = leaders.rollout_coverage(scope, SHOWN)
    return {
        "scope": scope,
        "funnel": funnel,
        "funnel_chart": bar_chart(
            [
                (
                    str(STAGE_LABELS[stage]),
                    funnel.counts[stage],
                    url_for("pilots.index", **scope.list_args(stage=stage)),
                )
                for stage in STAGES
            ]
        ),
        "awaiting": leaders.awaiting_decision(scope, funnel.counts),
        "overdue_tasks": (tasks_total, tasks),
        "overdue_targets": (targets_total, targets),
        "scores": {k: (len(v), best_and_worst(v)) for k, v in scoreboard(scope).items()},
        "shown": SHOWN,
        "plus_one": leaders.plus_one_coverage(scope, scope.programme or current_programme(), units),
        "rollouts": rollouts,
        "rollouts_total": rollouts_total,
    }
