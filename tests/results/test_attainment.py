"""Attainment maths: both directions, met and overshoot, missing values, verdicts."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from pilotmgr.results.attainment import attainment, mean_attainment, percent, status_of


@pytest.mark.parametrize(
    "baseline, target, value, expected",
    [
        (40, 65, 60, Decimal(80)),  # increase, partly
        (40, 65, 65, Decimal(100)),  # met exactly
        (40, 65, 75, Decimal(140)),  # overshoot
        (40, 65, 30, Decimal(-40)),  # worse than the start
        (100, 50, 70, Decimal(60)),  # decrease, partly
        (100, 50, 40, Decimal(120)),  # decrease, overshoot
        (100, 50, 120, Decimal(-40)),  # decrease, got worse
        (10, 10, 12, None),  # no distance to travel
        (None, 10, 5, None),
        (10, 20, None, None),
    ],
)
def test_percent_is_direction_aware(baseline, target, value, expected):
    assert percent(baseline, target, value) == expected


@pytest.mark.parametrize(
    "pct, status",
    [
        (Decimal(120), "met"),
        (Decimal(100), "met"),
        (Decimal(1), "partly"),
        (Decimal(0), "not_met"),
        (None, "no_data"),
    ],
)
def test_status_of(pct, status):
    assert status_of(pct) == status


def _m(value, day):
    return SimpleNamespace(value=Decimal(value), measured_on=date(2027, 1, day))


def test_the_latest_approved_value_counts_and_two_values_make_a_verdict():
    kpi = SimpleNamespace(baseline=Decimal(40), target=Decimal(65))
    one = attainment(kpi, [_m(70, 1)])
    two = attainment(kpi, [_m(50, 1), _m(70, 2)])
    assert one.verdict == "inconclusive" and one.status == "met"
    assert two.latest == 70 and two.percent == Decimal("120.0") and two.verdict == "met"
    assert attainment(kpi, []).status == "no_data"


def test_mean_attainment_caps_outliers_and_skips_missing():
    kpi = SimpleNamespace(baseline=Decimal(0), target=Decimal(10))
    items = [attainment(kpi, [_m(50, 1)]), attainment(kpi, [_m(5, 1)]), attainment(kpi, [])]
    assert mean_attainment(items) == Decimal("100.0")  # (150 + 50) / 2
    assert mean_attainment([]) is None
