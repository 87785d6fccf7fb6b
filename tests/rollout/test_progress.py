"""Coverage below one unit, progress day by day, and its step chart."""

from __future__ import annotations

from datetime import date

from pilotmgr.core.charts import step_chart
from pilotmgr.rollout.coverage import coverage_of, progress
from tests.rollout.conftest import add_target


def test_coverage_and_progress_can_be_limited_to_a_parent_unit(org, make):
    add_target(org.pilot, org.bn, None, status="done", due=make.days(1), done_on=make.days(-9))
    add_target(org.pilot, org.bn_dept, None, status="done", due=make.days(1), done_on=make.days(-2))
    add_target(org.pilot, org.hn, None, status="done", due=make.days(1), done_on=make.days(-2))
    add_target(org.pilot, org.hcm, None, status="planned", due=make.days(1))
    today = make.days(0)
    assert coverage_of(org.pilot.id, today).done == 3
    under_bn = coverage_of(org.pilot.id, today, org.bn)
    assert (under_bn.done, under_bn.total, under_bn.percent) == (2, 2, 100)
    assert progress(org.pilot.id) == [(make.days(-9), 1), (make.days(-2), 3)]
    assert progress(org.pilot.id, org.bn) == [(make.days(-9), 1), (make.days(-2), 2)]


def test_the_step_chart_climbs_to_the_count_done_under_the_total():
    svg = step_chart([(date(2026, 11, 1), 1), (date(2026, 11, 8), 3)], 4, until=date(2026, 11, 30))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "01/11/2026: 1/4" in svg and "08/11/2026: 3/4" in svg
    assert svg.count("<circle") == 2 and "30/11/2026" in svg
    assert step_chart([], 4) == "" and step_chart([(date(2026, 1, 1), 1)], 0) == ""
