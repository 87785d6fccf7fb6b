"""The rollout board and the programme-wide page: coverage, order, filter, who sees them."""

from __future__ import annotations

import re

from pilotmgr.extensions import db
from tests.rollout.conftest import add_target


def _board(org, make):
    add_target(
        org.pilot, org.bn, org.staff_bn, status="done", due=make.days(-5), done_on=make.days(-6)
    )
    add_target(org.pilot, org.bn_dept, org.staff_bn, status="in_progress", due=make.days(20))
    add_target(org.pilot, org.hn, org.staff_hn, status="in_progress", due=make.days(-2))
    add_target(
        org.pilot, org.hcm, None, status="blocked", due=make.days(9), blocked_reason="Thiếu máy chủ"
    )
    org.pilot.stage = "rolling_out"
    db.session.commit()


def _rows(html: str) -> list[str]:
    return re.findall(r'data-unit="([^"]+)"', html)


def test_the_board_shows_coverage_and_lists_overdue_and_blocked_first(org, make, login):
    _board(org, make)
    html = login(org.head).get(f"/pilots/{org.pilot.id}/rollout").get_data(as_text=True)
    assert "1/4 — 25 %" in html
    assert "100 %" in html  # the one done target was done on time
    rows = _rows(html)
    assert rows[:2] == ["HNI", "HCM"] or set(rows[:2]) == {"HNI", "HCM"}
    assert set(rows[2:]) == {"BNH", "BNH-KHCN"}
    assert 'class="target-blocked"' in html and "Thiếu máy chủ" in html
    assert 'class="target-done"' in html
    assert "<svg" in html and "step-chart" in html  # progress over time


def test_the_board_filters_by_parent_unit(org, make, login):
    _board(org, make)
    client = login(org.head)
    html = client.get(f"/pilots/{org.pilot.id}/rollout?parent=BNH").get_data(as_text=True)
    assert _rows(html) == ["BNH", "BNH-KHCN"]  # the province and every unit below it
    assert "1/2 — 50 %" in html
    html = client.get(f"/pilots/{org.pilot.id}/rollout?parent=HNI").get_data(as_text=True)
    assert _rows(html) == ["HNI"] and "0/1 — 0 %" in html


def test_the_pilot_page_shows_the_coverage(org, make, login):
    _board(org, make)
    html = login(org.staff_hn).get(f"/pilots/{org.pilot.id}").get_data(as_text=True)
    assert 'id="rollout-coverage"' in html and "1/4 — 25 %" in html
    assert "Đúng – đủ" in html  # the success formula travels with the plan


def test_target_units_link_only_to_the_targets_they_may_update(org, make, login):
    _board(org, make)
    html = login(org.staff_hn).get(f"/pilots/{org.pilot.id}/rollout").get_data(as_text=True)
    assert len(re.findall(r'href="/rollout-targets/\d+"', html)) == 1


def test_invisible_pilots_answer_404_on_the_board_and_stay_off_the_rollout_page(org, make, login):
    _board(org, make)
    secret = make.pilot("rolling_out", owner=org.lead, unit_=org.cds, title="Thí điểm nội bộ Bộ")
    stranger = make.user("lead", make.unit("QNH", "Tỉnh Quảng Ninh", org.ministry))
    client = login(stranger)
    assert client.get(f"/pilots/{org.pilot.id}/rollout").status_code == 404
    assert client.get("/pilots/999999/rollout").status_code == 404
    page = client.get("/rollout").get_data(as_text=True)
    assert org.pilot.title not in page and secret.title not in page
    # A target unit sees the pilot rolled out to it, not the ministry's other rollouts.
    page = login(org.staff_hn).get("/rollout").get_data(as_text=True)
    assert org.pilot.title in page and secret.title not in page
    assert "25 %" in page
    page = login(org.head).get("/rollout").get_data(as_text=True)
    assert org.pilot.title in page and secret.title in page


def test_open_targets_appear_in_my_work(org, make, login):
    _board(org, make)
    later = make.unit("HPG", "Thành phố Hải Phòng", org.ministry)
    add_target(org.pilot, later, org.staff_hn, due=make.days(50), wave=2)
    html = login(org.staff_hn).get("/my-work").get_data(as_text=True)
    section = html.split('id="my-targets"')[1].split("</section>")[0]
    assert "Thành phố Hà Nội" in section
    assert "Hải Phòng" not in section  # its wave is not open yet


def test_names_and_notes_on_the_board_are_escaped(org, make, login):
    odd = make.unit("ODD", "Xã <b>Mới</b>", org.ministry)
    add_target(org.pilot, odd, None, status="blocked", blocked_reason="<script>x</script>")
    org.pilot.stage = "rolling_out"
    db.session.commit()
    html = login(org.head).get(f"/pilots/{org.pilot.id}/rollout").get_data(as_text=True)
    assert "Xã &lt;b&gt;Mới&lt;/b&gt;" in html and "<b>Mới</b>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>x" not in html
