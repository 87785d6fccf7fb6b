"""Coverage maths: done / total, on-time share, overdue only in opened waves, blocked."""

from __future__ import annotations

from pilotmgr.extensions import db
from pilotmgr.rollout.coverage import Coverage, coverage_by_pilot, coverage_of
from pilotmgr.rollout.models import RolloutTarget
from tests.factories import days


def _targets(make, pilot, *specs):
    """specs: (status, due in days, done in days or None, wave)."""
    for n, (status, due, done, wave) in enumerate(specs):
        unit = make.unit(f"T{pilot.id}-{n}")
        db.session.add(
            RolloutTarget(
                pilot_id=pilot.id,
                unit_id=unit.id,
                status=status,
                due_date=None if due is None else days(due),
                done_on=None if done is None else days(done),
                wave=wave,
            )
        )
    db.session.commit()


def test_thirty_one_of_thirty_four_is_ninety_one_percent():
    assert Coverage(total=34, done=31).percent == 91
    assert Coverage().percent == 0
    assert Coverage(total=2, done=2).complete
    assert not Coverage().complete


def test_counts_done_on_time_overdue_and_blocked(app, make):
    pilot = make.pilot("rolling_out", complete=False)
    _targets(
        make,
        pilot,
        ("done", -5, -6, 1),  # on time
        ("done", -5, -2, 1),  # late
        ("done", None, -1, 1),  # no due date: on time
        ("in_progress", -1, None, 1),  # overdue
        ("blocked", -3, None, 1),  # overdue and blocked
        ("planned", -3, None, 2),  # past due but its wave is not open: not overdue
        ("planned", 10, None, 1),
    )
    found = coverage_of(pilot.id, days(0))
    assert found == Coverage(total=7, done=3, on_time=2, overdue=2, blocked=1)
    assert found.percent == 42
    assert found.on_time_percent == 66


def test_opening_a_wave_makes_its_late_targets_overdue(app, make):
    pilot = make.pilot("rolling_out", complete=False)
    _targets(make, pilot, ("planned", -3, None, 2))
    assert coverage_of(pilot.id, days(0)).overdue == 0
    pilot.rollout_open_wave = 2
    db.session.commit()
    assert coverage_of(pilot.id, days(0)).overdue == 1


def test_pilots_without_targets_get_empty_coverage(app, make):
    one = make.pilot("selected", complete=False)
    other = make.pilot("rolling_out", complete=False)
    _targets(make, other, ("done", 1, 0, 1))
    found = coverage_by_pilot([one.id, other.id], days(0))
    assert found[one.id] == Coverage()
    assert found[other.id].done == 1
    assert found[other.id].on_time_percent == 100
    assert coverage_by_pilot([], days(0)) == {}
