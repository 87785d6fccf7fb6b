"""Merging unit A into unit B: everything moves, nothing is lost or doubled, history keeps A."""

from __future__ import annotations

from sqlalchemy import func, select

from pilotmgr.auth.models import User
from pilotmgr.core.audit import HistoryEntry
from pilotmgr.core.storage import file_store
from pilotmgr.extensions import db
from pilotmgr.pilots.models import Pilot, Task
from pilotmgr.pilots.tasks import update_task
from pilotmgr.results.models import Evidence
from pilotmgr.rollout.merge import merge_units
from pilotmgr.rollout.models import RolloutTarget
from pilotmgr.units.models import Unit
from tests.rollout.conftest import add_target


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_merging_moves_everything_and_history_still_shows_the_old_unit(org, make):
    # Bắc Ninh (A) merges into Hà Nội (B) — hypothetically.
    a_pilot = make.pilot("piloting", owner=make.user("lead", org.bn), unit_=org.bn)
    task = make.task(a_pilot, assignee=org.staff_bn)
    done = {"status": "done", "completion_note": "Biên bản nghiệm thu", "version": task.version}
    update_task(org.staff_bn, task, done)
    db.session.commit()
    other = make.pilot("rolling_out", owner=org.lead, unit_=org.cds, complete=False)
    only_a = add_target(other, org.bn, org.head_bn, status="done", due=make.days(1))
    both_a = add_target(org.pilot, org.bn, org.head_bn, status="done", due=make.days(1))
    both_b = add_target(org.pilot, org.hn, org.head_hn, status="in_progress", due=make.days(1))
    db.session.add(
        Evidence(
            pilot_id=org.pilot.id,
            rollout_target_id=both_a.id,
            filename="bien-ban.pdf",
            stored_name=file_store().put(b"%PDF-1.4 x"),
            kind="pdf",
            size=10,
            sha256="0" * 64,
            uploaded_by_id=org.head_bn.id,
        )
    )
    db.session.commit()
    users_before = _count(User)
    tasks_before = _count(Task)
    history_before = _count(HistoryEntry)
    a_users = _count(User, User.unit_id == org.bn.id)

    counts = merge_units(org.admin, {"source": "BNH", "target": "HNI"})
    db.session.commit()

    assert counts == {
        "users": a_users,
        "pilots": 1,
        "targets": 1,
        "targets_combined": 1,
        "units": 1,
    }
    # A is kept, inactive, pointing at B; its department now hangs under B.
    bn = db.session.get(Unit, org.bn.id)
    assert not bn.is_active and bn.merged_into_id == org.hn.id
    dept = db.session.get(Unit, org.bn_dept.id)
    assert dept.parent_id == org.hn.id and dept.path == f"{org.hn.path}{dept.id}/"
    # Nothing lost, nothing doubled.
    assert _count(User) == users_before and _count(User, User.unit_id == org.bn.id) == 0
    assert _count(Task) == tasks_before
    assert db.session.get(Pilot, a_pilot.id).unit_id == org.hn.id
    assert db.session.get(RolloutTarget, only_a.id).unit_id == org.hn.id
    targets = db.session.scalars(
        select(RolloutTarget).where(RolloutTarget.pilot_id == org.pilot.id)
    ).all()
    assert [(t.id, t.unit_id, t.status) for t in targets] == [(both_b.id, org.hn.id, "done")]
    assert db.session.scalar(select(Evidence.rollout_target_id)) == both_b.id
    # The old history entries still say the work was done under A; the merge adds its own.
    old = db.session.scalars(select(HistoryEntry).where(HistoryEntry.object_type == "task")).all()
    assert old and all(e.unit_code == "BNH" for e in old)
    assert _count(HistoryEntry) > history_before
    combined = db.session.scalar(
        select(HistoryEntry).where(
            HistoryEntry.object_type == "rollouttarget", HistoryEntry.object_id == both_b.id
        )
    )
    assert combined.before["combined_with"]["id"] == both_a.id
    assert combined.unit_code == "BNH"
    merged = db.session.scalar(
        select(HistoryEntry).where(
            HistoryEntry.object_type == "unit", HistoryEntry.action == "merge"
        )
    )
    assert merged.after["merged_into"] == "HNI"


def test_a_unit_cannot_merge_into_itself_or_below_it(org, login):
    client = login(org.admin)
    for target in ("BNH", "BNH-KHCN"):
        response = client.post(
            "/admin/units/merge",
            data={"csrf_token": client.csrf, "source": "BNH", "target": target, "confirmed": "1"},
        )
        # The form comes back with the reason beside the unit merged into.
        assert response.status_code == 422
        assert 'id="merge-target-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Unit, org.bn.id).is_active


def test_the_admin_page_merges_and_reports_the_counts(org, login):
    client = login(org.admin)
    form = {"csrf_token": client.csrf, "source": "HCM", "target": "HNI"}
    # Asked once more first (see tests/admin/test_units_admin.py); then confirmed.
    assert 'id="confirm-button"' in client.post("/admin/units/merge", data=form).get_data(
        as_text=True
    )
    response = client.post(
        "/admin/units/merge", data=form | {"confirmed": "1"}, follow_redirects=True
    )
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Unit, org.hcm.id).merged_into_id == org.hn.id
    # A merged unit no longer appears among the units to choose from.
    assert "Thành phố Hồ Chí Minh" not in response.get_data(as_text=True).split("<form")[1]


def test_units_merged_earlier_follow_to_the_new_unit(org):
    merge_units(org.admin, {"source": "HCM", "target": "BNH"})
    merge_units(org.admin, {"source": "BNH", "target": "HNI"})
    db.session.commit()
    assert db.session.get(Unit, org.hcm.id).merged_into_id == org.hn.id
    assert db.session.get(Unit, org.bn.id).merged_into_id == org.hn.id
