"""Units: create and edit through forms, move within the tree, merge only once confirmed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from pilotmgr.core.audit import HistoryEntry
from pilotmgr.core.clock import local_today
from pilotmgr.extensions import db
from pilotmgr.rollout.merge import merge_units, preview_merge
from pilotmgr.rollout.models import RolloutTarget
from pilotmgr.units.models import Unit
from tests.html import field_error, parse, summary, text, value


def _unit(code: str) -> Unit:
    db.session.expire_all()
    return db.session.scalar(select(Unit).where(Unit.code == code))


def test_a_new_unit_with_mistakes_comes_back_with_what_was_typed(org, login):
    client = login(org.admin)
    response = client.post(
        "/admin/units",
        data={
            "csrf_token": client.csrf,
            "code": "có dấu",
            "name": "Sở Nội vụ Bắc Ninh",
            "kind": "",
            "parent": "BNH",
        },
    )
    assert response.status_code == 422
    assert field_error(response, "f-code") == "Chỉ dùng chữ, số, '.', '-' và '_'."
    assert value(response, "f-name") == "Sở Nội vụ Bắc Ninh"
    assert value(response, "f-parent") == "BNH"
    assert "Mã" in summary(response)


def test_an_admin_renames_a_unit_and_sets_its_level_on_record(org, login):
    client = login(org.admin)
    response = client.post(
        f"/admin/units/{org.bn_dept.id}",
        data={
            "csrf_token": client.csrf,
            "name": "Sở KH&CN tỉnh Bắc Ninh",
            "kind": "department",
            "parent": "BNH",
            "version": org.bn_dept.version,
        },
    )
    assert response.status_code == 302
    saved = _unit("BNH-KHCN")
    assert (saved.name, saved.kind) == ("Sở KH&CN tỉnh Bắc Ninh", "department")
    entry = db.session.scalar(
        select(HistoryEntry).where(
            HistoryEntry.object_type == "unit", HistoryEntry.action == "update"
        )
    )
    assert entry.before == {"name": "Sở Khoa học và Công nghệ Bắc Ninh", "kind": ""}
    assert entry.after == {"name": "Sở KH&CN tỉnh Bắc Ninh", "kind": "department"}
    listing = client.get("/admin/units")
    assert "Sở, ban, ngành" in text(listing, f"unit-{org.bn_dept.id}")


def test_moving_a_unit_takes_everything_below_it_along(org, login):
    client = login(org.admin)
    client.post(
        f"/admin/units/{org.bn_dept.id}",
        data={
            "csrf_token": client.csrf,
            "name": org.bn_dept.name,
            "kind": "",
            "parent": "HNI",
            "version": org.bn_dept.version,
        },
    )
    hn, dept, div = _unit("HNI"), _unit("BNH-KHCN"), _unit("BNH-KHCN-P1")
    assert dept.parent_id == hn.id
    assert dept.path == f"{hn.path}{dept.id}/"
    assert div.path == f"{dept.path}{div.id}/"
    # The head of Bắc Ninh no longer has authority over it; Hà Nội's would.
    from pilotmgr.core.authority import in_subtree

    assert not in_subtree(div, _unit("BNH")) and in_subtree(div, hn)


@pytest.mark.parametrize("parent", ["BNH-KHCN", "BNH-KHCN-P1"])
def test_a_unit_cannot_go_under_itself_or_its_own_children(org, login, parent):
    client = login(org.admin)
    response = client.post(
        f"/admin/units/{org.bn_dept.id}",
        data={
            "csrf_token": client.csrf,
            "name": org.bn_dept.name,
            "kind": "",
            "parent": parent,
            "version": org.bn_dept.version,
        },
    )
    assert response.status_code == 422
    # The form does not even offer them; a forged value is refused beside the field.
    assert field_error(response, "f-parent") == "Lựa chọn không hợp lệ."
    options = parse(client.get(f"/admin/units/{org.bn_dept.id}")).xpath(
        "//select[@id='f-parent']/option/@value"
    )
    assert "BNH" in options and parent not in options
    assert _unit("BNH-KHCN").parent_id == org.bn.id


def test_the_service_refuses_a_loop_even_when_asked_directly(org):
    from pilotmgr.core.errors import ValidationFailed
    from pilotmgr.units.service import update_unit

    with pytest.raises(ValidationFailed) as refused:
        update_unit(org.admin, org.bn, {"parent": "BNH-KHCN-P1", "version": org.bn.version})
    assert "parent" in refused.value.errors


def _merge_world(org, make):
    """Bắc Ninh's department merges into Hà Nội: people, a pilot with tasks, targets, a child.

    The selected pilot comes with a target of its own unit (the department); the other pilot
    targets both the department and Hà Nội, so those two are combined.
    """
    make.pilot("selected", owner=org.lead_bn, unit_=org.bn_dept)
    other = make.pilot("rolling_out", owner=org.head_bn, unit_=org.bn)
    db.session.execute(delete(RolloutTarget).where(RolloutTarget.pilot_id == other.id))
    due = local_today() + timedelta(days=30)
    for target_pilot, unit in ((other, org.bn_dept), (other, org.hn)):
        db.session.add(
            RolloutTarget(pilot_id=target_pilot.id, unit_id=unit.id, due_date=due, status="planned")
        )
    db.session.commit()


def test_a_merge_first_shows_what_will_move_and_changes_nothing(org, login, make):
    _merge_world(org, make)
    client = login(org.admin)
    response = client.post(
        "/admin/units/merge",
        data={"csrf_token": client.csrf, "source": "BNH-KHCN", "target": "HNI"},
    )
    assert response.status_code == 200
    lines = text(response, "consequences")
    assert "2 người dùng chuyển sang Thành phố Hà Nội" in lines
    assert "1 thí điểm (cùng 1 nhiệm vụ của chúng) chuyển sang Thành phố Hà Nội" in lines
    assert "1 phần việc nhân rộng giao cho đơn vị này chuyển sang Thành phố Hà Nội" in lines
    assert "1 phần việc nhân rộng được gộp" in lines
    assert "1 đơn vị trực thuộc được chuyển về trực thuộc Thành phố Hà Nội" in lines
    assert parse(response).get_element_by_id("confirm-button") is not None
    assert _unit("BNH-KHCN").is_active


def test_confirming_the_merge_moves_what_the_preview_counted(org, login, make):
    _merge_world(org, make)
    preview = preview_merge(org.admin, {"source": "BNH-KHCN", "target": "HNI"})
    client = login(org.admin)
    response = client.post(
        "/admin/units/merge",
        data={"csrf_token": client.csrf, "source": "BNH-KHCN", "target": "HNI", "confirmed": "1"},
        follow_redirects=True,
    )
    assert "Đã sáp nhập" in response.get_data(as_text=True)
    merged = db.session.scalar(
        select(HistoryEntry).where(
            HistoryEntry.object_type == "unit", HistoryEntry.action == "merge"
        )
    )
    for key in ("users", "pilots", "targets", "targets_combined", "units"):
        assert merged.after[key] == preview[key], key
    assert not _unit("BNH-KHCN").is_active


def test_the_preview_and_the_merge_count_alike_for_every_pair(org, make):
    _merge_world(org, make)
    for source, target in (("BNH", "HNI"), ("BNH-KHCN-P1", "BO"), ("HNI", "BNH-KHCN")):
        preview = preview_merge(org.admin, {"source": source, "target": target})
        counts = merge_units(org.admin, {"source": source, "target": target})
        db.session.rollback()
        assert {k: preview[k] for k in counts} == counts, (source, target)


def test_a_merged_unit_can_no_longer_be_edited(org, login):
    merge_units(org.admin, {"source": "BNH-KHCN-P1", "target": "BNH-KHCN"})
    db.session.commit()
    assert login(org.admin).get(f"/admin/units/{org.bn_div.id}").status_code == 404


def test_unit_pages_are_for_admins_only(org, login):
    assert login(org.head_bn).get(f"/admin/units/{org.bn.id}").status_code == 403
