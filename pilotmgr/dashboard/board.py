"""Everything the leaders' dashboard (and the weekly digest) shows, gathered in one place."""

from __future__ import annotations

from flask import url_for

from pilotmgr.core.charts import bar_chart
from pilotmgr.dashboard import leaders
from pilotmgr.dashboard.scope import current_programme
from pilotmgr.dashboard.scoreboard import scoreboard
from pilotmgr.pilots.lifecycle import STAGE_LABELS, STAGES


def build_board(scope) -> dict:
    funnel = leaders.funnel(scope)
    tasks_total, tasks = leaders.overdue_tasks(scope)
    targets_total, targets = leaders.overdue_targets(scope)
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
        "scores": scoreboard(scope),
        "plus_one": leaders.plus_one_coverage(scope, scope.programme or current_programme()),
        "rollouts": leaders.rollout_coverage(scope),
    }
