"""Each dashboard figure against the hand-counted organisation of conftest.py."""

import re

from pilotmgr.dashboard.board import build_board
from pilotmgr.dashboard.scope import build_scope


def _board(app, user, **args):
    with app.test_request_context("/dashboard"):
        return build_board(build_scope(user, args))


def test_the_funnel_counts_the_heads_subtree_only(app, world):
    board = _board(app, world.head_p)
    counts = {k: v for k, v in board["funnel"].counts.items() if v}
    assert counts == {"proposed": 1, "piloting": 1, "evaluating": 1, "rolling_out": 1}
    assert board["funnel"].stuck == {"piloting": 1}


def test_an_admin_sees_every_unit(app, world):
    board = _board(app, world.admin)
    assert board["funnel"].counts["piloting"] == 2
    assert board["funnel"].stuck == {"piloting": 2}
    assert board["overdue_tasks"][0] == 2


def test_average_days_in_stage_come_from_the_history(app, world):
    days = _board(app, world.head_p)["funnel"].average_days
    assert days["draft"] == 6.5
    assert days["proposed"] == 5.0
    assert days["piloting"] == 5.0
    assert days["evaluating"] is None


def test_a_period_without_transitions_has_no_averages(app, world):
    days = _board(app, world.head_p, start="2026-01-01", end="2026-06-30")["funnel"].average_days
    assert set(days.values()) == {None}


def test_awaiting_my_decision(app, world):
    waiting = _board(app, world.head_p)["awaiting"]
    assert waiting == {"proposed": 1, "evaluating": 1, "selected": 0, "measurements": 1}


def test_overdue_tasks_and_targets_worst_first(app, world):
    board = _board(app, world.head_p)
    total, rows = board["overdue_tasks"]
    assert total == 1 and [r.title for r in rows] == ["Lắp đặt máy tính tiền"]
    total, rows = board["overdue_targets"]
    assert total == 1 and rows[0].unit_name == "Tỉnh Quảng Ninh"


def test_the_scoreboard_follows_its_rule(app, world):
    scores = _board(app, world.head_p)["scores"]
    (units, (unit, target_unit)), (owners, (owner,)) = scores["units"], scores["owners"]
    assert units == 2 and owners == 1
    # P-D: its three tasks (1 on time, 1 overdue by 3 working days, 1 done 3 days late) and
    # p4's target there, done on its due day.
    assert (unit.due, unit.on_time, unit.overdue, unit.rate, unit.average_delay) == (
        4,
        2,
        1,
        50.0,
        3.0,
    )
    # Q: p4's target there, open since 1 March: 7 working days late (2–5, 8–10 March).
    assert (target_unit.due, target_unit.overdue, target_unit.average_delay) == (1, 1, 7.0)
    # The owner of the tasks' pilot is also responsible for both targets: (3 + 3 + 7) / 3.
    assert (owner.due, owner.on_time, owner.overdue, owner.rate, owner.average_delay) == (
        5,
        2,
        2,
        40.0,
        4.3,
    )
    assert unit.name == "Sở Khoa học và Công nghệ Bắc Ninh" and owner.name == "Cao Thị Hạnh"
    assert target_unit.name == "Tỉnh Quảng Ninh"


def test_the_scoreboard_ranks_the_better_unit_first(app, world):
    _total, scores = _board(app, world.admin)["scores"]["units"]
    # Q: one task and one rollout target due, both still open → 0 %; P-D: 50 %.
    assert [s.name for s in scores] == ["Sở Khoa học và Công nghệ Bắc Ninh", "Tỉnh Quảng Ninh"]
    assert scores[1].rate == 0.0 and scores[1].overdue == 2


def test_plus_one_coverage(app, world):
    plus = _board(app, world.head_p)["plus_one"]
    assert [u.code for u in plus["units"]] == ["P-E"]
    assert sorted(h.email for h in plus["heads"]) == ["head@p.gov.vn", "head@pd.gov.vn"]
    everything = _board(app, world.admin)["plus_one"]
    assert [u.code for u in everything["units"]] == ["P-E"]
    assert len(everything["heads"]) == 3


def test_rollout_coverage_uses_the_targets(app, world):
    ((pilot_id, _title, coverage),) = _board(app, world.head_p)["rollouts"]
    assert pilot_id == world.p4.id
    assert (coverage.total, coverage.done, coverage.percent, coverage.overdue) == (2, 1, 50, 1)


def test_a_head_cannot_widen_the_scope_to_another_subtree(app, world):
    board = _board(app, world.head_p, unit="Q")
    assert board["scope"].root.code == "P"
    assert board["funnel"].counts["piloting"] == 1


def test_the_page_links_every_figure_to_its_list(app, world, login):
    client = login(world.head_p)
    html = client.get("/dashboard").get_data(as_text=True)
    links = re.findall(r'<a data-figure="([^"]+)" href="([^"]+)">(\d+)</a>', html)
    figures = {name: (href.replace("&amp;", "&"), int(n)) for name, href, n in links}
    assert figures["stage-piloting"] == ("/pilots/?unit=P&stage=piloting", 1)
    assert figures["stuck-piloting"] == ("/pilots/?unit=P&stage=piloting&stuck=1&stuck_days=30", 1)
    assert figures["await-measurements"] == ("/pilots/?unit=P&pending=1", 1)
    assert figures["overdue-tasks"] == ("/pilots/?unit=P&overdue=1", 1)
    # Each link leads to a list with exactly the figure's pilots.
    for name in ("stage-piloting", "await-measurements", "overdue-tasks", "stuck-piloting"):
        href, n = figures[name]
        page = client.get(href).get_data(as_text=True)
        assert f"{n} thí điểm" in page or f"{n} pilots" in page, (name, href)
    assert "Quy tắc" in html or "Rule" in html
    assert "<svg" in html


def test_staff_and_leads_have_no_dashboard(world, login):
    assert login(world.lead_p).get("/dashboard").status_code == 403


def test_long_rankings_show_the_best_and_the_worst():
    from pilotmgr.dashboard.board import best_and_worst

    assert best_and_worst(list(range(5)), 3) == [0, 1, 2, 3, 4]
    assert best_and_worst(list(range(10)), 3) == [0, 1, 2, None, 7, 8, 9]


def test_overdue_tasks_of_both_open_statuses_are_merged_worst_first(app, world, make):
    from datetime import date

    make.task(world.p1, status="in_progress", due_date=date(2027, 3, 1), title="Đang làm, trễ hơn")
    make.task(world.p1, status="todo", due_date=date(2027, 3, 8), title="Chưa làm, trễ ít")
    total, rows = _board(app, world.head_p)["overdue_tasks"]
    assert total == 3
    assert [r.title for r in rows] == [
        "Đang làm, trễ hơn",
        "Lắp đặt máy tính tiền",
        "Chưa làm, trễ ít",
    ]


def test_odd_periods_are_kept_within_bounds(world, login):
    client = login(world.admin)
    for query in ("start=1900-01-01&end=1901-01-01", "start=2999-01-01", "start=x&end=y"):
        assert client.get(f"/dashboard?{query}").status_code == 200, query
